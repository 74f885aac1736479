import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { api } from '../api/client.js';
import type { Incident } from '../api/types.js';
import { ErrorBanner } from '../components/error-banner.js';
import { Markdown } from '../components/markdown.js';
import { TimeAgo } from '../components/time-ago.js';
import { linkClick } from '../lib/router.js';
import { absoluteTime } from '../lib/time.js';
import { useAction } from '../lib/use-action.js';
import { AUDIENCES, UPDATE_KINDS, type Audience, type StakeholderUpdate, type UpdateKind, type UpdateList, type UpdatePreview } from './types.js';
import './updates.css';

/** `YYYY-MM-DDTHH:mm` in local time, what <input type="datetime-local"> shows. */
function toLocalInput(iso: string | null): string {
  if (!iso) return '';
  const d = new Date(iso);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** "12:04" to go, or 3:10 past: minutes and seconds (hours when needed), ticking every second. */
function countdownText(dueIso: string, now: number): { text: string; overdue: boolean } {
  const ms = Date.parse(dueIso) - now;
  const s = Math.floor(Math.abs(ms) / 1000);
  const h = Math.floor(s / 3600);
  const mm = String(Math.floor((s % 3600) / 60)).padStart(h ? 2 : 1, '0');
  const ss = String(s % 60).padStart(2, '0');
  const clock = h ? `${h}:${mm}:${ss}` : `${mm}:${ss}`;
  return { text: clock, overdue: ms < 0 };
}

function useSecondTicker(active: boolean): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!active) return;
    const t = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(t);
  }, [active]);
  return now;
}

/**
 * Stakeholder updates on the incident page: the deadline for the next one, counting down (and
 * overdue shown as such), and a composer pre-filled from the template for the kind, with a
 * rendered preview, audiences and "next update by".
 */
