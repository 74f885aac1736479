import { useEffect, useState } from 'react';
import { api, ApiError } from '../api/client.js';
import type { Incident } from '../api/types.js';
import { ErrorBanner } from '../components/error-banner.js';
import { navigate } from '../lib/router.js';
import { useAction } from '../lib/use-action.js';
import { STATUS_TEXT, type Postmortem, type PostmortemTemplate } from './types.js';

/**
 * On the incident page: the incident's post-mortem (status, due date, a link to the editor), or
 * "Write post-mortem" once it is resolved; and "Close incident", which the server refuses while
 * the severity requires a published post-mortem.
 */
export function PostmortemPanel({ incident, onClosed }: { incident: Incident; onClosed: () => void }) {
  const action = useAction();
  const [pm, setPm] = useState<Postmortem | null | undefined>(undefined);
  const [templates, setTemplates] = useState<PostmortemTemplate[]>([]);
  const [template, setTemplate] = useState('blameless');
  useEffect(() => {
    let live = true;
    api.get('/api/v1/incidents/{incident}/postmortem', { params: { path: { incident: String(incident.number) } } })
      .then((p) => { if (live) setPm(p); })
      .catch((e: unknown) => { if (live) { if (e instanceof ApiError && e.status === 404) setPm(null); else action.setError(e); } });
    api.get('/api/v1/postmortem-templates').then((r) => { if (live) setTemplates(r.items); }).catch(() => undefined);
    return () => { live = false; };
  }, [incident.number, incident.status, action.setError]);

  const write = () => action.run('write', async () => {
    const created = await api.post('/api/v1/incidents/{incident}/postmortem', { params: { path: { incident: String(incident.number) } }, body: { template } });
    navigate(`/postmortems/${created.id}`);
  });
  const close = () => action.run('close', async () => {
    await api.post('/api/v1/incidents/{incident}/close', { params: { path: { incident: String(incident.number) } } });
    onClosed();
  });
  const resolved = incident.status === 'resolved';

  return (
    <section className="card" aria-labelledby="postmortem-h">
      <h2 id="postmortem-h">Post-mortem</h2>
      <ErrorBanner error={action.error} onDismiss={() => action.setError(null)} />
      {pm === undefined ? <p className="muted">Loading…</p> : null}
      {pm ? (
        <p>
          <a href={`/postmortems/${pm.id}`} onClick={(e) => { e.preventDefault(); navigate(`/postmortems/${pm.id}`); }}>{pm.title}</a>{' '}
          <span className={`pm-status pm-${pm.status}`}>{STATUS_TEXT[pm.status]}</span>
          {pm.dueAt && pm.status !== 'published' ? <span className={pm.overdue ? 'warn-text' : 'muted'}> · due {new Date(pm.dueAt).toLocaleDateString()}{pm.overdue ? ' (overdue)' : ''}</span> : null}
        </p>
      ) : null}
      {pm === null && resolved ? (
        <div className="pm-write">
          <label>
            Template{' '}
            <select value={template} onChange={(e) => setTemplate(e.target.value)}>
              {(templates.length ? templates : [{ slug: 'blameless', name: 'Blameless (default)' }]).map((t) => <option key={t.slug} value={t.slug}>{t.name}</option>)}
            </select>
          </label>
          <button type="button" className="primary" disabled={action.busy === 'write'} onClick={() => void write()}>
            {action.busy === 'write' ? 'Drafting…' : 'Write post-mortem'}
          </button>
        </div>
      ) : null}
      {pm === null && !resolved ? <p className="muted">Write the post-mortem once the incident is resolved; star key moments on the timeline meanwhile.</p> : null}
      {resolved ? (
        incident.closedAt ? <p className="muted">Closed {new Date(incident.closedAt).toLocaleString()}.</p> : (
          <button type="button" disabled={action.busy === 'close'} onClick={() => void close()}>Close incident</button>
        )
      ) : null}
      <p className="muted small"><a href="/postmortems" onClick={(e) => { e.preventDefault(); navigate('/postmortems'); }}>All post-mortems</a></p>
    </section>
  );
}
