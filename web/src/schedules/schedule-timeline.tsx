import { useEffect, useState } from 'react';
import { api } from '../api/client.js';
import { ErrorBanner } from '../components/error-banner.js';
import { absoluteTime } from '../lib/time.js';
import { personColour, usePeople } from './people.js';
import type { Bar, Timeline } from './types.js';

const DAY = 86_400_000;
const RANGES = [7, 14, 28] as const;

/**
 * Who is on call when over the next weeks: one row per layer (as if it were alone), the
 * overrides, and the final result with gaps hatched red. A bar of the final row says why that
 * person is on call when chosen; the same result is listed as text below for reading and copying.
 * `version` changes whenever the schedule was saved, so the drawing follows the edits.
 */
export function ScheduleTimeline({ scheduleId, version }: { scheduleId: string; version: number }) {
  const { name, names } = usePeople();
  const [days, setDays] = useState<number>(14);
  const [timeline, setTimeline] = useState<Timeline | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [chosen, setChosen] = useState<number | null>(null);

  useEffect(() => {
    let stale = false;
    // Start at the beginning of the current hour, so the drawing does not shift every reload.
    const from = Math.floor(Date.now() / 3_600_000) * 3_600_000;
    api.get('/api/v1/schedules/{schedule}/timeline', { params: { path: { schedule: scheduleId }, query: { from: String(from), days: String(days) } } }).then(
      (t) => {
        if (stale) return;
        setTimeline(t);
        setError(null);
        setChosen(null);
      },
      (e: unknown) => !stale && setError(e),
    );
    return () => {
      stale = true;
    };
  }, [scheduleId, version, days]);

  const from = timeline ? Date.parse(timeline.from) : 0;
  const to = timeline ? Date.parse(timeline.to) : 1;
  const place = (b: { start: number; end: number }) => ({ left: `${((b.start - from) / (to - from)) * 100}%`, width: `${((b.end - b.start) / (to - from)) * 100}%` });
  const span = (b: { start: number; end: number }) => `${absoluteTime(new Date(b.start).toISOString())} – ${absoluteTime(new Date(b.end).toISOString())}`;
  const ticks: number[] = [];
  if (timeline) {
    const first = new Date(from);
    first.setHours(24, 0, 0, 0);
    for (let at = first.getTime(); at < to; at += DAY) ticks.push(at);
  }
  const labelEvery = days > 14 ? 7 : days > 7 ? 2 : 1;

  const bars = (row: Bar[], extra?: (b: Bar, i: number) => Partial<{ className: string; onClick: () => void; pressed: boolean; title: string }>) =>
    row.map((b, i) => {
      const x = extra?.(b, i) ?? {};
      return (
        <button
          key={i}
          type="button"
          className={`timeline-bar ${x.className ?? ''}`}
          style={{ ...place(b), background: personColour(b.userId) }}
          title={x.title ?? `${name(b.userId)}: ${span(b)}`}
          aria-label={`${name(b.userId)}, ${span(b)}`}
          aria-pressed={x.pressed}
          onClick={x.onClick}
          tabIndex={x.onClick ? 0 : -1}
        >
          {name(b.userId)}
        </button>
      );
    });

  const entries = timeline
    ? [
        ...timeline.final.map((b, i) => ({ start: b.start, node: <li key={`s${i}`} className="timeline-entry">{span(b)} · <strong>{name(b.userId)}</strong> <span className="muted">{b.overrideId ? '(override)' : `(layer ${timeline.layers.find((l) => l.id === b.layerId)?.name ?? b.layerId})`}</span></li> })),
        ...timeline.gaps.map((g, i) => ({ start: g.start, node: <li key={`g${i}`} className="timeline-entry timeline-entry-gap warn-text">{span(g)} · Nobody is on call</li> })),
      ].sort((a, b) => a.start - b.start)
    : [];
  const picked = chosen !== null ? timeline?.final[chosen] : undefined;

  return (
    <section className="schedule-timeline" aria-label="Timeline">
      <div className="timeline-head">
        <h2>Timeline</h2>
        <label className="timeline-range">
          <span>Show</span>
          <select value={days} onChange={(e) => setDays(Number(e.target.value))}>
            {RANGES.map((d) => (
              <option key={d} value={d}>
                next {d} days
              </option>
            ))}
          </select>
        </label>
      </div>
      <ErrorBanner error={error} />
      {timeline ? (
        <>
          <div className="timeline-scroll">
            <div className="timeline-grid">
              <div className="timeline-row timeline-ticks" aria-hidden="true">
                <span className="timeline-label" />
                <div className="timeline-track">
                  {ticks.map((at, i) => (
                    <span key={at} className="timeline-tick" style={{ left: `${((at - from) / (to - from)) * 100}%` }}>
                      {i % labelEvery === 0 ? new Date(at).toLocaleDateString(undefined, { weekday: 'short', day: 'numeric' }) : ''}
                    </span>
                  ))}
                </div>
              </div>
              {timeline.layers.map((l) => (
                <div key={l.id} className="timeline-row" data-row={`layer:${l.id}`}>
                  <span className="timeline-label" title={l.name}>{l.name}</span>
                  <div className="timeline-track">{bars(l.bars)}</div>
                </div>
              ))}
              {timeline.overrides.length ? (
                <div className="timeline-row" data-row="overrides">
                  <span className="timeline-label">Overrides</span>
                  <div className="timeline-track">{bars(timeline.overrides, (b) => ({ className: 'timeline-override', title: `${name(b.userId)} covers${(b as { replacesUserId?: string }).replacesUserId ? ` for ${name((b as { replacesUserId?: string }).replacesUserId!)}` : ''}: ${span(b)}` }))}</div>
                </div>
              ) : null}
              <div className="timeline-row timeline-final" data-row="final">
                <span className="timeline-label">Final</span>
                <div className="timeline-track">
                  {bars(timeline.final, (_b, i) => ({ onClick: () => setChosen(chosen === i ? null : i), pressed: chosen === i }))}
                  {timeline.gaps.map((g, i) => (
                    <span key={`gap${i}`} className="timeline-gap" style={place(g)} title={`Nobody is on call: ${span(g)}`} />
                  ))}
                </div>
              </div>
            </div>
          </div>
          {picked ? (
            <p className="timeline-why" role="status">
              <strong>{name(picked.userId)}</strong> {span(picked)}: {names(picked.reason)}
            </p>
          ) : (
            <p className="muted timeline-hint">Choose a bar of the final row to see why that person is on call.</p>
          )}
          {timeline.gaps.length ? (
            <p className="warn-text timeline-gaps">
              ⚠ {timeline.gaps.length === 1 ? '1 gap' : `${timeline.gaps.length} gaps`} with nobody on call in the next {days} days
            </p>
          ) : null}
          <details className="timeline-list">
            <summary>Who is on call when, as a list</summary>
            <ul>{entries.map((e) => e.node)}</ul>
          </details>
        </>
      ) : !error ? (
        <p className="muted">Loading…</p>
      ) : null}
    </section>
  );
}
