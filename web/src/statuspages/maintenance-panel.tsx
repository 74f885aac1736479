import { useEffect, useState, type FormEvent } from 'react';
import { api, ApiError, type BodyOf } from '../api/client.js';
import type { components } from '../api/schema.js';
import { ErrorBanner } from '../components/error-banner.js';
import { Markdown } from '../components/markdown.js';
import { useApp } from '../lib/app-context.js';

type Maintenance = components['schemas']['Maintenance'];
type Move = 'start' | 'verify' | 'complete' | 'cancel';
const PATH = '/api/v1/status-pages/{page}/maintenances';
interface PageRef {
  slug: string;
  components: { id: string; name: string; group: boolean }[];
}

const NEXT: Partial<Record<Maintenance['status'], { action: Move; label: string }[]>> = {
  scheduled: [{ action: 'start', label: 'Start now' }, { action: 'cancel', label: 'Cancel' }],
  in_progress: [{ action: 'verify', label: 'Verifying' }, { action: 'complete', label: 'Complete' }, { action: 'cancel', label: 'Cancel' }],
  verifying: [{ action: 'complete', label: 'Complete' }, { action: 'cancel', label: 'Cancel' }],
};

/** An ISO time as a datetime-local value (the browser's time zone), and back. */
const toLocal = (iso: string) => {
  const d = new Date(iso);
  return new Date(d.getTime() - d.getTimezoneOffset() * 60_000).toISOString().slice(0, 16);
};
const fromLocal = (value: string) => (value ? new Date(value).toISOString() : '');
const when = (iso: string) => new Date(iso).toLocaleString();
const matcherText = (ms: Maintenance['matchers']) => ms.map((m) => `${m.name}${m.isEqual ? '' : '!'}${m.isRegex ? '=~' : '='}"${m.value}"`).join(', ');

/**
 * Scheduled maintenance of one status page: the list with its status moves, and one form to
 * schedule a new maintenance or edit one that is not over. `onChanged` reloads the preview.
 */
export function MaintenancePanel({ page, canEdit, onChanged }: { page: PageRef; canEdit: boolean; onChanged: () => void }) {
  const [items, setItems] = useState<Maintenance[] | null>(null);
  const [editing, setEditing] = useState<Maintenance | 'new' | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [version, setVersion] = useState(0);
  const base = page.slug;

  useEffect(() => {
    let stale = false;
    api.get(PATH, { params: { path: { page: base } } }).then((r) => !stale && setItems(r.items), (e: unknown) => !stale && setError(e));
    return () => {
      stale = true;
    };
  }, [base, version]);

  const changed = () => {
    setVersion((n) => n + 1);
    onChanged();
  };
  const move = async (m: Maintenance, action: Move) => {
    try {
      await api.post(`${PATH}/{id}/${action}`, { params: { path: { page: base, id: m.id } }, body: {} });
      setError(null);
      changed();
    } catch (e) {
      setError(e);
    }
  };

  return (
    <section aria-labelledby="sp-maintenance">
      <h2 id="sp-maintenance">Scheduled maintenance</h2>
      {editing ? null : <ErrorBanner error={error} />}
      {items?.length === 0 ? <p className="muted">No scheduled maintenance.</p> : null}
      <ul data-testid="sp-maintenance-list">
        {(items ?? []).map((m) => (
          <li key={m.id}>
            <strong>{m.name}</strong> · {m.status.replace('_', ' ')} · {when(m.scheduledFor)} – {when(m.scheduledUntil)}
            {m.components.length ? <span className="muted"> · {m.components.map((c) => c.name).join(', ')}</span> : null}
            {m.matchers.length ? <span className="muted"> · silences {matcherText(m.matchers)}</span> : null}
            {canEdit && NEXT[m.status] ? (
              <span>
                {' '}
                {m.status === 'scheduled' || m.status === 'in_progress' || m.status === 'verifying' ? (
                  <button type="button" className="btn" onClick={() => setEditing(m)}>
                    Edit
                  </button>
                ) : null}
                {NEXT[m.status]!.map((n) => (
                  <button key={n.action} type="button" className="btn" onClick={() => void move(m, n.action)}>
                    {n.label}
                  </button>
                ))}
              </span>
            ) : null}
          </li>
        ))}
      </ul>
      {canEdit && editing === null ? (
        <button type="button" className="btn" onClick={() => { setError(null); setEditing('new'); }}>
          Schedule maintenance
        </button>
      ) : null}
      {canEdit && editing !== null ? (
        <MaintenanceForm
          key={editing === 'new' ? 'new' : editing.id}
          page={page}
          base={base}
          existing={editing === 'new' ? null : editing}
          onDone={() => { setEditing(null); changed(); }}
          onCancel={() => setEditing(null)}
        />
      ) : null}
    </section>
  );
}

