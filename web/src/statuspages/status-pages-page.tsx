import { useEffect, useState, type FormEvent } from 'react';
import { api } from '../api/client.js';
import type { components } from '../api/schema.js';
import { actorRole } from '../api/types.js';
import { ErrorBanner } from '../components/error-banner.js';
import { useApp } from '../lib/app-context.js';
import { MaintenancePanel } from './maintenance-panel.js';
import { PageEditor } from './page-editor.js';
import { linkClick } from '../lib/router.js';
import { SubscribersPanel } from './subscribers-panel.js';

export type StatusPage = components['schemas']['StatusPage'];

/**
 * Status pages: create a page; edit it with a live preview (page-editor.tsx); publish
 * auto-publish drafts with one click; see where the page and its public incidents disagree.
 * Non-admins see the public page itself (an iframe of /status/<slug>).
 */
export function StatusPagesPage() {
  const { session, services } = useApp();
  const isAdmin = actorRole(session.actor) === 'admin';
  const [pages, setPages] = useState<StatusPage[] | null>(null);
  const [selected, setSelected] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [version, setVersion] = useState(0);

  useEffect(() => {
    document.title = 'Status pages · Firebreak';
    let stale = false;
    api.get('/api/v1/status-pages').then((r) => {
      if (stale) return;
      setPages(r.items);
      setSelected((s) => s ?? r.items[0]?.slug ?? null);
    }, (e: unknown) => !stale && setError(e));
    return () => {
      stale = true;
    };
  }, [version]);

  const changed = () => setVersion((n) => n + 1);
  const page = pages?.find((p) => p.slug === selected) ?? null;

  return (
    <div className="status-pages">
      <div className="page-head">
        <h1>Status pages</h1>
        <p className="muted">
          Internal stakeholders: <a href="/status-pages/audiences" onClick={linkClick}>Audiences</a> · <a href="/status-pages/templates" onClick={linkClick}>Update templates</a>
        </p>
      </div>
      <ErrorBanner error={error} />
      {isAdmin ? <CreatePageForm onCreated={(slug) => { setSelected(slug); changed(); }} onError={setError} /> : null}
      {pages?.length === 0 ? <p className="muted">No status pages yet.</p> : null}
      {pages && pages.length > 0 ? (
        <label>
          Page{' '}
          <select value={selected ?? ''} onChange={(e) => setSelected(e.target.value)}>
            {pages.map((p) => (
              <option key={p.id} value={p.slug}>
                {p.name} ({p.slug})
              </option>
            ))}
          </select>
        </label>
      ) : null}
      {page ? (
        <section className="card" aria-labelledby="sp-components">
          <h2 id="sp-components">
            {page.name}: {page.status.description}
          </h2>
          <p className="muted">
            Public at <a href={`/status/${page.slug}`}>/status/{page.slug}</a>
            {page.hostName ? ` and https://${page.hostName}/` : ''} · <a href={`/status/${page.slug}/api/v2/summary.json`}>summary.json</a>
          </p>
          <ul data-testid="sp-component-list">
            {page.components.map((c) => (
              <li key={c.id}>
                {c.groupId ? '— ' : ''}
                <strong>{c.name}</strong>
                {c.group ? ' (group)' : ''}: {c.status.replace(/_/g, ' ')}
                {c.services.length ? <span className="muted"> · {c.services.map((id) => services?.find((s) => s.id === id)?.slug ?? id).join(', ')}</span> : null}
              </li>
            ))}
          </ul>
          {page.mismatches.length > 0 ? (
            <div className="card warning" data-testid="sp-mismatches" role="note" aria-label="Mismatches">
              <strong>Check the page:</strong>
              <ul>{page.mismatches.map((m, i) => <li key={i}>{m.message}</li>)}</ul>
            </div>
          ) : null}
          {page.openPublicIncidents.length > 0 ? (
            <>
              <h2>Open public incidents</h2>
              <ul data-testid="sp-public-incidents">
                {page.openPublicIncidents.map((i) => (
                  <li key={i.id}>
                    {i.draft ? <strong>Draft: </strong> : null}
                    <a href={`/incidents/${i.incidentNumber}`}>#{i.incidentNumber}</a> “{i.name}” ({i.status}){' '}
                    {i.draft ? <PublishDraftButton page={page.slug} incident={i.incidentNumber} name={i.name} onDone={changed} onError={setError} /> : null}
                  </li>
                ))}
              </ul>
            </>
          ) : null}
          {isAdmin ? <SubscribersPanel page={page} /> : null}
          <MaintenancePanel page={page} canEdit={actorRole(session.actor) !== 'viewer'} onChanged={changed} />
          {isAdmin ? (
            <PageEditor page={page} onSaved={changed} onError={setError} />
          ) : (
            <>
              <h2>Preview</h2>
              <iframe key={`${page.slug}-${version}`} title={`Preview of ${page.name}`} src={`/status/${page.slug}?preview=${version}`} style={{ width: '100%', maxWidth: 420, height: 640, border: '1px solid #ccc', borderRadius: 8 }} />
            </>
          )}
        </section>
      ) : null}
    </div>
  );
}

function CreatePageForm({ onCreated, onError }: { onCreated: (slug: string) => void; onError: (e: unknown) => void }) {
  const [slug, setSlug] = useState('');
  const [name, setName] = useState('');
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    try {
      const p = await api.post('/api/v1/status-pages', { body: { slug, name } });
      setSlug('');
      setName('');
      onError(null);
      onCreated(p.slug);
    } catch (err) {
      onError(err);
    }
  };
  return (
    <form className="card" onSubmit={(e) => void submit(e)} aria-label="New status page">
      <label>
        Name <input value={name} onChange={(e) => setName(e.target.value)} required />
      </label>{' '}
      <label>
        Slug <input value={slug} onChange={(e) => setSlug(e.target.value)} required pattern="[a-z0-9][a-z0-9\-]*" />
      </label>{' '}
      <button type="submit" className="btn">
        Create page
      </button>
    </form>
  );
}

function PublishDraftButton({ page, incident, name, onDone, onError }: { page: string; incident: number; name: string; onDone: () => void; onError: (e: unknown) => void }) {
  const [busy, setBusy] = useState(false);
  const click = async () => {
    setBusy(true);
    try {
      await api.post('/api/v1/status-pages/{page}/incidents/{incident}/publish', { params: { path: { page, incident: String(incident) } }, body: {} });
      onError(null);
      onDone();
    } catch (err) {
      onError(err);
    } finally {
      setBusy(false);
    }
  };
  return (
    <button type="button" className="btn" disabled={busy} aria-label={`Publish draft “${name}”`} onClick={() => void click()}>
      Publish
    </button>
  );
}
