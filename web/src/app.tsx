import { useCallback, useEffect, useMemo, useState } from 'react';
import { api, ApiError, call, client, setCsrfToken, setUnauthorizedHandler } from './api/client.js';
import type { Session } from './api/types.js';
import { ErrorBanner } from './components/error-banner.js';
import { Header } from './components/header.js';
import { AppContext, type AppData } from './lib/app-context.js';
import { linkClick, matchRoute, navigate, useLocation } from './lib/router.js';
import { DeclareIncidentPage } from './pages/declare-incident.js';
import { IncidentListPage } from './pages/incident-list.js';
import { IncidentPage } from './pages/incident-page.js';
import { ReportsPage } from './pages/reports.js';
import { ActionItemsPage } from './actions/action-items-page.js';
import { SignInPage } from './pages/sign-in.js';
import { WelcomePage } from './pages/welcome.js';
import { ContactMethodsPage } from './oncall/contact-methods-page.js';
import { OnCallPage } from './oncall/oncall-page.js';
import { SchedulePage } from './schedules/schedule-page.js';
import { SchedulesPage } from './schedules/schedules-page.js';
import { RunbookLibraryPage, RunbookPage } from './runbooks/runbook-library.js';
import { AlertListPage } from './alerts/alert-list.js';
import { AlertPage } from './alerts/alert-page.js';
import { MaintenanceWindowsPage } from './alerts/maintenance-windows-page.js';
import { SilencesPage } from './alerts/silences-page.js';
import { IntegrationsPage } from './integrations/integration-list.js';
import { IntegrationPage } from './integrations/integration-page.js';
import { StatusPagesPage } from './statuspages/status-pages-page.js';
import { PostmortemEditorPage } from './postmortems/postmortem-editor.js';
import { PostmortemListPage } from './postmortems/postmortem-list.js';
import './postmortems/postmortems.css';
import { AudiencesPage } from './updates/audiences-page.js';
import { UpdateTemplatesPage } from './updates/templates-page.js';
import { ServicePage, ServicesPage } from './services/services-page.js';
import { SeveritiesPage } from './settings/severities-page.js';
import { ChecklistTemplatesPage } from './settings/checklists-page.js';
import { IncidentRolesPage } from './settings/incident-roles-page.js';
import { PoliciesPage } from './policies/policies-page.js';
import { PeoplePage } from './people/people-page.js';

type Boot = { state: 'loading' } | { state: 'signed-out' } | { state: 'error'; error: unknown } | { state: 'ready'; data: Omit<AppData, 'signOut' | 'refresh'> };

/** A list the signed-in user may not be allowed to read; null means "not available". */
async function optionalList<T>(list: () => Promise<{ items: T[] }>): Promise<T[] | null> {
  try {
    return (await list()).items;
  } catch {
    return null;
  }
}

async function loadAppData(session: Session): Promise<Omit<AppData, 'signOut' | 'refresh'>> {
  setCsrfToken(session.csrfToken);
  const [severities, users, services] = await Promise.all([
    api.get('/api/v1/severities').then((r) => r.items),
    optionalList(() => api.get('/api/v1/users')),
    optionalList(() => api.get('/api/v1/services')),
  ]);
  return { session, severities, users, services };
}

