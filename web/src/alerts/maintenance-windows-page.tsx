import { useEffect, useState, type FormEvent } from 'react';
import { api } from '../api/client.js';
import { actorRole, type ServiceSummary } from '../api/types.js';
import { ErrorBanner, fieldError } from '../components/error-banner.js';
import { TimeAgo } from '../components/time-ago.js';
import { useApp } from '../lib/app-context.js';
import { absoluteTime } from '../lib/time.js';
import { useAction } from '../lib/use-action.js';
import { AlertsNav } from './alerts-nav.js';
import { fromLocalInput, toLocalInput, type MaintenanceWindow } from './types.js';
import './alerts.css';

/**
 * Alert maintenance windows: alerts of their services (or of every service) are recorded but page
 * nobody while one runs. Not the status page's scheduled maintenance, which makes windows of its
 * own (shown, but changed only through it).
 */
export function MaintenanceWindowsPage() {
  const isAdmin = actorRole(useApp().session.actor) === 'admin';
  const [items, setItems] = useState<MaintenanceWindow[] | null>(null);
  const [services, setServices] = useState<ServiceSummary[]>([]);
  const [error, setError] = useState<unknown>(null);
  const [creating, setCreating] = useState(false);
  const [reload, setReload] = useState(0);

  useEffect(() => {
    document.title = 'Maintenance windows · Firebreak';
    api.get('/api/v1/services').then((r) => setServices(r.items), () => setServices([]));
  }, []);
  useEffect(() => {
    let stale = false;
    api.get('/api/v1/maintenance-windows').then((r) => !stale && setItems(r.items), (e: unknown) => !stale && setError(e));
    return () => {
      stale = true;
    };
  }, [reload]);

  const refresh = () => setReload((n) => n + 1);
  const serviceName = (id: string) => services.find((s) => s.id === id)?.name ?? id;
  return (
    <div className="alerts-page">
      <AlertsNav current="/maintenance-windows" />
      <div className="page-head">
        <h1>Maintenance windows</h1>
        {isAdmin && !creating ? (
          <button type="button" className="btn btn-primary" onClick={() => setCreating(true)}>
            New window
          </button>
        ) : null}
      </div>
      <p className="muted">While a window runs, alerts for its services are recorded but page nobody; when it ends, those still firing page.</p>
      {creating ? (
        <WindowForm
          services={services}
          onCancel={() => setCreating(false)}
          onSaved={() => {
            setCreating(false);
            refresh();
          }}
        />
      ) : null}
      <ErrorBanner error={error} />
      {items === null && !error ? <p className="muted">Loading…</p> : null}
      {items?.length === 0 ? <p className="muted">No maintenance windows.</p> : null}
      <ul className="alert-list" aria-label="Maintenance windows">
        {items?.map((w) => <WindowRow key={w.id} window={w} services={services} serviceName={serviceName} canChange={isAdmin} onChanged={refresh} />)}
      </ul>
    </div>
  );
}

function WindowRow({ window: w, services, serviceName, canChange, onChanged }: { window: MaintenanceWindow; services: ServiceSummary[]; serviceName: (id: string) => string; canChange: boolean; onChanged: () => void }) {
  const [editing, setEditing] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const { busy, error, setError, run } = useAction();
  const changeable = canChange && w.state !== 'ended' && !w.scheduledMaintenance;
  if (editing) {
    return (
      <li data-testid="window-row">
        <WindowForm
          window={w}
          services={services}
          onCancel={() => setEditing(false)}
          onSaved={() => {
            setEditing(false);
            onChanged();
          }}
        />
      </li>
    );
  }
  return (
    <li className="card silence-row" data-testid="window-row">
      <div className="alert-row-head">
        <span className={`badge mw-st mw-st-${w.state}`}>{w.state}</span>
        <strong className="mw-reason">{w.reason}</strong>
        {w.scheduledMaintenance ? <span className="tag">from scheduled maintenance {w.scheduledMaintenance}</span> : null}
      </div>
      <div className="alert-meta muted">
        <span>{w.services.length ? w.services.map(serviceName).join(', ') : 'every service'}</span>
        <span title={absoluteTime(w.startsAt)}>{w.state === 'pending' ? <TimeAgo iso={w.startsAt} prefix="starts" /> : <TimeAgo iso={w.startsAt} prefix="started" />}</span>
        <span title={absoluteTime(w.endsAt)}>{w.state === 'ended' ? <TimeAgo iso={w.endsAt} prefix="ended" /> : <TimeAgo iso={w.endsAt} prefix="ends" />}</span>
        {w.createdBy ? <span>by {w.createdBy}</span> : null}
      </div>
      <ErrorBanner error={error} onDismiss={() => setError(null)} />
      {changeable ? (
        confirming ? (
          <div className="form-actions int-confirm" role="group" aria-label="Confirm end">
            <span>{w.state === 'pending' ? 'Cancel it? It will never start.' : 'End it now? Alerts it holds page if they still fire.'}</span>
            <button type="button" className="btn btn-danger btn-small" disabled={busy !== null} onClick={() => void run('end', () => api.post('/api/v1/maintenance-windows/{id}/end', { params: { path: { id: w.id } } })).then((ok) => ok && onChanged())}>
              {busy ? 'Ending…' : 'End window'}
            </button>
            <button type="button" className="btn btn-small" onClick={() => setConfirming(false)}>
              Keep
            </button>
          </div>
        ) : (
          <div className="form-actions">
            <button type="button" className="btn btn-small" onClick={() => setEditing(true)}>
              Edit
            </button>
            <button type="button" className="btn btn-small" onClick={() => setConfirming(true)}>
              End
            </button>
          </div>
        )
      ) : null}
    </li>
  );
}

