import { useCallback, useEffect, useState } from 'react';
import { api, call, client } from '../api/client.js';
import { CalendarFeed } from '../components/calendar-feed.js';
import { ErrorBanner, fieldError } from '../components/error-banner.js';
import { absoluteTime } from '../lib/time.js';
import { linkClick, navigate } from '../lib/router.js';
import { useAction } from '../lib/use-action.js';
import type { OnCallAnswer } from '../oncall/types.js';
import { LayerEditor } from './layer-editor.js';
import { OverrideForm, OverrideList } from './overrides.js';
import { timeZones, usePeople, useTeams } from './people.js';
import { ScheduleTimeline } from './schedule-timeline.js';
import type { Layer, Schedule } from './types.js';
import './schedules.css';

type Draft = { name: string; timeZone: string; team: string | null; layers: Layer[] };
const draftOf = (s: Schedule): Draft => ({ name: s.name, timeZone: s.timeZone, team: s.teamId, layers: s.layers });

/**
 * One schedule: who is on call now and why, the timeline of the next weeks, overrides, the
 * layers editor (saved in one PUT), the calendar feed, and delete (refused, with the reason,
 * while an escalation policy pages it).
 */
export function SchedulePage({ id }: { id: string }) {
  const [schedule, setSchedule] = useState<Schedule | null>(null);
  const [draft, setDraft] = useState<Draft | null>(null);
  const [loadError, setLoadError] = useState<unknown>(null);
  const [oncall, setOncall] = useState<OnCallAnswer | null>(null);
  // Bumped on every load, so the timeline redraws after a save or an override.
  const [loads, setLoads] = useState(0);
  const teams = useTeams();
  const save = useAction();

  const load = useCallback(async () => {
    try {
      const [s, now] = await Promise.all([api.get('/api/v1/schedules/{schedule}', { params: { path: { schedule: id } } }), api.get('/api/v1/schedules/{schedule}/oncall', { params: { path: { schedule: id } } })]);
      setSchedule(s);
      setOncall(now);
      setLoads((n) => n + 1);
      setLoadError(null);
      return s;
    } catch (e) {
      setLoadError(e);
      return null;
    }
  }, [id]);

  useEffect(() => {
    void load().then((s) => {
      if (s) {
        setDraft(draftOf(s));
        document.title = `${s.name} · Schedules · Firebreak`;
      }
    });
  }, [load]);

  if (!schedule || !draft) {
    return (
      <div className="schedule-page">
        <a href="/schedules" onClick={linkClick}>← Schedules</a>
        <ErrorBanner error={loadError} />
        {!loadError ? <p className="muted">Loading…</p> : null}
      </div>
    );
  }
  const dirty = JSON.stringify(draft) !== JSON.stringify(draftOf(schedule));

  return (
    <div className="schedule-page">
      <a href="/schedules" onClick={linkClick}>← Schedules</a>
      <div className="page-head">
        <h1>{schedule.name}</h1>
        <span className="muted">{schedule.timeZone}</span>
      </div>
      {schedule.usedBy.length ? <p className="muted">Paged by {schedule.usedBy.join(', ')}.</p> : null}
      <OnCallNow answer={oncall} />
      {schedule.warnings.length ? (
        <details className="schedule-warnings">
          <summary className="warn-text">⚠ {schedule.warnings.length === 1 ? '1 coverage warning' : `${schedule.warnings.length} coverage warnings`} in the next two weeks</summary>
          <ul>
            {schedule.warnings.map((w, i) => <li key={i}>{w.replace(/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?Z/g, (iso) => absoluteTime(iso))}</li>)}
          </ul>
        </details>
      ) : null}
      <ScheduleTimeline scheduleId={schedule.id} version={loads} />

      <section className="schedule-section">
        <h2>Overrides</h2>
        <OverrideList items={schedule.overrides.map((o) => ({ ...o, scheduleId: schedule.id }))} onRemoved={load} />
        <OverrideForm schedules={[schedule]} title="Someone covers" onAdded={load} />
      </section>

      <form
        className="schedule-section schedule-edit"
        onSubmit={(e) => {
          e.preventDefault();
          void save.run('save', async () => {
            const saved = await api.put('/api/v1/schedules/{schedule}', { params: { path: { schedule: schedule.id } }, body: draft });
            setDraft(draftOf(saved));
            await load();
          });
        }}
      >
        <h2>Settings and layers</h2>
        <div className="schedule-fields">
          <label className="field">
            <span>Name</span>
            <input value={draft.name} onChange={(e) => setDraft({ ...draft, name: e.target.value })} required maxLength={200} />
            {fieldError(save.error, 'name') ? <small className="field-error">{fieldError(save.error, 'name')}</small> : null}
          </label>
          <label className="field">
            <span>Time zone</span>
            <input value={draft.timeZone} onChange={(e) => setDraft({ ...draft, timeZone: e.target.value })} list="schedule-zones" required />
            {fieldError(save.error, 'timeZone') ? <small className="field-error">{fieldError(save.error, 'timeZone')}</small> : null}
          </label>
          {teams.length || draft.team ? (
            <label className="field">
              <span>Team</span>
              <select value={draft.team ?? ''} onChange={(e) => setDraft({ ...draft, team: e.target.value || null })}>
                <option value="">No team</option>
                {teams.map((t) => (
                  <option key={t.id} value={t.id}>
                    {t.name}
                  </option>
                ))}
              </select>
              {fieldError(save.error, 'team') ? <small className="field-error">{fieldError(save.error, 'team')}</small> : null}
            </label>
          ) : null}
          <datalist id="schedule-zones">
            {timeZones().map((z) => <option key={z} value={z} />)}
          </datalist>
        </div>
        <p className="muted">Hand-offs and restrictions are read in this time zone; daylight-saving changes make a shift an hour longer or shorter, never a gap.</p>
        <LayerEditor timeZone={draft.timeZone} layers={draft.layers} onChange={(layers) => setDraft({ ...draft, layers })} />
        <ErrorBanner error={save.error} />
        <div className="form-actions schedule-save">
          <button type="submit" className="btn btn-primary" disabled={save.busy !== null || !dirty}>
            Save changes
          </button>
          {dirty ? (
            <button type="button" className="btn btn-quiet" onClick={() => setDraft(draftOf(schedule))}>
              Discard
            </button>
          ) : <span className="muted">Saved</span>}
        </div>
      </form>

      <section className="schedule-section">
        <CalendarFeed feed={{ schedule: schedule.id }} label="Calendar feed (iCalendar)" />
      </section>
      <DeleteSchedule schedule={schedule} />
    </div>
  );
}