export function App() {
  const location = useLocation();
  const route = matchRoute(location.pathname);
  const [boot, setBoot] = useState<Boot>({ state: 'loading' });

  const start = useCallback(async () => {
    try {
      const session = await call(client.GET('/api/v1/auth/session'), { quiet401: true });
      setBoot({ state: 'ready', data: await loadAppData(session) });
    } catch (e) {
      if (e instanceof ApiError && e.status === 401) setBoot({ state: 'signed-out' });
      else setBoot({ state: 'error', error: e });
    }
  }, []);

  useEffect(() => {
    void start();
    setUnauthorizedHandler(() => {
      setCsrfToken(null);
      setBoot({ state: 'signed-out' });
    });
    return () => setUnauthorizedHandler(null);
  }, [start]);

  // Signed out anywhere → the sign-in page, remembering where to come back to.
  useEffect(() => {
    if (boot.state === 'signed-out' && route.name !== 'sign-in' && route.name !== 'welcome') {
      const here = location.pathname + (location.search.toString() ? `?${location.search}` : '');
      navigate(`/sign-in${here !== '/' ? `?next=${encodeURIComponent(here)}` : ''}`, { replace: true });
    }
  }, [boot.state, route.name, location.pathname, location.search]);

  // Already signed in and sent to /sign-in (an old bookmark): go where the user meant to.
  useEffect(() => {
    if (boot.state === 'ready' && route.name === 'sign-in') {
      const next = location.search.get('next');
      navigate(next && next.startsWith('/') && !next.startsWith('//') ? next : '/', { replace: true });
    }
  }, [boot.state, route.name, location.search]);

  const signOut = useCallback(async () => {
    try {
      await api.post('/api/v1/auth/sign-out');
    } finally {
      setCsrfToken(null);
      setBoot({ state: 'signed-out' });
      navigate('/sign-in');
    }
  }, []);

  // After a page changes severities or services, every other page sees the new lists.
  const refresh = useCallback(async () => {
    if (boot.state !== 'ready') return;
    const data = await loadAppData(boot.data.session);
    setBoot({ state: 'ready', data });
  }, [boot]);

  const appData = useMemo<AppData | null>(() => (boot.state === 'ready' ? { ...boot.data, signOut, refresh } : null), [boot, signOut, refresh]);

  if (boot.state === 'loading') return <div className="boot">Loading…</div>;
  // A one-time sign-in link works whoever is signed in here (an admin trying the link first).
  if (route.name === 'welcome') {
    return (
      <WelcomePage
        onSignedIn={async (session) => {
          setBoot({ state: 'ready', data: await loadAppData(session) });
        }}
      />
    );
  }
  if (boot.state === 'error') {
    return (
      <main className="page narrow">
        <ErrorBanner error={boot.error} />
        <button type="button" className="btn" onClick={() => void start()}>
          Try again
        </button>
      </main>
    );
  }
  if (boot.state === 'signed-out' || !appData) {
    return (
      <SignInPage
        onSignedIn={async (session) => {
          setBoot({ state: 'ready', data: await loadAppData(session) });
        }}
      />
    );
  }

  return (
    <AppContext.Provider value={appData}>
      <Header />
      <main className="page">
        {route.name === 'list' ? <IncidentListPage /> : null}
        {route.name === 'new' ? <DeclareIncidentPage /> : null}
        {route.name === 'incident' ? <IncidentPage key={route.number} number={route.number} /> : null}
        {route.name === 'runbooks' ? <RunbookLibraryPage /> : null}
        {route.name === 'runbook' ? <RunbookPage key={route.slug} slug={route.slug} /> : null}
        {route.name === 'alerts' ? <AlertListPage /> : null}
        {route.name === 'alert' ? <AlertPage key={route.id} id={route.id} /> : null}
        {route.name === 'silences' ? <SilencesPage /> : null}
        {route.name === 'maintenance-windows' ? <MaintenanceWindowsPage /> : null}
        {route.name === 'integrations' ? <IntegrationsPage /> : null}
        {route.name === 'status-pages' ? <StatusPagesPage /> : null}
        {route.name === 'audiences' ? <AudiencesPage /> : null}
        {route.name === 'update-templates' ? <UpdateTemplatesPage /> : null}
        {route.name === 'integration' ? <IntegrationPage key={route.id} id={route.id} /> : null}
        {route.name === 'oncall' ? <OnCallPage /> : null}
        {route.name === 'my-contacts' ? <ContactMethodsPage /> : null}
        {route.name === 'schedules' ? <SchedulesPage /> : null}
        {route.name === 'schedule' ? <SchedulePage key={route.id} id={route.id} /> : null}
        {route.name === 'reports' ? <ReportsPage /> : null}
        {route.name === 'action-items' ? <ActionItemsPage /> : null}
        {route.name === 'postmortems' ? <PostmortemListPage /> : null}
        {route.name === 'postmortem' ? <PostmortemEditorPage key={route.id} id={route.id} /> : null}
        {route.name === 'services' ? <ServicesPage /> : null}
        {route.name === 'service' ? <ServicePage key={route.slug} slug={route.slug} /> : null}
        {route.name === 'severities' ? <SeveritiesPage /> : null}
        {route.name === 'checklists' ? <ChecklistTemplatesPage /> : null}
        {route.name === 'incident-roles' ? <IncidentRolesPage /> : null}
        {route.name === 'policies' ? <PoliciesPage /> : null}
        {route.name === 'people' ? <PeoplePage /> : null}
        {route.name === 'not-found' ? (
          <div className="empty">
            <h1>Page not found</h1>
            <a href="/" onClick={linkClick}>
              Back to incidents
            </a>
          </div>
        ) : null}
      </main>
    </AppContext.Provider>
  );
}