export function UpdatesPanel({ incident, refreshKey, onPosted }: { incident: Incident; refreshKey: number; onPosted: () => Promise<void> }) {
  const [list, setList] = useState<UpdateList | null>(null);
  const [composing, setComposing] = useState(false);
  const load = useAction();
  const reload = useCallback(() => load.run('load', async () => setList(await api.get('/api/v1/incidents/{incident}/updates', { params: { path: { incident: String(incident.number) } } }))), [incident.number, load.run]);
  useEffect(() => {
    void reload();
  }, [reload, refreshKey, incident.status]);
  const now = useSecondTicker(list?.nextUpdateBy != null);
  const due = list?.nextUpdateBy ? countdownText(list.nextUpdateBy, now) : null;
  const last = list?.items.at(-1);

  return (
    <section className="card updates-panel" aria-labelledby="updates-h">
      <div className="card-head">
        <h2 id="updates-h">Stakeholder updates</h2>
        {!composing ? (
          <button type="button" className="btn btn-primary btn-small" onClick={() => setComposing(true)}>
            Post update
          </button>
        ) : null}
      </div>
      <ErrorBanner error={load.error} />
      {list && list.nextUpdateBy && due ? (
        <p className={`update-due ${due.overdue ? 'update-overdue' : ''}`} role="status" data-testid="update-countdown">
          {due.overdue ? 'Update overdue by' : 'Next update due in'} <strong>{due.text}</strong>{' '}
          <span className="muted" title={absoluteTime(list.nextUpdateBy)}>
            (by {new Date(list.nextUpdateBy).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' })})
          </span>
        </p>
      ) : list ? (
        <p className="muted" data-testid="update-countdown">
          {incident.status === 'resolved' ? 'Resolved: no further update is due.' : list.items.length ? 'No next update promised.' : `No update posted yet${list.cadenceSeconds ? `; ${incident.severity} expects one every ${Math.round(list.cadenceSeconds / 60)} min` : ''}.`}
        </p>
      ) : null}
      {composing ? (
        <UpdateComposer
          incident={incident}
          defaultKind={incident.status === 'resolved' ? 'resolution' : list && list.items.length > 0 ? 'update' : 'initial'}
          onCancel={() => setComposing(false)}
          onPosted={async () => {
            setComposing(false);
            await reload();
            await onPosted();
          }}
        />
      ) : null}
      {last ? (
        <div className="update-last">
          <div className="muted">
            Last: {last.kind} to {last.audiences.join(', ')} by {last.author.name}, <TimeAgo iso={last.postedAt} />
            {list && list.items.length > 1 ? ` (${list.items.length} in all)` : ''}
          </div>
          <DeliveryStatus update={last} />
          <Markdown source={last.body} />
        </div>
      ) : null}
      <p className="muted update-links">
        <a href="/status-pages/audiences" onClick={linkClick}>Audiences</a> · <a href="/status-pages/templates" onClick={linkClick}>Update templates</a>
      </p>
    </section>
  );
}

/** Per sent audience: how many deliveries went out, are queued, or failed. */
function DeliveryStatus({ update }: { update: StakeholderUpdate }) {
  const entries = Object.entries(update.deliveries ?? {});
  if (entries.length === 0) return null;
  return (
    <ul className="update-deliveries muted" data-testid="update-deliveries">
      {entries.map(([audience, d]) => (
        <li key={audience}>
          {audience}: {d.total === 0 ? 'nobody to send to' : `${d.sent} of ${d.total} sent${d.pending ? `, ${d.pending} queued` : ''}${d.failed ? `, ${d.failed} failed` : ''}`}
        </li>
      ))}
    </ul>
  );
}

function UpdateComposer({ incident, defaultKind, onCancel, onPosted }: { incident: Incident; defaultKind: UpdateKind; onCancel: () => void; onPosted: () => Promise<void> }) {
  const [kind, setKind] = useState<UpdateKind>(defaultKind);
  const [audiences, setAudiences] = useState<Audience[]>(['responders', 'internal']);
  const [body, setBody] = useState('');
  const [nextBy, setNextBy] = useState('');
  const [noNext, setNoNext] = useState(false);
  // Untouched, the server applies the cadence itself (to the second, not the input's minute).
  const [nextTouched, setNextTouched] = useState(false);
  const [showPreview, setShowPreview] = useState(false);
  /** Audiences given their own text, pre-filled from their own template. */
  const [own, setOwn] = useState<Partial<Record<Audience, string>>>({});
  const fill = useAction();
  const post = useAction();

  // Pre-filled from the template for the kind (and first audience), rendered for this incident.
  const prefill = useCallback(
    () =>
      fill.run('prefill', async () => {
        const p = await api.post('/api/v1/incidents/{incident}/updates/preview', { params: { path: { incident: String(incident.number) } }, body: { kind, audience: audiences[0] } });
        setBody(p.body);
        setNextBy(toLocalInput(p.nextUpdateBy));
        setNoNext(p.nextUpdateBy === null);
        setNextTouched(false);
      }),
    // Not the audiences: they pick the template, but ticking one must not wipe what was typed.
    [incident.number, kind, fill.run],
  );
  useEffect(() => {
    void prefill();
  }, [prefill]);

  const toggle = (a: Audience) => setAudiences((prev) => (prev.includes(a) ? prev.filter((x) => x !== a) : [...prev, a]));
  const ownText = (a: Audience) =>
    fill.run('own', async () => {
      const p = await api.post('/api/v1/incidents/{incident}/updates/preview', { params: { path: { incident: String(incident.number) } }, body: { kind, audience: a } });
      setOwn((prev) => ({ ...prev, [a]: p.body }));
    });

  async function submit(event: FormEvent) {
    event.preventDefault();
    const nextUpdateBy = kind === 'resolution' || noNext ? null : nextTouched && nextBy ? new Date(nextBy).toISOString() : undefined;
    await post.run('post', async () => {
      const bodies = Object.fromEntries(Object.entries(own).filter(([a, text]) => audiences.includes(a as Audience) && text?.trim()));
      await api.post('/api/v1/incidents/{incident}/updates', { params: { path: { incident: String(incident.number) } }, body: { kind, body, bodies, audiences, nextUpdateBy } });
      await onPosted();
    });
  }

  return (
    <form className="form update-composer" onSubmit={(e) => void submit(e)} aria-label="Post a stakeholder update">
      <ErrorBanner error={fill.error ?? post.error} onDismiss={() => (fill.setError(null), post.setError(null))} />
      <div className="update-row">
        <label className="field">
          <span>Kind</span>
          <select value={kind} onChange={(e) => setKind(e.target.value as UpdateKind)} aria-label="Kind">
            {UPDATE_KINDS.map((k) => (
              <option key={k} value={k}>
                {k}
              </option>
            ))}
          </select>
        </label>
        <fieldset className="field">
          <legend>Audiences</legend>
          <div className="update-audiences">
            {AUDIENCES.map((a) => (
              <label key={a} className="check">
                <input type="checkbox" checked={audiences.includes(a)} onChange={() => toggle(a)} /> {a}
              </label>
            ))}
          </div>
        </fieldset>
      </div>
      <label className="field">
        <span>
          Update <span className="muted">(Markdown, from the {kind} template)</span>
        </span>
        {showPreview ? (
          <div className="update-preview" data-testid="update-preview">
            <Markdown source={body} />
          </div>
        ) : (
          <textarea name="update-body" rows={9} value={body} onChange={(e) => setBody(e.target.value)} aria-label="Update text" disabled={fill.busy !== null} />
        )}
      </label>
      {audiences.length > 1 ? (
        <p className="muted">
          {audiences.map((a) =>
            own[a] === undefined ? (
              <button key={a} type="button" className="btn btn-quiet btn-small" onClick={() => void ownText(a)} disabled={fill.busy !== null}>
                Own text for {a}
              </button>
            ) : null,
          )}
        </p>
      ) : null}
      {audiences.filter((a) => own[a] !== undefined).map((a) => (
        <label key={a} className="field">
          <span>
            Text for {a} <span className="muted">(from the {kind} template for {a})</span>
          </span>
          <textarea rows={6} value={own[a]} onChange={(e) => setOwn((prev) => ({ ...prev, [a]: e.target.value }))} aria-label={`Text for ${a}`} />
        </label>
      ))}
      {kind !== 'resolution' ? (
        <div className="update-row">
          <label className="field">
            <span>Next update by</span>
            <input type="datetime-local" value={nextBy} disabled={noNext} onChange={(e) => (setNextBy(e.target.value), setNextTouched(true))} aria-label="Next update by" />
          </label>
          <label className="check">
            <input type="checkbox" checked={noNext} onChange={(e) => setNoNext(e.target.checked)} /> no further update promised
          </label>
        </div>
      ) : (
        <p className="muted">A resolution promises no next update; the reminder stops.</p>
      )}
      <div className="form-actions">
        <button type="submit" className="btn btn-primary" disabled={!body.trim() || audiences.length === 0 || post.busy !== null}>
          {post.busy ? 'Posting…' : 'Post update'}
        </button>
        <button type="button" className="btn btn-quiet" onClick={() => setShowPreview((v) => !v)}>
          {showPreview ? 'Edit' : 'Preview'}
        </button>
        <button type="button" className="btn btn-quiet" onClick={() => void prefill()} disabled={fill.busy !== null}>
          Reset from template
        </button>
        <button type="button" className="btn btn-quiet" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}
