import { useEffect, useState } from 'react';
import { api } from '../api/client.js';
import { ErrorBanner } from '../components/error-banner.js';
import { linkClick } from '../lib/router.js';
import { STATUS_TEXT, type Postmortem, type PostmortemStatus } from './types.js';

/** All post-mortems, newest first, filterable by status; linked from Reports and incident pages. */
export function PostmortemListPage() {
  const [status, setStatus] = useState<PostmortemStatus | ''>('');
  const [items, setItems] = useState<Postmortem[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    document.title = 'Post-mortems · Firebreak';
    api.get('/api/v1/postmortems', { params: { query: { status: status || undefined, limit: 200 } } }).then((r) => setItems(r.items), setError);
  }, [status]);
  return (
    <div className="postmortems">
      <h1>Post-mortems</h1>
      <label>
        Status{' '}
        <select value={status} onChange={(e) => setStatus(e.target.value as PostmortemStatus | '')}>
          <option value="">All</option>
          {(Object.keys(STATUS_TEXT) as PostmortemStatus[]).map((s) => <option key={s} value={s}>{STATUS_TEXT[s]}</option>)}
        </select>
      </label>
      <ErrorBanner error={error} />
      {items === null ? <p className="muted">Loading…</p> : items.length === 0 ? <p className="muted">No post-mortems yet. Write one from a resolved incident's page.</p> : (
        <table className="report-table">
          <thead><tr><th scope="col">Post-mortem</th><th scope="col">Status</th><th scope="col">Incidents</th><th scope="col">Owner</th><th scope="col">Due</th></tr></thead>
          <tbody>
            {items.map((p) => (
              <tr key={p.id}>
                <td><a href={`/postmortems/${p.id}`} onClick={linkClick}>{p.title}</a></td>
                <td><span className={`pm-status pm-${p.status}`}>{STATUS_TEXT[p.status]}</span></td>
                <td>{p.incidents.map((i) => <a key={i.id} href={`/incidents/${i.number}`} onClick={linkClick}>#{i.number} </a>)}</td>
                <td>{p.owner?.name ?? ''}</td>
                <td className={p.overdue ? 'warn-text' : ''}>{p.dueAt && p.status !== 'published' ? `${new Date(p.dueAt).toLocaleDateString()}${p.overdue ? ' (overdue)' : ''}` : ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
