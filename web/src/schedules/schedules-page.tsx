import { useCallback, useEffect, useState } from 'react';
import { api, call, client } from '../api/client.js';
import { ErrorBanner, fieldError } from '../components/error-banner.js';
import { useAction } from '../lib/use-action.js';
import { linkClick, navigate } from '../lib/router.js';
import { browserZone, timeZones } from './people.js';
import type { Schedule } from './types.js';
import './schedules.css';

/** Every schedule with its layers and coverage warnings, and a form to start a new one. */
export function SchedulesPage() {
  const [items, setItems] = useState<Schedule[] | null>(null);
  const [error, setError] = useState<unknown>(null);

  const load = useCallback(async () => {
    try {
      setItems((await api.get('/api/v1/schedules')).items);
      setError(null);
    } catch (e) {
      setError(e);
    }
  }, []);

  useEffect(() => {
    document.title = 'Schedules · Firebreak';
    void load();
  }, [load]);

  return (
    <div className="schedules-page">
      <div className="page-head">
        <h1>Schedules</h1>
        <a href="/oncall" onClick={linkClick}>
          Who is on call now
        </a>
      </div>
      <ErrorBanner error={error} />
      {items === null && !error ? <p className="muted">Loading…</p> : null}
      {items?.length === 0 ? <p className="muted">No schedules yet. Create the first one below.</p> : null}
      <ul className="schedule-list">
        {items?.map((s) => (
          <li key={s.id} className="card schedule-item" data-schedule={s.id}>
            <a href={`/schedules/${s.id}`} onClick={linkClick} className="schedule-item-name">
              {s.name}
            </a>
            <span className="muted">
              {s.timeZone} · {s.layers.length === 1 ? '1 layer' : `${s.layers.length} layers`} · {s.overrides.length === 1 ? '1 override' : `${s.overrides.length} overrides`}
            </span>
            {s.warnings.length ? <span className="warn-text">⚠ {s.warnings.length === 1 ? '1 coverage warning' : `${s.warnings.length} coverage warnings`}</span> : null}
          </li>
        ))}
      </ul>
      <NewSchedule />
    </div>
  );
}

function NewSchedule() {
  const { busy, error, run } = useAction();
  const [name, setName] = useState('');
  const [zone, setZone] = useState(browserZone());
  const zones = timeZones();
  return (
    <form
      className="card schedule-new"
      onSubmit={(e) => {
        e.preventDefault();
        void run('create', async () => {
          const created = await api.post('/api/v1/schedules', { body: { name, timeZone: zone, layers: [] } });
          navigate(`/schedules/${created.id}`);
        });
      }}
    >
      <h2>New schedule</h2>
      <ErrorBanner error={error} />
      <div className="schedule-fields">
        <label className="field">
          <span>Name</span>
          <input value={name} onChange={(e) => setName(e.target.value)} required maxLength={200} placeholder="Payments primary" />
          {fieldError(error, 'name') ? <small className="field-error">{fieldError(error, 'name')}</small> : null}
        </label>
        <label className="field">
          <span>Time zone</span>
          <input value={zone} onChange={(e) => setZone(e.target.value)} list="schedule-zones" required />
          {fieldError(error, 'timeZone') ? <small className="field-error">{fieldError(error, 'timeZone')}</small> : null}
        </label>
      </div>
      <datalist id="schedule-zones">
        {zones.map((z) => (
          <option key={z} value={z} />
        ))}
      </datalist>
      <div className="form-actions">
        <button type="submit" className="btn btn-primary" disabled={busy !== null}>
          Create schedule
        </button>
      </div>
    </form>
  );
}