function MaintenanceForm({ page, base, existing, onDone, onCancel }: { page: PageRef; base: string; existing: Maintenance | null; onDone: () => void; onCancel: () => void }) {
  const { services } = useApp();
  const running = existing !== null && existing.status !== 'scheduled';
  const [name, setName] = useState(existing?.name ?? '');
  const [description, setDescription] = useState(existing?.description ?? '');
  const [start, setStart] = useState(existing ? toLocal(existing.scheduledFor) : '');
  const [end, setEnd] = useState(existing ? toLocal(existing.scheduledUntil) : '');
  const [components, setComponents] = useState<string[]>(existing?.components.map((c) => c.id) ?? []);
  const [matchers, setMatchers] = useState(existing ? matcherText(existing.matchers) : '');
  const [chosen, setChosen] = useState<string[]>(existing?.services ?? []);
  const [remind, setRemind] = useState(existing ? (existing.remindMinutes === null ? '' : String(existing.remindMinutes)) : '60');
  const [error, setError] = useState<unknown>(null);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const edit = {
      name, description, scheduledUntil: fromLocal(end), components, remindMinutes: remind.trim() ? Number(remind) : null,
      ...(running ? {} : { scheduledFor: fromLocal(start), matchers, services: chosen }),
    };
    const at = { params: { path: { page: base } } };
    try {
      if (existing) await api.patch(`${PATH}/{id}`, { params: { path: { page: base, id: existing.id } }, body: edit });
      // A new one always carries scheduledFor (it is not running).
      else await api.post(PATH, { ...at, body: edit as BodyOf<typeof PATH, 'post'> });
      onDone();
    } catch (err) {
      setError(err);
    }
  };
  const issue = (field: string) => {
    const message = error instanceof ApiError ? error.issues.find((i) => i.field === field || i.field.startsWith(`${field}.`))?.message : null;
    return message ? <span className="field-error" role="alert"> {message}</span> : null;
  };
  const toggle = (id: string) => setComponents((cs) => (cs.includes(id) ? cs.filter((c) => c !== id) : [...cs, id]));

  return (
    <form className="card" onSubmit={(e) => void submit(e)} aria-label={existing ? 'Edit maintenance' : 'Schedule maintenance'}>
      <ErrorBanner error={error} />
      <label>
        Title <input value={name} onChange={(e) => setName(e.target.value)} required maxLength={200} />
        {issue('name')}
      </label>
      <label>
        Public description (Markdown)
        <textarea value={description} onChange={(e) => setDescription(e.target.value)} rows={3} />
      </label>
      {description.trim() ? <Markdown source={description} className="preview" /> : null}
      <label>
        Starts <input type="datetime-local" value={start} onChange={(e) => setStart(e.target.value)} required disabled={running} />
        {issue('scheduledFor')}
      </label>{' '}
      <label>
        Ends <input type="datetime-local" value={end} onChange={(e) => setEnd(e.target.value)} required />
        {issue('scheduledUntil')}
      </label>
      <fieldset>
        <legend>Affected components</legend>
        {page.components.map((c) => (
          <label key={c.id}>
            <input type="checkbox" checked={components.includes(c.id)} onChange={() => toggle(c.id)} /> {c.name}
            {c.group ? ' (group)' : ''}{' '}
          </label>
        ))}
        {issue('components')}
      </fieldset>
      <label>
        Silence alerts matching{' '}
        <input value={matchers} onChange={(e) => setMatchers(e.target.value)} placeholder='alertname=~"Postgres.*", env="prod"' disabled={running} size={40} />
        {issue('matchers')}
      </label>
      <label>
        Hold alerts of services{' '}
        <select multiple value={chosen} onChange={(e) => setChosen([...e.target.selectedOptions].map((o) => o.value))} disabled={running}>
          {(services ?? []).map((s) => (
            <option key={s.id} value={s.id}>
              {s.name}
            </option>
          ))}
        </select>
      </label>
      <label>
        Remind subscribers (minutes before; empty: no reminder) <input type="number" min={1} value={remind} onChange={(e) => setRemind(e.target.value)} size={5} />
        {issue('remindMinutes')}
      </label>
      <div>
        <button type="submit" className="btn">
          {existing ? 'Save maintenance' : 'Schedule'}
        </button>{' '}
        <button type="button" className="btn" onClick={onCancel}>
          Close
        </button>
      </div>
    </form>
  );
}
