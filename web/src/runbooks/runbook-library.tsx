import { useEffect, useState } from 'react';
import { api } from '../api/client.js';
import { actorRole } from '../api/types.js';
import { ErrorBanner } from '../components/error-banner.js';
import { Markdown } from '../components/markdown.js';
import { useApp } from '../lib/app-context.js';
import { linkClick, navigate, useLocation } from '../lib/router.js';
import { RunbookImport } from './runbook-import.js';
import { RunbookStructureView } from './runbook-structure.js';
import type { RunbookDetail, RunbookSummary } from './types.js';
import './runbooks.css';

/** The runbook library: search, then one runbook rendered with its versions and the incidents that used it. */
export function RunbookLibraryPage() {
  const { search } = useLocation();
  const q = search.get('q') ?? '';
  const [query, setQuery] = useState(q);
  const [items, setItems] = useState<RunbookSummary[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  // Bumped after an import so the list re-reads.
  const [reload, setReload] = useState(0);
  // Importing needs admin (runbook content decides what a runner may be asked to run); the
  // server checks too, this only hides a control that would always be refused.
  const isAdmin = actorRole(useApp().session.actor) === 'admin';

  useEffect(() => {
    document.title = 'Runbooks · Firebreak';
    let stale = false;
    api.get('/api/v1/runbooks', { params: { query: q ? { q } : {} } })
      .then((r) => !stale && setItems(r.items), (e: unknown) => !stale && setError(e));
    return () => {
      stale = true;
    };
  }, [q, reload]);

  return (
    <div className="runbook-library">
      <h1>Runbooks</h1>
      {isAdmin ? <RunbookImport onImported={() => setReload((n) => n + 1)} /> : null}
      <form
        role="search"
        onSubmit={(e) => {
          e.preventDefault();
          navigate(query.trim() ? `/runbooks?q=${encodeURIComponent(query.trim())}` : '/runbooks');
        }}
      >
        <label>
          Search runbooks
          <input type="search" value={query} onChange={(e) => setQuery(e.target.value)} placeholder="title, slug or summary" />
        </label>
        <button type="submit" className="btn btn-small">Search</button>
      </form>
      <ErrorBanner error={error} />
      {items === null ? <p className="muted">Loading…</p> : null}
      {items?.length === 0 ? <p className="muted">No runbooks{q ? ` match “${q}”` : ` yet: import some${isAdmin ? ' above or' : ''} with \`firebreak runbook import\``}.</p> : null}
      <ul className="rb-library-list">
        {items?.map((rb) => (
          <li key={rb.id} className="card">
            <a href={`/runbooks/${encodeURIComponent(rb.slug)}`} onClick={linkClick}>
              <strong>{rb.title}</strong>
            </a>{' '}
            <span className="muted">
              {rb.slug} · v{rb.version}
              {rb.service ? ` · ${rb.service}` : ''}
              {rb.severity ? ` · ${rb.severity}` : ''}
            </span>
            {rb.summary ? <p>{rb.summary}</p> : null}
            <p className="muted">
              Last reviewed {rb.lastReviewed ?? 'never'}
              {rb.reviewOverdue ? <span className="warn-text"> · review overdue</span> : null}
            </p>
          </li>
        ))}
      </ul>
    </div>
  );
}

export function RunbookPage({ slug }: { slug: string }) {
  const { search } = useLocation();
  const version = search.get('version');
  const [rb, setRb] = useState<RunbookDetail | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [view, setView] = useState<'structure' | 'source'>('structure');

  useEffect(() => {
    let stale = false;
    api.get('/api/v1/runbooks/{runbook}', { params: { path: { runbook: slug }, query: version ? { version } : {} } })
      .then((r) => {
        if (stale) return;
        setRb(r);
        document.title = `${r.title} · Runbooks · Firebreak`;
      }, (e: unknown) => !stale && setError(e));
    return () => {
      stale = true;
    };
  }, [slug, version]);

  if (error) return <ErrorBanner error={error} />;
  if (!rb) return <p className="muted">Loading runbook…</p>;
  return (
    <article className="runbook-page">
      <a href="/runbooks" className="back" onClick={linkClick}>← Runbooks</a>
      <h1>{rb.title}</h1>
      <p className="muted">
        {rb.slug} · showing v{rb.shown.version}
        {rb.shown.version !== rb.version ? ` (current v${rb.version})` : ''} · {rb.service ?? 'no service'} · {rb.severity ?? 'no severity'} · owner {rb.owner ?? '-'} · last reviewed {rb.lastReviewed ?? 'never'}
        {rb.reviewOverdue ? <span className="warn-text"> · review overdue</span> : null}
      </p>
      {rb.lint.length ? (
        <ul className="rb-lint">
          {rb.lint.map((w, i) => (
            <li key={i} className="warn-text">{w.message}</li>
          ))}
        </ul>
      ) : null}
      <div className="incident-grid">
        <section className="card incident-main">
          <div className="rb-view-tabs" role="tablist" aria-label="Show the runbook as">
            <button type="button" role="tab" aria-selected={view === 'structure'} className={`btn btn-small${view === 'structure' ? ' btn-primary' : ''}`} onClick={() => setView('structure')}>Structure</button>
            <button type="button" role="tab" aria-selected={view === 'source'} className={`btn btn-small${view === 'source' ? ' btn-primary' : ''}`} onClick={() => setView('source')}>Document</button>
          </div>
          {view === 'structure' ? <RunbookStructureView structure={rb.shown.structure} /> : <Markdown source={rb.shown.sourceMarkdown} />}
        </section>
        <aside className="incident-side">
          <section className="card">
            <h2>Versions</h2>
            <ol className="rb-versions">
              {rb.versions.map((v) => (
                <li key={v.id}>
                  <a href={`/runbooks/${encodeURIComponent(rb.slug)}?version=${v.version}`} onClick={linkClick} aria-current={v.version === rb.shown.version ? 'true' : undefined}>
                    v{v.version}
                  </a>{' '}
                  <span className="muted">{new Date(v.createdAt).toLocaleString()} by {v.createdBy}</span>
                </li>
              ))}
            </ol>
          </section>
          <section className="card">
            <h2>Matches</h2>
            {rb.matchers.length ? (
              <ul>
                {rb.matchers.map((m, i) => (
                  <li key={i}><code>{m.kind === 'label' ? `${m.name}${m.op}${m.value}` : `${m.kind} = ${m.value}`}</code></li>
                ))}
              </ul>
            ) : <p className="muted">No matchers: attached by hand only.</p>}
          </section>
          <section className="card">
            <h2>Used in</h2>
            {rb.incidents.length ? (
              <ul>
                {rb.incidents.map((i) => (
                  <li key={i.id}>
                    <a href={`/incidents/${i.number}`} onClick={linkClick}>#{i.number} {i.title}</a>{' '}
                    <span className="muted">v{i.version} · {i.status}{i.isDrill ? ' · drill' : ''}</span>
                  </li>
                ))}
              </ul>
            ) : <p className="muted">No incident has used it yet.</p>}
          </section>
        </aside>
      </div>
    </article>
  );
}
