import { useState, type FormEvent } from 'react';
import { api } from '../api/client.js';
import { ErrorBanner } from '../components/error-banner.js';
import { useApp } from '../lib/app-context.js';
import { useAction } from '../lib/use-action.js';
import { parseLabels } from './matchers.js';
import type { Policy, Preview, PreviewPerson, PreviewStep } from './types.js';

const offset = (s: number): string => (s === 0 ? 'at once' : s % 60 === 0 ? `+${s / 60} min` : `+${s} s`);
const clock = (iso: string): string => new Date(iso).toLocaleString([], { weekday: 'short', hour: '2-digit', minute: '2-digit' });

function Person({ p }: { p: PreviewPerson }) {
  return (
    <span className="preview-person">
      {p.name}
      {p.reachable ? null : <span className="warn-text"> (no contact method: not reached)</span>}
    </span>
  );
}

function StepRow({ step }: { step: PreviewStep }) {
  const what = step.kind === 'if-unresolved' ? 'If unresolved' : `Level ${step.level}${step.round && step.round > 1 ? `, round ${step.round}` : ''}`;
  const skippedDisabled = step.targets.flatMap((t) => t.people.filter((p) => p.disabled).map((p) => p.name));
  return (
    <li className={`preview-step preview-${step.kind}`}>
      <div className="preview-when">
        <strong>{offset(step.offsetSeconds)}</strong> <span className="muted">{clock(step.at)}</span>
      </div>
      <div className="preview-what">
        <div>
          <strong>{what}</strong>
          <span className="muted"> · {step.targets.map((t) => `${t.type} ${t.name}`).join(', ')}</span>
        </div>
        {step.paged.length ? (
          <div>
            Pages{' '}
            {step.paged.map((p, i) => (
              <span key={p.id}>
                {i ? ', ' : ''}
                <Person p={p} />
              </span>
            ))}
          </div>
        ) : (
          <div className="muted">Pages nobody: {step.reason.replace(/^[^:]*: /, '')}</div>
        )}
        {skippedDisabled.length ? <div className="warn-text">Skipped, disabled: {skippedDisabled.join(', ')}</div> : null}
      </div>
    </li>
  );
}

/** "Who would be paged now, and when": the server runs the real planner and pages nobody. */
export function PolicyDryRun({ policy }: { policy: Policy }) {
  const { severities } = useApp();
  const [severity, setSeverity] = useState(policy.severities[0] ?? severities[0]?.key ?? '');
  const [labels, setLabels] = useState('');
  const [firing, setFiring] = useState('1');
  const [result, setResult] = useState<Preview | null>(null);
  const run = useAction();
  const parsed = parseLabels(labels);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    await run.run('preview', async () => {
      setResult(null);
      setResult(await api.post('/api/v1/escalation-policies/{policy}/preview', { params: { path: { policy: policy.id } }, body: { ...(severity ? { severity } : {}), labels: parsed.labels, firingAlerts: firing === '' ? 1 : Number(firing) } }));
    });
  };
  return (
    <section className="policy-dry-run" aria-label={`Dry-run of ${policy.name}`}>
      <form className="dry-run-form" onSubmit={(e) => void submit(e)}>
        <label className="field">
          <span>Severity</span>
          <select value={severity} onChange={(e) => setSeverity(e.target.value)} aria-label="Dry-run severity">
            <option value="">(none)</option>
            {severities.map((s) => (
              <option key={s.key} value={s.key}>
                {s.key}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          <span>Alert labels <span className="muted">(name=value, …)</span></span>
          <input value={labels} onChange={(e) => setLabels(e.target.value)} aria-label="Dry-run labels" />
        </label>
        <label className="field">
          <span>Firing alerts</span>
          <input type="number" min={0} value={firing} onChange={(e) => setFiring(e.target.value)} aria-label="Dry-run firing alerts" />
        </label>
        <div className="form-actions">
          <button type="submit" className="btn" disabled={run.busy !== null || parsed.error !== null}>
            Who would be paged?
          </button>
        </div>
      </form>
      {parsed.error ? <p className="field-error">{parsed.error}</p> : null}
      <ErrorBanner error={run.error} onDismiss={() => run.setError(null)} />
      {result ? (
        <div data-testid="dry-run-result">
          <p className="muted">
            If a {result.severity ?? 'severity-less'} incident opened {clock(result.startsAt)} and nobody acknowledged:
          </p>
          <ol className="preview-steps">
            {result.steps.map((s, i) => (
              <StepRow key={i} step={s} />
            ))}
          </ol>
          <p className="muted">Then: {result.end}.</p>
        </div>
      ) : null}
    </section>
  );
}
