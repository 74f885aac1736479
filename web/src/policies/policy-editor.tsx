import { useState, type FormEvent } from 'react';
import { api, type BodyOf } from '../api/client.js';
import { ErrorBanner } from '../components/error-banner.js';
import { useApp } from '../lib/app-context.js';
import { useAction } from '../lib/use-action.js';
import { ConditionEditor, TargetsEditor } from './targets-editor.js';
import type { Condition, Level, Policy, TargetChoices, UnresolvedEntry } from './types.js';

/** Minutes in the form, seconds on the wire; 0.5 min is 30 s. */
const toMinutes = (seconds: number): string => String(Math.round((seconds / 60) * 100) / 100);
const toSeconds = (minutes: string): number => Math.round(Number(minutes) * 60);

interface Draft {
  name: string;
  team: string;
  severities: string[];
  levels: Level[];
  repeat: string;
  repeatDelay: string;
  ackTimeout: string;
  catchUp: Policy['catchUp'];
  condition: Condition | undefined;
  ifUnresolved: UnresolvedEntry[];
}

function draftOf(p: Policy | null): Draft {
  return {
    name: p?.name ?? '',
    team: p?.teamId ?? '',
    severities: p?.severities ?? [],
    levels: p?.levels.map((l) => ({ ...l })) ?? [{ delaySeconds: 0, targets: [] }],
    repeat: String(p?.repeat ?? 0),
    repeatDelay: toMinutes(p?.repeatDelaySeconds ?? 300),
    ackTimeout: p?.ackTimeoutSeconds ? toMinutes(p.ackTimeoutSeconds) : '',
    catchUp: p?.catchUp ?? 'late-but-once',
    condition: p?.condition,
    ifUnresolved: p?.ifUnresolved?.map((u) => ({ ...u })) ?? [],
  };
}

/** What POST/PUT /escalation-policies declare; bodyOf builds it from the form and the server validates it field by field. */
type PolicyBody = BodyOf<'/api/v1/escalation-policies', 'post'>;

/** The body of POST/PUT /escalation-policies: what the server validates field by field. */
function bodyOf(d: Draft): Record<string, unknown> {
  return {
    name: d.name,
    ...(d.team ? { team: d.team } : {}),
    severities: d.severities,
    levels: d.levels.map((l) => ({ delaySeconds: l.delaySeconds, targets: l.targets, ...(l.roundRobin ? { roundRobin: true } : {}), ...(l.condition ? { condition: l.condition } : {}) })),
    repeat: d.repeat === '' ? 0 : Number(d.repeat),
    repeatDelaySeconds: toSeconds(d.repeatDelay || '0'),
    ackTimeoutSeconds: d.ackTimeout === '' ? null : toSeconds(d.ackTimeout),
    catchUp: d.catchUp,
    ...(d.condition ? { condition: d.condition } : {}),
    ifUnresolved: d.ifUnresolved,
  };
}

