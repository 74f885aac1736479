import { useState } from 'react';
import { formatMatchers, parseMatchers } from './matchers.js';
import type { Condition, Target, TargetChoices, TargetType } from './types.js';

const TYPE_LABEL: Record<TargetType, string> = { user: 'Person', schedule: 'Schedule', team: 'Team' };

export function targetName(choices: TargetChoices, t: Target): string {
  const found = choices[t.type].find((c) => c.id === t.id);
  return found ? found.name : t.id;
}

/** Targets as removable chips plus a type + name picker; a disabled person is marked. */
export function TargetsEditor({ label, targets, choices, onChange }: { label: string; targets: Target[]; choices: TargetChoices; onChange: (t: Target[]) => void }) {
  const [type, setType] = useState<TargetType>('schedule');
  const [id, setId] = useState('');
  const options = choices[type];
  const add = () => {
    const pick = id || options[0]?.id;
    if (!pick || targets.some((t) => t.type === type && t.id === pick)) return;
    onChange([...targets, { type, id: pick }]);
    setId('');
  };
  return (
    <div className="targets-editor" role="group" aria-label={label}>
      <ul className="target-chips">
        {targets.length === 0 ? <li className="muted">No targets yet.</li> : null}
        {targets.map((t, i) => {
          const disabled = t.type === 'user' && choices.user.find((u) => u.id === t.id)?.disabled;
          return (
            <li key={`${t.type}:${t.id}`} className="target-chip">
              <span className="muted">{TYPE_LABEL[t.type]}</span> {targetName(choices, t)}
              {disabled ? <span className="warn-text"> (disabled: never paged)</span> : null}
              <button type="button" className="btn-icon" aria-label={`Remove ${targetName(choices, t)} from ${label}`} onClick={() => onChange(targets.filter((_, j) => j !== i))}>
                ×
              </button>
            </li>
          );
        })}
      </ul>
      <div className="target-add">
        <select value={type} onChange={(e) => { setType(e.target.value as TargetType); setId(''); }} aria-label={`${label}: target type`}>
          <option value="schedule">Schedule</option>
          <option value="user">Person</option>
          <option value="team">Team</option>
        </select>
        <select value={id} onChange={(e) => setId(e.target.value)} aria-label={`${label}: target`}>
          {options.length === 0 ? <option value="">(none yet)</option> : null}
          {options.map((o) => (
            <option key={o.id} value={o.id}>
              {o.name}
              {'disabled' in o && o.disabled ? ' (disabled)' : ''}
            </option>
          ))}
        </select>
        <button type="button" className="btn btn-small" onClick={add} disabled={options.length === 0}>
          Add target
        </button>
      </div>
    </div>
  );
}

/**
 * A level's (or the whole policy's) condition: only for some severities, only when some label
 * matchers hold, only when at least N firing alerts match. Matchers are typed as text and
 * checked as you type; `onChange(undefined)` when nothing is set.
 */
export function ConditionEditor({ label, condition, severities, onChange, onError }: {
  label: string;
  condition: Condition | undefined;
  severities: { key: string }[];
  onChange: (c: Condition | undefined) => void;
  /** The label of the condition that cannot be read yet, or null once it can. */
  onError: (label: string | null) => void;
}) {
  const [matchText, setMatchText] = useState(formatMatchers(condition?.matchers));
  const [countMatchText, setCountMatchText] = useState(formatMatchers(condition?.firingAlerts?.matchers));
  const [problem, setProblem] = useState<string | null>(null);
  const sevs = condition?.severities ?? [];
  const emit = (next: Condition) => {
    const clean: Condition = {};
    if (next.severities?.length) clean.severities = next.severities;
    if (next.matchers?.length) clean.matchers = next.matchers;
    if (next.firingAlerts) clean.firingAlerts = next.firingAlerts;
    onChange(Object.keys(clean).length ? clean : undefined);
  };
  const readMatchers = (text: string, which: 'matchers' | 'count') => {
    const parsed = parseMatchers(text);
    setProblem(parsed.error);
    onError(parsed.error ? label : null);
    if (parsed.error) return;
    if (which === 'matchers') emit({ ...condition, matchers: parsed.matchers });
    else if (condition?.firingAlerts) emit({ ...condition, firingAlerts: { atLeast: condition.firingAlerts.atLeast, ...(parsed.matchers.length ? { matchers: parsed.matchers } : {}) } });
  };
  return (
    <fieldset className="field condition-editor">
      <legend>{label}</legend>
      <div className="condition-sevs">
        <span className="muted">Only for severities (none ticked: any):</span>
        {severities.map((s) => (
          <label key={s.key} className="check">
            <input
              type="checkbox"
              checked={sevs.includes(s.key)}
              aria-label={`${label}: only ${s.key}`}
              onChange={() => emit({ ...condition, severities: sevs.includes(s.key) ? sevs.filter((x) => x !== s.key) : [...sevs, s.key] })}
            />{' '}
            {s.key}
          </label>
        ))}
      </div>
      <label className="field">
        <span>Only when an alert matches <span className="muted">(e.g. service="checkout", env!=staging)</span></span>
        <input value={matchText} aria-label={`${label}: label matchers`} onChange={(e) => { setMatchText(e.target.value); readMatchers(e.target.value, 'matchers'); }} />
      </label>
      <div className="condition-count">
        <label className="field">
          <span>Only when at least … alerts are firing</span>
          <input
            type="number"
            min={1}
            value={condition?.firingAlerts?.atLeast ?? ''}
            aria-label={`${label}: firing alerts at least`}
            onChange={(e) => {
              const n = e.target.value === '' ? null : Number(e.target.value);
              const { firingAlerts: _, ...rest } = condition ?? {};
              const countMatchers = parseMatchers(countMatchText).matchers;
              emit(n === null ? rest : { ...rest, firingAlerts: { atLeast: n, ...(countMatchers.length ? { matchers: countMatchers } : {}) } });
            }}
          />
        </label>
        <label className="field">
          <span>… of alerts matching <span className="muted">(empty: any alert)</span></span>
          <input value={countMatchText} aria-label={`${label}: firing alerts matching`} onChange={(e) => { setCountMatchText(e.target.value); readMatchers(e.target.value, 'count'); }} />
        </label>
      </div>
      {problem ? <p className="field-error">{problem}</p> : null}
    </fieldset>
  );
}
