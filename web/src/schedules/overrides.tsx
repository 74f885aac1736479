import { useState } from 'react';
import { api, call, client } from '../api/client.js';
import { ErrorBanner, fieldError } from '../components/error-banner.js';
import { absoluteTime } from '../lib/time.js';
import { useAction } from '../lib/use-action.js';
import { toLocalInput, usePeople } from './people.js';
import type { Override, Schedule } from './types.js';

const HOUR = 3_600_000;

/**
 * Add an override: someone covers a time range, for whoever is on call or only for one person
 * ("cover for me" fixes that person to the signed-in user). Times are typed in the browser's zone
 * and sent as instants.
 */
export function OverrideForm({ schedules, forUser, title, onAdded }: {
  schedules: Pick<Schedule, 'id' | 'name' | 'layers'>[];
  /** Fixed "covers for" (the cover-for-me form); absent: the form offers a choice. */
  forUser?: string;
  title: string;
  onAdded: () => unknown;
}) {
  const { users, name } = usePeople();
  const { busy, error, run } = useAction();
  const next = Math.ceil(Date.now() / HOUR) * HOUR;
  const [scheduleId, setScheduleId] = useState(schedules[0]?.id ?? '');
  const [user, setUser] = useState('');
  const [replaces, setReplaces] = useState(forUser ?? '');
  const [start, setStart] = useState(toLocalInput(next));
  const [end, setEnd] = useState(toLocalInput(next + 12 * HOUR));
  const schedule = schedules.find((s) => s.id === scheduleId);
  const members = [...new Set(schedule?.layers.flatMap((l) => l.rotation.members) ?? [])];
  const err = (field: string) => fieldError(error, field);

  return (
    <form
      className="card override-form"
      onSubmit={(e) => {
        e.preventDefault();
        void run('add', async () => {
          const from = new Date(start);
          const until = new Date(end);
          await call(client.POST('/api/v1/schedules/{schedule}/overrides', { params: { path: { schedule: scheduleId } }, body: {
            user,
            ...(replaces ? { replacesUser: replaces } : {}),
            start: Number.isNaN(from.getTime()) ? start : from.toISOString(),
            end: Number.isNaN(until.getTime()) ? end : until.toISOString(),
          } }));
          setUser('');
          await onAdded();
        });
      }}
    >
      <h3>{title}</h3>
      <ErrorBanner error={error} />
      <div className="override-fields">
        {schedules.length > 1 || forUser ? (
          <label className="field">
            <span>Schedule</span>
            <select aria-label="Schedule" value={scheduleId} onChange={(e) => setScheduleId(e.target.value)} required>
              {schedules.map((s) => (
                <option key={s.id} value={s.id}>
                  {s.name}
                </option>
              ))}
            </select>
          </label>
        ) : null}
        <label className="field">
          <span>Who covers</span>
          <select aria-label="Who covers" value={user} onChange={(e) => setUser(e.target.value)} required>
            <option value="">Choose a person…</option>
            {users.filter((u) => u.id !== forUser).map((u) => (
              <option key={u.id} value={u.id}>
                {u.name || u.email}
              </option>
            ))}
          </select>
          {err('user') ? <small className="field-error">{err('user')}</small> : null}
        </label>
        {forUser ? null : (
          <label className="field">
            <span>Covers for</span>
            <select aria-label="Covers for" value={replaces} onChange={(e) => setReplaces(e.target.value)}>
              <option value="">Whoever is on call</option>
              {members.map((id) => (
                <option key={id} value={id}>
                  Only {name(id)}
                </option>
              ))}
            </select>
          </label>
        )}
        <label className="field">
          <span>From</span>
          <input type="datetime-local" value={start} onChange={(e) => setStart(e.target.value)} required />
          {err('start') ? <small className="field-error">{err('start')}</small> : null}
        </label>
        <label className="field">
          <span>Until</span>
          <input type="datetime-local" value={end} onChange={(e) => setEnd(e.target.value)} required />
          {err('end') ? <small className="field-error">{err('end')}</small> : null}
        </label>
      </div>
      <p className="muted override-zone">Times are in your browser's time zone ({Intl.DateTimeFormat().resolvedOptions().timeZone}).</p>
      <div className="form-actions">
        <button type="submit" className="btn btn-primary" disabled={busy !== null || !scheduleId}>
          Add override
        </button>
      </div>
    </form>
  );
}

/** Overrides with who covers, for whom and when; each can be removed. Past ones are left out. */
export function OverrideList({ items, onRemoved }: { items: (Override & { scheduleId: string; scheduleName?: string })[]; onRemoved: () => unknown }) {
  const { name } = usePeople();
  const { busy, error, run } = useAction();
  const now = Date.now();
  const current = items.filter((o) => Date.parse(o.end) > now).sort((a, b) => Date.parse(a.start) - Date.parse(b.start));
  return (
    <div className="overrides">
      <ErrorBanner error={error} />
      {current.length === 0 ? <p className="muted">No current or upcoming overrides.</p> : null}
      <ul className="override-list">
        {current.map((o) => (
          <li key={o.id} className="override-item" data-override={o.id}>
            <span>
              <strong>{name(o.userId)}</strong> covers {o.replacesUserId ? `for ${name(o.replacesUserId)}` : 'whoever is on call'}
              {o.scheduleName ? <> on <em>{o.scheduleName}</em></> : null}
            </span>
            <span className="muted">
              {absoluteTime(o.start)} – {absoluteTime(o.end)}
            </span>
            <button
              type="button"
              className="btn btn-small btn-quiet"
              disabled={busy !== null}
              aria-label={`Remove the override of ${name(o.userId)} from ${absoluteTime(o.start)}`}
              onClick={() => void run(o.id, async () => {
                await call(client.DELETE('/api/v1/schedules/{schedule}/overrides/{override}', { params: { path: { schedule: o.scheduleId, override: o.id } } }));
                await onRemoved();
              })}
            >
              Remove
            </button>
          </li>
        ))}
      </ul>
    </div>
  );
}
