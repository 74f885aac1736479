import { useEffect, useState } from 'react';
import { api } from '../api/client.js';
import { CalendarFeed } from '../components/calendar-feed.js';
import { ErrorBanner } from '../components/error-banner.js';
import { useApp } from '../lib/app-context.js';
import { linkClick, navigate, useLocation } from '../lib/router.js';
import { absoluteTime } from '../lib/time.js';
import type { OnCallAnswer, OnCallExplanation, OnCallSchedule, ScheduleSummary } from './types.js';
import './oncall.css';

/** `2026-03-03T12:00` in the browser's zone: the value a datetime-local input shows for an instant. */
function toLocalInput(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/**
 * Who is on call on every schedule, now or at a time the user picks, with the layer or override
 * that decided it (the server's explanation), the coverage warnings of the next two weeks and each
 * schedule's calendar feed. The time lives in the URL (`?at=`) so an answer can be shared.
 */
export function OnCallPage() {
  const { search } = useLocation();
  const at = search.get('at');
  const [when, setWhen] = useState(at ? toLocalInput(at) : '');
  const [answer, setAnswer] = useState<OnCallAnswer | null>(null);
  const [schedules, setSchedules] = useState<Map<string, ScheduleSummary>>(new Map());
  const [error, setError] = useState<unknown>(null);

  useEffect(() => {
    document.title = 'On call · Firebreak';
    let stale = false;
    setError(null);
    Promise.all([api.get('/api/v1/oncall', { params: { query: { at: at ?? undefined } } }), api.get('/api/v1/schedules')]).then(
      ([oncall, list]) => {
        if (stale) return;
        setAnswer(oncall);
        setSchedules(new Map(list.items.map((s) => [s.id, s])));
      },
      (e: unknown) => !stale && setError(e),
    );
    return () => {
      stale = true;
    };
  }, [at]);

  useEffect(() => setWhen(at ? toLocalInput(at) : ''), [at]);

  return (
    <div className="oncall-page">
      <h1>On call</h1>
      <form
        className="oncall-at"
        onSubmit={(e) => {
          e.preventDefault();
          // The input is in the browser's zone; the URL and the API get the instant in UTC.
          const instant = when ? new Date(when) : null;
          navigate(instant && !Number.isNaN(instant.getTime()) ? `/oncall?at=${encodeURIComponent(instant.toISOString())}` : '/oncall');
        }}
      >
        <label className="field">
          <span>At time</span>
          <input type="datetime-local" value={when} onChange={(e) => setWhen(e.target.value)} />
        </label>
        <div className="form-actions">
          <button type="submit" className="btn btn-small">Show</button>
          {at ? (
            <button type="button" className="btn btn-small btn-quiet" onClick={() => navigate('/oncall')}>
              Now
            </button>
          ) : null}
        </div>
      </form>
      <ErrorBanner error={error} />
      {answer === null && !error ? <p className="muted">Loading…</p> : null}
      {answer ? (
        <p className="muted oncall-when">
          {at ? 'On call at ' : 'On call now, '}
          <time dateTime={answer.at}>{absoluteTime(answer.at)}</time>
        </p>
      ) : null}
      {answer?.schedules.length === 0 ? (
        <p className="muted">
          No schedules yet. An admin creates them on the <a href="/schedules" onClick={linkClick}>Schedules</a> page (or with <code>firebreak schedule create</code>).
        </p>
      ) : null}
      <ul className="oncall-list">
        {answer?.schedules.map((s) => (
          <ScheduleCard key={s.id} oncall={s} summary={schedules.get(s.id)} now={!at} />
        ))}
      </ul>
    </div>
  );
}

function ScheduleCard({ oncall, summary, now }: { oncall: OnCallSchedule; summary: ScheduleSummary | undefined; now: boolean }) {
  const { users } = useApp();
  const email = (id: string) => users?.find((u) => u.id === id)?.email ?? null;
  // The server's sentences name people by id; the reader knows them by name.
  const known = [...oncall.users, ...(users ?? [])];
  const names = (text: string) => known.reduce((t, u) => t.split(u.id).join(u.name), text);
  return (
    <li className="card oncall-card" data-schedule={oncall.id}>
      <div className="card-head">
        <h2>
          <a href={`/schedules/${oncall.id}`} onClick={linkClick}>
            {oncall.name}
          </a>
        </h2>
        {summary ? <span className="muted">{summary.timeZone}</span> : null}
      </div>
      <div className="oncall-who">
        <span className="oncall-label">{now ? 'On call now' : 'On call then'}</span>
        {oncall.users.length ? (
          <ul className="oncall-users">
            {oncall.users.map((u) => (
              <li key={u.id}>
                <strong>{u.name}</strong>
                {email(u.id) ? <span className="muted"> {email(u.id)}</span> : null}
              </li>
            ))}
          </ul>
        ) : (
          <p className="warn-text oncall-nobody">Nobody is on call</p>
        )}
      </div>
      {oncall.explanation.length ? (
        <ul className="oncall-why" aria-label="Why">
          {oncall.explanation.map((x, i) => (
            <Explanation key={i} x={x} names={names} />
          ))}
        </ul>
      ) : (
        <p className="muted oncall-reason">{names(oncall.reason)}</p>
      )}
      {summary?.warnings.length ? <CoverageWarnings warnings={summary.warnings} /> : null}
      <CalendarFeed feed={{ schedule: oncall.id }} label="Calendar feed (iCalendar)" />
    </li>
  );
}

function Explanation({ x, names }: { x: OnCallExplanation; names: (text: string) => string }) {
  const start = new Date(x.shiftStart).toISOString();
  const end = new Date(x.shiftEnd).toISOString();
  return (
    <li className={x.overrideId ? 'oncall-explanation oncall-override' : 'oncall-explanation'}>
      <span className="tag">{x.overrideId ? 'Override' : 'Layer'}</span> {names(x.reason)}
      <div className="muted oncall-shift">
        shift <time dateTime={start}>{absoluteTime(start)}</time> – <time dateTime={end}>{absoluteTime(end)}</time>
      </div>
    </li>
  );
}

/** ISO instants in a server sentence, shown in the reader's own zone like every other time on the page. */
const localTimes = (text: string) => text.replace(/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?Z/g, (iso) => absoluteTime(iso));

/** The first few coverage warnings; a schedule with nightly gaps has one per night. */
const WARNINGS_SHOWN = 3;

function CoverageWarnings({ warnings }: { warnings: string[] }) {
  const [all, setAll] = useState(false);
  const shown = all ? warnings : warnings.slice(0, WARNINGS_SHOWN);
  return (
    <div className="oncall-warnings">
      <strong>Coverage in the next two weeks</strong>
      <ul>
        {shown.map((w, i) => (
          <li key={i} className="warn-text">⚠ {localTimes(w)}</li>
        ))}
      </ul>
      {warnings.length > WARNINGS_SHOWN ? (
        <button type="button" className="btn-link" onClick={() => setAll(!all)}>
          {all ? 'Show fewer' : `Show all ${warnings.length} warnings`}
        </button>
      ) : null}
    </div>
  );
}