export function PolicyEditor({ policy, choices, teams, onCancel, onSaved }: {
  policy: Policy | null;
  choices: TargetChoices;
  teams: { id: string; slug: string; name: string }[];
  onCancel: () => void;
  onSaved: (p: Policy) => void;
}) {
  const { severities } = useApp();
  const [d, setD] = useState<Draft>(() => draftOf(policy));
  const [problems, setProblems] = useState<Record<string, string | null>>({});
  const save = useAction();
  const set = (patch: Partial<Draft>) => setD((old) => ({ ...old, ...patch }));
  const setLevel = (i: number, patch: Partial<Level>) => set({ levels: d.levels.map((l, j) => (j === i ? { ...l, ...patch } : l)) });
  const move = (i: number, by: -1 | 1) => {
    const levels = [...d.levels];
    const [l] = levels.splice(i, 1);
    levels.splice(i + by, 0, l!);
    set({ levels });
  };
  const problem = Object.values(problems).find((p) => p) ?? null;
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (problem) return;
    await save.run('save', async () => {
      const saved = policy ? await api.put('/api/v1/escalation-policies/{policy}', { params: { path: { policy: policy.id } }, body: bodyOf(d) as PolicyBody }) : await api.post('/api/v1/escalation-policies', { body: bodyOf(d) as PolicyBody });
      onSaved(saved);
    });
  };

  return (
    <form className="form policy-editor card" onSubmit={(e) => void submit(e)} aria-label={policy ? `Edit ${policy.name}` : 'New escalation policy'}>
      <h2>{policy ? `Edit ${policy.name}` : 'New escalation policy'}</h2>
      <div className="policy-grid">
        <label className="field">
          <span>Name</span>
          <input value={d.name} onChange={(e) => set({ name: e.target.value })} aria-label="Policy name" />
        </label>
        <label className="field">
          <span>Team <span className="muted">(optional)</span></span>
          <select value={d.team} onChange={(e) => set({ team: e.target.value })} aria-label="Policy team">
            <option value="">(no team)</option>
            {teams.map((t) => (
              <option key={t.id} value={t.id}>
                {t.name}
              </option>
            ))}
          </select>
        </label>
      </div>
      <fieldset className="field">
        <legend>Default policy for severities</legend>
        <div className="condition-sevs">
          {severities.map((s) => (
            <label key={s.key} className="check">
              <input
                type="checkbox"
                aria-label={`Default for ${s.key}`}
                checked={d.severities.includes(s.key)}
                onChange={() => set({ severities: d.severities.includes(s.key) ? d.severities.filter((x) => x !== s.key) : [...d.severities, s.key] })}
              />{' '}
              {s.key}
            </label>
          ))}
        </div>
      </fieldset>

      <h3>Levels</h3>
      <ol className="policy-levels">
        {d.levels.map((level, i) => (
          <li key={i} className="policy-level" data-testid={`level-${i + 1}`}>
            <div className="level-head">
              <strong>Level {i + 1}</strong>
              <span className="level-tools">
                <button type="button" className="btn btn-quiet btn-small" disabled={i === 0} onClick={() => move(i, -1)} aria-label={`Move level ${i + 1} up`}>
                  ↑
                </button>
                <button type="button" className="btn btn-quiet btn-small" disabled={i === d.levels.length - 1} onClick={() => move(i, 1)} aria-label={`Move level ${i + 1} down`}>
                  ↓
                </button>
                <button type="button" className="btn btn-quiet btn-small" disabled={d.levels.length === 1} onClick={() => set({ levels: d.levels.filter((_, j) => j !== i) })}>
                  Remove level {i + 1}
                </button>
              </span>
            </div>
            <div className="policy-grid">
              <label className="field">
                <span>{i === 0 ? 'Minutes after the incident opens' : 'Minutes after the previous level'}</span>
                <input type="number" min={0} step="any" value={toMinutes(level.delaySeconds)} aria-label={`Level ${i + 1} delay (minutes)`} onChange={(e) => setLevel(i, { delaySeconds: toSeconds(e.target.value || '0') })} />
              </label>
              <label className="check round-robin">
                <input type="checkbox" checked={level.roundRobin ?? false} onChange={(e) => setLevel(i, { roundRobin: e.target.checked })} /> Round-robin: page one target per firing, in turn
              </label>
            </div>
            <TargetsEditor label={`Level ${i + 1} targets`} targets={level.targets} choices={choices} onChange={(targets) => setLevel(i, { targets })} />
            <details className="level-condition" open={level.condition !== undefined}>
              <summary>Condition {level.condition ? '(set)' : '(none: always pages)'}</summary>
              <ConditionEditor
                label={`Level ${i + 1} condition`}
                condition={level.condition}
                severities={severities}
                onChange={(condition) => setLevel(i, { condition })}
                onError={(m) => setProblems((p) => ({ ...p, [`level${i}`]: m }))}
              />
            </details>
          </li>
        ))}
      </ol>
      <button type="button" className="btn btn-small" onClick={() => set({ levels: [...d.levels, { delaySeconds: 600, targets: [] }] })}>
        Add level
      </button>

      <h3>Repeat and acknowledgement</h3>
      <div className="policy-grid">
        <label className="field">
          <span>Extra rounds when nobody acknowledges</span>
          <input type="number" min={0} max={10} value={d.repeat} onChange={(e) => set({ repeat: e.target.value })} aria-label="Repeat rounds" />
        </label>
        <label className="field">
          <span>Minutes between rounds</span>
          <input type="number" min={0} step="any" value={d.repeatDelay} onChange={(e) => set({ repeatDelay: e.target.value })} aria-label="Minutes between rounds" />
        </label>
        <label className="field">
          <span>Re-page if acknowledged but not resolved after (minutes; empty: never)</span>
          <input type="number" min={1} step="any" value={d.ackTimeout} onChange={(e) => set({ ackTimeout: e.target.value })} aria-label="Acknowledgement timeout (minutes)" />
        </label>
        <label className="field">
          <span>Steps missed while Firebreak was down</span>
          <select value={d.catchUp} onChange={(e) => set({ catchUp: e.target.value as Policy['catchUp'] })} aria-label="Catch-up">
            <option value="late-but-once">Send each once, late</option>
            <option value="skip-to-current">Skip to the current step</option>
          </select>
        </label>
      </div>

      <h3>If not resolved</h3>
      <p className="muted">Pages these targets once, that long after the incident opened, unless it is resolved by then, acknowledged or not.</p>
      <ul className="policy-levels">
        {d.ifUnresolved.map((u, i) => (
          <li key={i} className="policy-level" data-testid={`unresolved-${i + 1}`}>
            <div className="level-head">
              <label className="field">
                <span>Minutes after the incident opens</span>
                <input
                  type="number"
                  min={1}
                  step="any"
                  value={toMinutes(u.afterSeconds)}
                  aria-label={`If unresolved ${i + 1}: minutes`}
                  onChange={(e) => set({ ifUnresolved: d.ifUnresolved.map((x, j) => (j === i ? { ...x, afterSeconds: toSeconds(e.target.value || '0') } : x)) })}
                />
              </label>
              <button type="button" className="btn btn-quiet btn-small" onClick={() => set({ ifUnresolved: d.ifUnresolved.filter((_, j) => j !== i) })}>
                Remove
              </button>
            </div>
            <TargetsEditor
              label={`If unresolved ${i + 1} targets`}
              targets={u.targets}
              choices={choices}
              onChange={(targets) => set({ ifUnresolved: d.ifUnresolved.map((x, j) => (j === i ? { ...x, targets } : x)) })}
            />
          </li>
        ))}
      </ul>
      <button type="button" className="btn btn-small" onClick={() => set({ ifUnresolved: [...d.ifUnresolved, { afterSeconds: 1800, targets: [] }] })}>
        Add "if unresolved"
      </button>

      <details className="level-condition" open={d.condition !== undefined}>
        <summary>Whole-policy condition {d.condition ? '(set)' : '(none)'}</summary>
        <ConditionEditor label="Policy condition" condition={d.condition} severities={severities} onChange={(condition) => set({ condition })} onError={(m) => setProblems((p) => ({ ...p, policy: m }))} />
      </details>

      <ErrorBanner error={save.error} onDismiss={() => save.setError(null)} />
      {problem ? <p className="field-error">Cannot save yet: fix the matchers of {problem.toLowerCase()}.</p> : null}
      <div className="form-actions">
        <button type="submit" className="btn btn-primary" disabled={save.busy !== null || problem !== null}>
          Save policy
        </button>
        <button type="button" className="btn btn-quiet" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}
