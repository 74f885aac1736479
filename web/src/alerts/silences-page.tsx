import { useEffect, useState } from 'react';
import { api } from '../api/client.js';
import { ErrorBanner } from '../components/error-banner.js';
import { TimeAgo } from '../components/time-ago.js';
import { absoluteTime } from '../lib/time.js';
import { useAction } from '../lib/use-action.js';
import { AlertsNav } from './alerts-nav.js';
import { SilenceForm } from './silence-form.js';
import { matcherText, type Silence, type SilenceState } from './types.js';
import './alerts.css';

const STATES: { state: SilenceState; label: string }[] = [
  { state: 'active', label: 'Active' },
  { state: 'pending', label: 'Pending' },
  { state: 'expired', label: 'Expired' },
];

/** Silences by state; a new one with a live preview of what it matches; expire with a confirm. */
export function SilencesPage() {
  const [items, setItems] = useState<Silence[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [state, setState] = useState<SilenceState>('active');
  const [creating, setCreating] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);
  const [reload, setReload] = useState(0);

  useEffect(() => {
    document.title = 'Silences · Firebreak';
    let stale = false;
    api.get('/api/v1/silences').then((r) => !stale && setItems(r), (e: unknown) => !stale && setError(e));
    return () => {
      stale = true;
    };
  }, [reload]);

  const shown = items?.filter((s) => s.status.state === state) ?? [];
  return (
    <div className="alerts-page">
      <AlertsNav current="/silences" />
      <div className="page-head">
        <h1>Silences</h1>
        {!creating ? (
          <button type="button" className="btn btn-primary" onClick={() => setCreating(true)}>
            New silence
          </button>
        ) : null}
      </div>
      <p className="muted">Alerts a silence matches are recorded but page nobody until it ends. Same matchers and API as Alertmanager, so amtool works too.</p>
      {notice ? (
        <p className="card alert-silenced" role="status">
          {notice}
        </p>
      ) : null}
      {creating ? (
        <SilenceForm
          initial={[]}
          onCancel={() => setCreating(false)}
          onSaved={(id) => {
            setCreating(false);
            setNotice(`Silence ${id} saved.`);
            setReload((n) => n + 1);
          }}
        />
      ) : null}
      <ErrorBanner error={error} />
      <div className="state-tabs" role="tablist" aria-label="Silence state">
        {STATES.map((s) => (
          <button key={s.state} type="button" role="tab" aria-selected={state === s.state} className="state-tab" onClick={() => setState(s.state)}>
            {s.label} <span className="muted">{items?.filter((i) => i.status.state === s.state).length ?? ''}</span>
          </button>
        ))}
      </div>
      {items === null && !error ? <p className="muted">Loading…</p> : null}
      {items !== null && shown.length === 0 ? <p className="muted">No {state} silences.</p> : null}
      <ul className="alert-list" aria-label={`${state} silences`}>
        {shown.map((s) => (
          <SilenceRow
            key={s.id}
            silence={s}
            onExpired={() => {
              setNotice(`Silence ${s.id} expired: the alerts it held page now if they still fire.`);
              setReload((n) => n + 1);
            }}
          />
        ))}
      </ul>
    </div>
  );
}

function SilenceRow({ silence, onExpired }: { silence: Silence; onExpired: () => void }) {
  const [confirming, setConfirming] = useState(false);
  const { busy, error, setError, run } = useAction();
  const s = silence;
  return (
    <li className="card silence-row" data-testid="silence-row">
      <div className="silence-matchers">
        {s.matchers.map((m, i) => (
          <code key={i} className="label-chip">
            {matcherText(m)}
          </code>
        ))}
      </div>
      <div className="alert-meta muted">
        <span className={`badge silence-st silence-st-${s.status.state}`}>{s.status.state}</span>
        <span title={absoluteTime(s.startsAt)}>
          {s.status.state === 'pending' ? <TimeAgo iso={s.startsAt} prefix="starts" /> : <TimeAgo iso={s.startsAt} prefix="started" />}
        </span>
        <span title={absoluteTime(s.endsAt)}>{s.status.state === 'expired' ? <TimeAgo iso={s.endsAt} prefix="ended" /> : <TimeAgo iso={s.endsAt} prefix="ends" />}</span>
        <span>by {s.createdBy}</span>
        <span className="mono">{s.id}</span>
      </div>
      {s.comment ? <p className="silence-comment">{s.comment}</p> : null}
      <ErrorBanner error={error} onDismiss={() => setError(null)} />
      {s.status.state !== 'expired' ? (
        confirming ? (
          <div className="form-actions int-confirm" role="group" aria-label="Confirm expire">
            <span>Expire now? Alerts it holds page if they still fire.</span>
            <button type="button" className="btn btn-danger btn-small" disabled={busy !== null} onClick={() => void run('expire', () => api.delete('/api/v1/silences/{id}', { params: { path: { id: s.id } } })).then((ok) => ok && onExpired())}>
              {busy ? 'Expiring…' : 'Expire silence'}
            </button>
            <button type="button" className="btn btn-small" onClick={() => setConfirming(false)}>
              Keep
            </button>
          </div>
        ) : (
          <div className="form-actions">
            <button type="button" className="btn btn-small" onClick={() => setConfirming(true)}>
              Expire
            </button>
          </div>
        )
      ) : null}
    </li>
  );
}
