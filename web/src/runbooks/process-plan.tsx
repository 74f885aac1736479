import { useEffect, useState } from 'react';
import { api } from '../api/client.js';
import { ErrorBanner } from '../components/error-banner.js';
import type { ImportPlan } from './types.js';

interface Target { value: string; label: string }

const SIGN = { add: '+', change: '~', unchanged: '=', blocked: '!' } as const;

/** Users, teams and schedules a placeholder can map to, as `user:EMAIL`, `team:SLUG`, `schedule:NAME`. */
function useTargets(): Target[] {
  const [targets, setTargets] = useState<Target[]>([]);
  useEffect(() => {
    void Promise.all([
      api.get('/api/v1/users').catch(() => ({ items: [] })),
      api.get('/api/v1/teams').catch(() => ({ items: [] })),
      api.get('/api/v1/schedules').catch(() => ({ items: [] })),
    ]).then(([users, teams, schedules]) => setTargets([
      ...teams.items.map((t) => ({ value: `team:${t.slug}`, label: `Team: ${t.name}` })),
      ...schedules.items.map((s) => ({ value: `schedule:${s.name}`, label: `Schedule: ${s.name}` })),
      ...users.items.map((u) => ({ value: `user:${u.email}`, label: `User: ${u.name} (${u.email})` })),
    ]));
  }, []);
  return targets;
}

/**
 * The document's process (severity ladder, escalation policies, checklists, templates) as a
 * plan: tick the objects to apply, map each named person to a real team, schedule or user,
 * apply in one go (one transaction, one audit entry on the server).
 */
export function ProcessPlan({ sourceName, markdown }: { sourceName: string; markdown: string }) {
  const [plan, setPlan] = useState<ImportPlan | null>(null);
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [map, setMap] = useState<Record<string, string>>({});
  const [error, setError] = useState<unknown>(null);
  const [applied, setApplied] = useState<string[] | null>(null);
  const [busy, setBusy] = useState(false);
  const targets = useTargets();

  const load = async () => {
    try {
      const p = await api.post('/api/v1/runbooks/import/plan', { body: { sourceName, markdown } });
      setPlan(p);
      setSelected(new Set(p.entries.filter((e) => e.action === 'add' || e.action === 'change').map((e) => e.id)));
      setMap(Object.fromEntries(p.placeholders.filter((x) => x.mappedTo).map((x) => [x.name, x.mappedTo!])));
    } catch (e) {
      setError(e);
    }
  };
  useEffect(() => { void load(); }, [sourceName, markdown]);

  if (!plan) return error ? <ErrorBanner error={error} /> : <p className="muted">Reading the process…</p>;
  if (plan.entries.length === 0) return <p className="muted">The document describes no severities, escalation, checklists or templates.</p>;
  const needed = plan.placeholders.filter((p) => p.usedBy.some((id) => selected.has(id)));
  const missing = needed.filter((p) => !map[p.name]);
  const apply = async () => {
    setBusy(true);
    setError(null);
    try {
      const result = await api.post('/api/v1/runbooks/import/apply', { body: { sourceName, markdown, select: [...selected], map } });
      setApplied(result.changes);
      setPlan(result.plan);
      setSelected(new Set(result.plan.entries.filter((e) => e.action === 'add' || e.action === 'change').map((e) => e.id)));
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  const toggle = (id: string) => setSelected((s) => {
    const next = new Set(s);
    if (next.has(id)) next.delete(id);
    else next.add(id);
    return next;
  });
  return (
    <div className="rb-plan" aria-label={`Process plan of ${sourceName}`}>
      <h5>Process plan <span className="muted">{plan.summary.add} to add, {plan.summary.change} to change, {plan.summary.unchanged} unchanged{plan.summary.blocked ? `, ${plan.summary.blocked} managed by firebreak.yaml` : ''}</span></h5>
      <ul className="rb-plan-entries">
        {plan.entries.map((e) => {
          const selectable = e.action === 'add' || e.action === 'change';
          return (
            <li key={e.id} className={`rb-plan-${e.action}`} data-entry={e.id} data-action={e.action}>
              <label>
                <input type="checkbox" disabled={!selectable} checked={selectable && selected.has(e.id)} onChange={() => toggle(e.id)} aria-label={`Apply ${e.title}`} />
                <code className="rb-plan-sign">{SIGN[e.action]}</code> {e.title}
                <span className="muted"> {e.kind}{e.line ? `, line ${e.line}` : ''}</span>
              </label>
              {e.reason ? <p className="warn-text">{e.reason}</p> : null}
              {e.action !== 'unchanged' && e.changes.length ? (
                <ul className="rb-plan-changes">
                  {e.changes.slice(0, 30).map((c, i) => (
                    <li key={i}><code>{c.field}</code>: <del>{c.from ?? '(none)'}</del> → <ins>{c.to ?? '(removed)'}</ins></li>
                  ))}
                </ul>
              ) : null}
              {e.notes.map((n, i) => <p key={i} className="muted rb-plan-note">{n}</p>)}
            </li>
          );
        })}
      </ul>
      {needed.length ? (
        <fieldset className="rb-plan-map">
          <legend>Who are these people?</legend>
          {needed.map((p) => (
            <label key={p.name} className="field">
              <span>{p.name} <span className="muted">(likely a {p.suggestedType})</span></span>
              <select value={map[p.name] ?? ''} aria-label={`Map ${p.name}`} onChange={(ev) => setMap((m) => ({ ...m, [p.name]: ev.target.value }))}>
                <option value="">Choose…</option>
                {targets.map((t) => <option key={t.value} value={t.value}>{t.label}</option>)}
              </select>
            </label>
          ))}
        </fieldset>
      ) : null}
      {plan.notes.length ? (
        <details className="rb-plan-notes"><summary>Not applied ({plan.notes.length})</summary><ul>{plan.notes.map((n, i) => <li key={i}>{n}</li>)}</ul></details>
      ) : null}
      <ErrorBanner error={error} onDismiss={() => setError(null)} />
      <div className="rb-actions">
        <button type="button" className="btn btn-primary btn-small" disabled={busy || selected.size === 0} onClick={() => void apply()}>
          {busy ? 'Applying…' : `Apply ${selected.size} ${selected.size === 1 ? 'object' : 'objects'}`}
        </button>
        {missing.length && selected.size ? <span className="muted"> Map {missing.map((m) => m.name).join(', ')} first.</span> : null}
      </div>
      {applied ? (
        <div role="status" className="rb-plan-applied">
          {applied.length ? <><strong>Applied:</strong><ul>{applied.map((c, i) => <li key={i}>{c}</li>)}</ul></> : <p>Nothing to apply: everything already matches.</p>}
        </div>
      ) : null}
    </div>
  );
}
