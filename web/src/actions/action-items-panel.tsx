import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { api, ref } from '../api/client.js';
import type { Incident } from '../api/types.js';
import { ErrorBanner } from '../components/error-banner.js';
import { linkClick } from '../lib/router.js';
import { useAction } from '../lib/use-action.js';
import { day, PRIORITIES, safeHref, STATUS_WORDS, type ActionItem, type ActionPriority, type ActionStatus, type UserOption } from './types.js';
import './actions.css';

/** One item: title (and its issue link), owner, due date, and the buttons that close it. */
function ItemRow({ item, onChanged, showIncident }: { item: ActionItem; onChanged: () => Promise<void>; showIncident?: boolean }) {
  const act = useAction();
  const [reason, setReason] = useState<string | null>(null);
  const setStatus = (status: ActionStatus, why?: string) =>
    act.run(status, async () => {
      await api.post('/api/v1/action-items/{id}/status', { params: { path: { id: item.id } }, body: { status, reason: why } });
      setReason(null);
      await onChanged();
    });
  const href = safeHref(item.externalUrl);
  return (
    <li className={`action-item action-${item.status}${item.overdue ? ' action-overdue' : ''}`} data-testid="action-item">
      <div className="action-title">
        <strong>{item.title}</strong>
        {href ? (
          <>
            {' '}
            <a href={href} target="_blank" rel="noopener noreferrer">
              {href.replace(/^https?:\/\//, '').slice(0, 60)}
            </a>
          </>
        ) : null}
      </div>
      <div className="muted action-meta">
        {item.owner.name} · due {day(item.dueAt)}
        {item.overdue ? <span className="action-overdue-word"> (overdue)</span> : null} · {item.priority} · <span data-testid="action-status">{STATUS_WORDS[item.status]}</span>
        {item.reason ? ` (${item.reason})` : ''}
        {showIncident ? (
          <>
            {' · '}
            <a href={`/incidents/${item.incident.number}`} onClick={linkClick}>
              #{item.incident.number} {item.incident.title}
            </a>
          </>
        ) : null}
      </div>
      <ErrorBanner error={act.error} onDismiss={() => act.setError(null)} />
      {item.status === 'open' ? (
        reason === null ? (
          <div className="form-actions">
            <button type="button" className="btn btn-small" onClick={() => void setStatus('done')} disabled={act.busy !== null}>
              Done
            </button>
            <button type="button" className="btn btn-quiet btn-small" onClick={() => setReason('')}>
              Won't do…
            </button>
          </div>
        ) : (
          <form className="form-actions" onSubmit={(e) => (e.preventDefault(), void setStatus('wont_do', reason))}>
            <input aria-label="Reason" placeholder="Why not?" value={reason} onChange={(e) => setReason(e.target.value)} />
            <button type="submit" className="btn btn-small" disabled={!reason.trim() || act.busy !== null}>
              Close as won't do
            </button>
            <button type="button" className="btn btn-quiet btn-small" onClick={() => setReason(null)}>
              Cancel
            </button>
          </form>
        )
      ) : (
        <div className="form-actions">
          <button type="button" className="btn btn-quiet btn-small" onClick={() => void setStatus('open')} disabled={act.busy !== null}>
            Re-open
          </button>
        </div>
      )}
    </li>
  );
}

export function ActionItemList({ items, onChanged, showIncident }: { items: ActionItem[]; onChanged: () => Promise<void>; showIncident?: boolean }) {
  return (
    <ul className="action-items">
      {items.map((i) => (
        <ItemRow key={i.id} item={i} onChanged={onChanged} showIncident={showIncident} />
      ))}
    </ul>
  );
}

/** Action items of this incident, with a form to add one (owner, due date, priority, issue link). */
export function ActionItemsPanel({ incident }: { incident: Incident }) {
  const [items, setItems] = useState<ActionItem[] | null>(null);
  const [adding, setAdding] = useState(false);
  const load = useAction();
  const reload = useCallback(
    () => load.run('load', async () => setItems((await api.get('/api/v1/incidents/{incident}/action-items', { params: { path: { incident: ref(incident.number) } } })).items)).then(() => undefined),
    [incident.number, load.run],
  );
  useEffect(() => {
    void reload();
  }, [reload]);
  const open = items?.filter((i) => i.status === 'open').length ?? 0;
  return (
    <section className="card" aria-labelledby="actions-h">
      <div className="card-head">
        <h2 id="actions-h">
          Action items {items?.length ? <span className="muted">{open} open</span> : null}
        </h2>
        {!adding ? (
          <button type="button" className="btn btn-primary btn-small" onClick={() => setAdding(true)}>
            Add action item
          </button>
        ) : null}
      </div>
      <ErrorBanner error={load.error} />
      {adding ? <AddActionItem incident={incident} onCancel={() => setAdding(false)} onAdded={async () => (setAdding(false), await reload())} /> : null}
      {items && items.length ? <ActionItemList items={items} onChanged={reload} /> : items ? <p className="muted">No action items.</p> : null}
      <p className="muted">
        <a href="/action-items" onClick={linkClick}>
          All action items
        </a>
      </p>
    </section>
  );
}

function AddActionItem({ incident, onCancel, onAdded }: { incident: Incident; onCancel: () => void; onAdded: () => Promise<void> }) {
  const [users, setUsers] = useState<UserOption[]>([]);
  const [title, setTitle] = useState('');
  const [owner, setOwner] = useState('');
  const [due, setDue] = useState(() => new Date(Date.now() + 14 * 86_400_000).toISOString().slice(0, 10));
  const [priority, setPriority] = useState<ActionPriority>('medium');
  const [link, setLink] = useState('');
  const act = useAction();
  useEffect(() => {
    void api.get('/api/v1/users').then((r) => {
      setUsers(r.items);
      setOwner((o) => o || r.items[0]?.id || '');
    });
  }, []);
  async function submit(event: FormEvent) {
    event.preventDefault();
    await act.run('add', async () => {
      await api.post('/api/v1/incidents/{incident}/action-items', { params: { path: { incident: ref(incident.number) } }, body: { title, owner, dueAt: due, priority, externalUrl: link.trim() || undefined } });
      await onAdded();
    });
  }
  return (
    <form className="form action-add" onSubmit={(e) => void submit(e)} aria-label="Add an action item">
      <ErrorBanner error={act.error} onDismiss={() => act.setError(null)} />
      <label className="field">
        <span>Title</span>
        <input value={title} onChange={(e) => setTitle(e.target.value)} aria-label="Action item title" required />
      </label>
      <div className="action-row">
        <label className="field">
          <span>Owner</span>
          <select value={owner} onChange={(e) => setOwner(e.target.value)} aria-label="Owner">
            {users.map((u) => (
              <option key={u.id} value={u.id}>
                {u.name} ({u.email})
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          <span>Due</span>
          <input type="date" value={due} onChange={(e) => setDue(e.target.value)} aria-label="Due date" required />
        </label>
        <label className="field">
          <span>Priority</span>
          <select value={priority} onChange={(e) => setPriority(e.target.value as ActionPriority)} aria-label="Priority">
            {PRIORITIES.map((p) => (
              <option key={p} value={p}>
                {p}
              </option>
            ))}
          </select>
        </label>
      </div>
      <label className="field">
        <span>
          Issue link <span className="muted">(optional, http or https)</span>
        </span>
        <input type="url" value={link} onChange={(e) => setLink(e.target.value)} aria-label="Issue link" placeholder="https://github.com/acme/shop/issues/881" />
      </label>
      <div className="form-actions">
        <button type="submit" className="btn btn-primary" disabled={!title.trim() || !owner || act.busy !== null}>
          {act.busy ? 'Adding…' : 'Add'}
        </button>
        <button type="button" className="btn btn-quiet" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}

/** Open items from earlier incidents on this service: what was promised last time and not yet done. */
export function EarlierOpenItems({ items }: { items: ActionItem[] | undefined }) {
  if (!items || items.length === 0) return null;
  return (
    <section className="card action-earlier" aria-labelledby="earlier-h" data-testid="earlier-action-items">
      <h2 id="earlier-h">Open action items on this service</h2>
      <p className="muted">From earlier incidents, not done yet:</p>
      <ul>
        {items.map((i) => (
          <li key={i.id}>
            <a href={`/incidents/${i.incident.number}`} onClick={linkClick}>
              #{i.incident.number}
            </a>{' '}
            {i.title} <span className="muted">— {i.owner.name}, due {day(i.dueAt)}{i.overdue ? ' (overdue)' : ''}</span>
          </li>
        ))}
      </ul>
    </section>
  );
}
