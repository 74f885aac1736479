import { useSyncExternalStore, type MouseEvent } from 'react';

/**
 * Client-side routing on the History API, small enough not to need a dependency. The server
 * answers every HTML GET with index.html, so any of these URLs can be opened directly.
 */
export type Route =
  | { name: 'list' }
  | { name: 'new' }
  | { name: 'incident'; number: number }
  | { name: 'sign-in' }
  | { name: 'runbooks' }
  | { name: 'runbook'; slug: string }
  | { name: 'integrations' }
  | { name: 'integration'; id: string }
  | { name: 'oncall' }
  | { name: 'my-contacts' }
  | { name: 'schedules' }
  | { name: 'schedule'; id: string }
  | { name: 'status-pages' }
  | { name: 'audiences' }
  | { name: 'update-templates' }
  | { name: 'reports' }
  | { name: 'action-items' }
  | { name: 'postmortems' }
  | { name: 'postmortem'; id: string }
  | { name: 'services' }
  | { name: 'service'; slug: string }
  | { name: 'severities' }
  | { name: 'checklists' }
  | { name: 'incident-roles' }
  | { name: 'alerts' }
  | { name: 'alert'; id: string }
  | { name: 'silences' }
  | { name: 'maintenance-windows' }
  | { name: 'policies' }
  | { name: 'people' }
  | { name: 'welcome' }
  | { name: 'not-found' };

export function matchRoute(pathname: string): Route {
  const path = pathname.replace(/\/+$/, '') || '/';
  if (path === '/') return { name: 'list' };
  if (path === '/sign-in') return { name: 'sign-in' };
  if (path === '/incidents/new') return { name: 'new' };
  if (path === '/runbooks') return { name: 'runbooks' };
  if (path === '/oncall') return { name: 'oncall' };
  if (path === '/me/contacts') return { name: 'my-contacts' };
  if (path === '/schedules') return { name: 'schedules' };
  const schedule = /^\/schedules\/(sch_[A-Za-z0-9]{1,64})$/.exec(path);
  if (schedule) return { name: 'schedule', id: schedule[1]! };
  if (path === '/status-pages') return { name: 'status-pages' };
  if (path === '/status-pages/audiences') return { name: 'audiences' };
  if (path === '/status-pages/templates') return { name: 'update-templates' };
  if (path === '/reports') return { name: 'reports' };
  if (path === '/policies') return { name: 'policies' };
  if (path === '/people') return { name: 'people' };
  if (path === '/welcome') return { name: 'welcome' };
  if (path === '/action-items') return { name: 'action-items' };
  if (path === '/postmortems') return { name: 'postmortems' };
  if (path === '/services') return { name: 'services' };
  const svc = /^\/services\/([a-z0-9][a-z0-9-]{0,99})$/.exec(path);
  if (svc) return { name: 'service', slug: svc[1]! };
  if (path === '/severities') return { name: 'severities' };
  if (path === '/checklists') return { name: 'checklists' };
  if (path === '/incident-roles') return { name: 'incident-roles' };
  const pm = /^\/postmortems\/(pm_[a-z0-9]{1,64})$/.exec(path);
  if (pm) return { name: 'postmortem', id: pm[1]! };
  const rb = /^\/runbooks\/([a-z0-9][a-z0-9-]{0,99})$/.exec(path);
  if (rb) return { name: 'runbook', slug: rb[1]! };
  if (path === '/alerts') return { name: 'alerts' };
  const alert = /^\/alerts\/(alr_[a-z0-9]{1,64})$/.exec(path);
  if (alert) return { name: 'alert', id: alert[1]! };
  if (path === '/silences') return { name: 'silences' };
  if (path === '/maintenance-windows') return { name: 'maintenance-windows' };
  if (path === '/integrations') return { name: 'integrations' };
  const integration = /^\/integrations\/(int_[a-z0-9]{1,64})$/.exec(path);
  if (integration) return { name: 'integration', id: integration[1]! };
  const m = /^\/incidents\/(\d{1,12})$/.exec(path);
  if (m) return { name: 'incident', number: Number(m[1]) };
  return { name: 'not-found' };
}

const listeners = new Set<() => void>();
const notify = () => listeners.forEach((l) => l());
window.addEventListener('popstate', notify);

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

const snapshot = () => window.location.pathname + window.location.search;

/** The current path and query; re-renders on navigate() and back/forward. */
export function useLocation(): { pathname: string; search: URLSearchParams; href: string } {
  const href = useSyncExternalStore(subscribe, snapshot);
  const url = new URL(href, window.location.origin);
  return { pathname: url.pathname, search: url.searchParams, href };
}

export function navigate(to: string, opts: { replace?: boolean } = {}): void {
  if (to === snapshot()) return;
  if (opts.replace) window.history.replaceState(null, '', to);
  else window.history.pushState(null, '', to);
  if (!opts.replace) window.scrollTo(0, 0);
  notify();
}

/** onClick for <a href>: keeps new-tab and modifier clicks native, routes plain clicks in-app. */
export function linkClick(event: MouseEvent<HTMLAnchorElement>): void {
  if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
  const href = event.currentTarget.getAttribute('href');
  if (!href || !href.startsWith('/') || event.currentTarget.target === '_blank') return;
  event.preventDefault();
  navigate(href);
}