function OnCallNow({ answer }: { answer: OnCallAnswer | null }) {
  const { names } = usePeople();
  const s = answer?.schedules[0];
  if (!s) return null;
  return (
    <div className="card schedule-now">
      <span className="oncall-label">On call now</span>
      {s.users.length ? <strong className="schedule-now-who">{s.users.map((u) => u.name).join(', ')}</strong> : <strong className="warn-text">Nobody is on call</strong>}
      <p className="muted schedule-now-why">Why: {names(s.explanation[0]?.reason ?? s.reason)}</p>
    </div>
  );
}

function DeleteSchedule({ schedule }: { schedule: Schedule }) {
  const { busy, error, run } = useAction();
  const [asking, setAsking] = useState(false);
  return (
    <section className="schedule-section schedule-delete">
      <ErrorBanner error={error} />
      {asking ? (
        <div className="form-actions">
          <span>Delete {schedule.name}? Its layers and overrides go too.</span>
          <button type="button" className="btn btn-danger" disabled={busy !== null} onClick={() => void run('delete', async () => {
            await call(client.DELETE('/api/v1/schedules/{schedule}', { params: { path: { schedule: schedule.id } } }));
            navigate('/schedules');
          }).then(() => setAsking(false))}>
            Yes, delete
          </button>
          <button type="button" className="btn btn-quiet" onClick={() => setAsking(false)}>
            Cancel
          </button>
        </div>
      ) : (
        <button type="button" className="btn btn-quiet" onClick={() => setAsking(true)}>
          Delete schedule
        </button>
      )}
    </section>
  );
}