function WindowForm({ window: w, services, onSaved, onCancel }: { window?: MaintenanceWindow; services: ServiceSummary[]; onSaved: () => void; onCancel: () => void }) {
  const [reason, setReason] = useState(w?.reason ?? '');
  const [chosen, setChosen] = useState<string[]>(w?.services ?? []);
  const [startsAt, setStartsAt] = useState(toLocalInput(w?.startsAt ?? Date.now()));
  const [endsAt, setEndsAt] = useState(toLocalInput(w?.endsAt ?? Date.now() + 2 * 3_600_000));
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const started = w !== undefined && w.state === 'active';

  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const body: Record<string, unknown> = { reason, services: chosen, endsAt: fromLocalInput(endsAt) ?? '' };
      // A running window keeps its start; send it only when it may change.
      if (!started) body.startsAt = fromLocalInput(startsAt) ?? '';
      if (w) await api.patch('/api/v1/maintenance-windows/{id}', { params: { path: { id: w.id } }, body: body });
      else await api.post('/api/v1/maintenance-windows', { body: body });
      onSaved();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  }

  const heading = w ? 'Edit maintenance window' : 'New maintenance window';
  const headingId = `mw-form-h-${w?.id ?? 'new'}`;
  return (
    <form className={`card form mw-form${w ? '' : ' mw-create'}`} aria-labelledby={headingId} onSubmit={(e) => void submit(e)}>
      <h2 id={headingId}>{heading}</h2>
      <ErrorBanner error={error} onDismiss={() => setError(null)} />
      <label className="field">
        <span>Reason</span>
        <input name="reason" required maxLength={2000} placeholder="PostgreSQL 17 upgrade" value={reason} onChange={(e) => setReason(e.target.value)} aria-invalid={fieldError(error, 'reason') ? true : undefined} />
        {fieldError(error, 'reason') ? <small className="field-error">{fieldError(error, 'reason')}</small> : null}
      </label>
      <fieldset className="field">
        <legend>Services (none chosen: every service)</legend>
        <div className="mw-services">
          {services.length === 0 ? <span className="muted">No services yet: the window covers every alert.</span> : null}
          {services.map((s) => (
            <label key={s.id} className="mw-service">
              <input type="checkbox" checked={chosen.includes(s.id)} onChange={(e) => setChosen((prev) => (e.target.checked ? [...prev, s.id] : prev.filter((id) => id !== s.id)))} /> {s.name}
            </label>
          ))}
        </div>
        {fieldError(error, 'services') ? <small className="field-error">{fieldError(error, 'services')}</small> : null}
      </fieldset>
      <div className="silence-times">
        <label className="field">
          <span>Starts</span>
          <input type="datetime-local" name="startsAt" required disabled={started} value={startsAt} onChange={(e) => setStartsAt(e.target.value)} aria-invalid={fieldError(error, 'startsAt') ? true : undefined} />
          {started ? <small className="muted">Running: its start stays.</small> : null}
          {fieldError(error, 'startsAt') ? <small className="field-error">{fieldError(error, 'startsAt')}</small> : null}
        </label>
        <label className="field">
          <span>Ends</span>
          <input type="datetime-local" name="endsAt" required value={endsAt} onChange={(e) => setEndsAt(e.target.value)} aria-invalid={fieldError(error, 'endsAt') ? true : undefined} />
          {fieldError(error, 'endsAt') ? <small className="field-error">{fieldError(error, 'endsAt')}</small> : null}
        </label>
      </div>
      <div className="form-actions">
        <button type="submit" className="btn btn-primary" disabled={busy}>
          {busy ? 'Saving…' : w ? 'Save changes' : 'Create window'}
        </button>
        <button type="button" className="btn" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}
