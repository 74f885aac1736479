import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { api, call, client, ref } from '../api/client.js';
import { ErrorBanner } from '../components/error-banner.js';
import { Markdown } from '../components/markdown.js';
import { linkClick } from '../lib/router.js';
import { useAction } from '../lib/use-action.js';
import { seconds } from './format.js';
import type { PathChoice, Run, RunnerJob, RunStep, StepAction, TargetEvaluation } from './types.js';
import './runbooks.css';

/**
 * The runbooks an incident follows, as checklists: progress, targets, and per step the
 * start / done / skip (with a reason) / fail buttons, commands ready to copy with placeholders
 * filled, and fields for the values nobody could fill. Text from runbooks is rendered by the
 * escaping Markdown component or as plain text, never as HTML.
 */
export function RunbookPanel({ number, isDrill, refreshKey, onChanged }: { number: number; isDrill: boolean; refreshKey: unknown; onChanged: () => void }) {
  const [runs, setRuns] = useState<Run[] | null>(null);
  const [jobs, setJobs] = useState<RunnerJob[]>([]);
  const [loadError, setLoadError] = useState<unknown>(null);

  const load = useCallback(async () => {
    try {
      const [r, j] = await Promise.all([
        api.get('/api/v1/incidents/{incident}/runbook-runs', { params: { path: { incident: ref(number) } } }),
        api.get('/api/v1/incidents/{incident}/runner-jobs', { params: { path: { incident: ref(number) } } }).catch(() => ({ items: [] as RunnerJob[] })),
      ]);
      setRuns(r.items);
      setJobs(j.items);
      setLoadError(null);
    } catch (e) {
      setLoadError(e);
    }
  }, [number]);

  // Other responders tick steps too: every new timeline event re-reads the checklist.
  useEffect(() => {
    void load();
  }, [load, refreshKey]);

  const changed = async () => {
    await load();
    onChanged();
  };

  return (
    <section className="card runbooks" aria-labelledby="runbooks-h">
      <div className="card-head">
        <h2 id="runbooks-h">Runbooks</h2>
        {isDrill ? <span className="drill-flag">DRILL</span> : null}
      </div>
      {isDrill ? <p className="drill-banner" role="note">DRILL — a rehearsal. Nothing is broken; follow the runbook as if it were real. Times are scored against its targets.</p> : null}
      <ErrorBanner error={loadError} onDismiss={() => setLoadError(null)} />
      {runs === null ? <p className="muted">Loading runbooks…</p> : null}
      {runs?.length === 0 ? <p className="muted">No runbook matched this incident. Attach one below.</p> : null}
      {runs?.map((run) => <RunChecklist key={run.id} number={number} run={run} jobs={jobs.filter((j) => j.runId === run.id)} onChanged={changed} />)}
      <AttachRunbook number={number} onAttached={changed} />
    </section>
  );
}

function Targets({ targets, recorded }: { targets: TargetEvaluation[]; recorded: boolean }) {
  if (targets.length === 0) return null;
  return (
    <ul className="rb-targets" aria-label="Targets">
      {targets.map((t) => (
        <li key={t.kind} className={`rb-target rb-target-${t.state}`}>
          <span className="rb-target-kind">{t.kind}</span> within {seconds(t.targetSeconds)}:{' '}
          <strong>{t.state === 'pending' ? `due ${new Date(t.dueAt).toLocaleTimeString()}` : t.state}</strong>
          {t.state !== 'pending' ? <span className="muted"> ({seconds(t.elapsedSeconds)})</span> : null}
          {recorded ? <span className="muted"> · recorded</span> : null}
        </li>
      ))}
    </ul>
  );
}

function RunChecklist({ number, run, jobs, onChanged }: { number: number; run: Run; jobs: RunnerJob[]; onChanged: () => Promise<void> }) {
  const [open, setOpen] = useState(true);
  const p = run.progress;
  return (
    <div className="rb-run" data-runbook={run.runbook.slug}>
      <div className="rb-run-head">
        <button type="button" className="btn-link rb-toggle" aria-expanded={open} onClick={() => setOpen(!open)}>
          {open ? '▾' : '▸'}
        </button>
        <h3>
          <a href={`/runbooks/${encodeURIComponent(run.runbook.slug)}?version=${run.version.number}`} onClick={linkClick}>{run.runbook.title}</a>{' '}
          <span className="muted">v{run.version.number}{run.version.number !== run.runbook.currentVersion ? ` (current v${run.runbook.currentVersion})` : ''}</span>
          {run.isDrill ? <span className="drill-flag">DRILL</span> : null}
        </h3>
      </div>
      <div className="rb-progress" role="progressbar" aria-valuemin={0} aria-valuemax={100} aria-valuenow={p.percent} aria-label={`${run.runbook.title} progress`}>
        <div className="rb-progress-bar" style={{ width: `${p.percent}%` }} />
      </div>
      <p className="muted rb-progress-text">
        {p.done + p.skipped} of {p.total} steps ({p.done} done, {p.skipped} skipped{p.failed ? `, ${p.failed} failed` : ''}) · attached: {run.reason}
      </p>
      <Targets targets={run.targetsResult ?? run.targets} recorded={run.targetsResult !== null} />
      {open ? (
        <>
          {run.missing.length > 0 ? <ValuesForm number={number} run={run} onSaved={onChanged} /> : null}
          {run.paths.map((choice) => <PathChooser key={choice.set} number={number} run={run} choice={choice} onChanged={onChanged} />)}
          {run.phases.map((phase, i) => (
            <div key={i} className={`rb-phase rb-phase-${phase.kind}`}>
              <h4>
                {phase.title}
                {phase.timebox?.maxSeconds !== undefined ? <span className="muted"> · within {seconds(phase.timebox.maxSeconds)}</span> : null}
              </h4>
              {phase.notes.map((note, j) => (
                <Markdown key={j} source={note} className="rb-note" />
              ))}
              <ol className="rb-steps">
                {phase.steps.map((step) => (
                  <Step key={step.index} number={number} run={run} step={step} job={[...jobs].reverse().find((j) => j.step === step.index) ?? null} onChanged={onChanged} />
                ))}
              </ol>
            </div>
          ))}
        </>
      ) : null}
    </div>
  );
}

/** "Which of these applies?": the responder picks the path; the others stop counting as undone. */
function PathChooser({ number, run, choice, onChanged }: { number: number; run: Run; choice: PathChoice; onChanged: () => Promise<void> }) {
  const action = useAction();
  const choose = (option: number | null) => action.run('path', async () => {
    await call(client.POST('/api/v1/incidents/{incident}/runbook-runs/{run}/paths', { params: { path: { incident: ref(number), run: run.id } }, body: { set: choice.set, option } }));
    await onChanged();
  });
  return (
    <fieldset className="rb-paths" data-set={choice.set}>
      <legend>{choice.title}: which path applies?</legend>
      <div className="rb-path-options" role="group" aria-label={`${choice.title} paths`}>
        {choice.options.map((option, i) => (
          <button
            key={i}
            type="button"
            className={`btn btn-small${choice.counted === i ? ' btn-primary' : ''}`}
            aria-pressed={choice.chosen === i}
            disabled={action.busy !== null}
            onClick={() => void choose(i)}
          >
            {option}
          </button>
        ))}
        {choice.chosen !== null ? <button type="button" className="btn-link" disabled={action.busy !== null} onClick={() => void choose(null)}>Clear choice</button> : null}
      </div>
      <p className="muted rb-path-state">
        {choice.chosen !== null ? `Following “${choice.options[choice.chosen]}”` : `Not chosen yet: progress counts “${choice.options[choice.counted]}”`}; the other paths are not counted.
      </p>
      <ErrorBanner error={action.error} onDismiss={() => action.setError(null)} />
    </fieldset>
  );
}

const STATE_MARK: Record<string, string> = { pending: '○', started: '◐', done: '✓', skipped: '↷', failed: '✗' };

function Step({ number, run, step, job, onChanged }: { number: number; run: Run; step: RunStep; job: RunnerJob | null; onChanged: () => Promise<void> }) {
  const action = useAction();
  const [skipping, setSkipping] = useState(false);
  const [reason, setReason] = useState('');
  const at = { params: { path: { incident: ref(number), run: run.id, step: String(step.index) } } };
  const act = (name: StepAction, body: { reason?: string } = {}) =>
    action.run(name, async () => {
      await api.post('/api/v1/incidents/{incident}/runbook-runs/{run}/steps/{step}', { ...at, body: { action: name, ...body } });
      setSkipping(false);
      setReason('');
      await onChanged();
    });
  const execute = () => action.run('execute', async () => {
    await api.post('/api/v1/incidents/{incident}/runbook-runs/{run}/steps/{step}/execute', { ...at, body: {} });
    await onChanged();
  });
  const approve = (id: string) => action.run('approve', async () => {
    await api.post('/api/v1/incidents/{incident}/runner-jobs/{job}/approve', { params: { path: { incident: ref(number), job: id } } });
    await onChanged();
  });
  const final = step.state === 'done' || step.state === 'skipped';
  const label = step.text.split('\n')[0] ?? '';

  return (
    <li className={`rb-step rb-state-${step.state}${step.dangerous ? ' rb-dangerous' : ''}${step.counted ? '' : ' rb-not-taken'}`} data-step={step.index} data-state={step.state} data-counted={step.counted ? 'true' : 'false'}>
      <span className="rb-mark" aria-hidden="true">{STATE_MARK[step.state]}</span>
      <div className="rb-step-body">
        {step.group ? <div className="rb-group muted">{step.group}</div> : null}
        {!step.counted ? <div className="muted rb-path-note">Another path: not counted in progress</div> : null}
        {step.lead ? <div className="rb-lead muted">{step.lead}</div> : null}
        <div className="rb-text">{label}{step.optional ? <span className="muted"> (if needed)</span> : null}</div>
        {step.dangerous ? <div className="rb-danger" role="note">⚠ {step.dangerReason ?? 'destructive'}</div> : null}
        {step.command !== null ? <CommandBlock command={step.command} language={step.language} /> : null}
        {step.placeholders.rejected.length ? <div className="warn-text">Refused unsafe value for {step.placeholders.rejected.join(', ')}</div> : null}
        {step.expect ? <div className="muted rb-expect">Expect: {step.expect}</div> : null}
        {step.state !== 'pending' ? (
          <div className="muted rb-by">
            {step.state} by {step.by}{step.at ? ` at ${new Date(step.at).toLocaleTimeString()}` : ''}{step.reason ? ` — ${step.reason}` : ''}
          </div>
        ) : null}
        {job ? (
          <div className={`rb-job rb-job-${job.status}`}>
            Runner: <strong>{job.status}</strong>{job.exitCode !== null ? ` (exit ${job.exitCode})` : ''}{job.reason ? ` — ${job.reason}` : ''}
            {job.status === 'requested' ? (
              <button type="button" className="btn btn-small" disabled={action.busy !== null} onClick={() => void approve(job.id)}>
                Approve (second person)
              </button>
            ) : null}
            {job.output ? <pre className="rb-output">{job.output}{job.outputTruncated ? '\n… (truncated)' : ''}</pre> : null}
          </div>
        ) : null}
        <ErrorBanner error={action.error} onDismiss={() => action.setError(null)} />
        {!final ? (
          <div className="rb-actions" role="group" aria-label={`Step ${step.index + 1}`}>
            {step.state === 'pending' || step.state === 'failed' ? (
              <button type="button" className="btn btn-small" disabled={action.busy !== null} onClick={() => void act('start')}>Start</button>
            ) : null}
            <button type="button" className="btn btn-small btn-primary" disabled={action.busy !== null} onClick={() => void act('done')}>Done</button>
            <button type="button" className="btn btn-small" disabled={action.busy !== null} onClick={() => setSkipping(!skipping)} aria-expanded={skipping}>Skip…</button>
            {step.state !== 'failed' ? (
              <button type="button" className="btn btn-small btn-quiet" disabled={action.busy !== null} onClick={() => void act('fail')}>Failed</button>
            ) : null}
            {step.kind === 'command' && step.language && /^(bash|sh|shell|zsh|console)$/.test(step.language) && step.placeholders.missing.length === 0 ? (
              <button type="button" className="btn btn-small btn-quiet" disabled={action.busy !== null} onClick={() => void execute()} title="Ask a runner to execute this command (needs a runner whose allow-list permits it)">
                Run on runner
              </button>
            ) : null}
          </div>
        ) : null}
        {skipping ? (
          <form
            className="rb-skip"
            onSubmit={(e: FormEvent) => {
              e.preventDefault();
              void act('skip', { reason });
            }}
          >
            <label>
              Why skip this step?
              <input value={reason} onChange={(e) => setReason(e.target.value)} required maxLength={2000} />
            </label>
            <button type="submit" className="btn btn-small" disabled={action.busy !== null || reason.trim() === ''}>Skip step</button>
          </form>
        ) : null}
      </div>
    </li>
  );
}

function CommandBlock({ command, language }: { command: string; language: string | null }) {
  const [copied, setCopied] = useState(false);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(command);
      setCopied(true);
      setTimeout(() => setCopied(false), 1500);
    } catch {
      setCopied(false);
    }
  };
  return (
    <div className="rb-command">
      <pre data-language={language ?? undefined}>
        <code>{command}</code>
      </pre>
      <button type="button" className="btn-link rb-copy" onClick={() => void copy()} aria-label="Copy command">
        {copied ? 'Copied' : 'Copy'}
      </button>
    </div>
  );
}

/** The server's isSecretName, for the input type only: the server decides what is masked. */
const SECRET_NAME = /(?:^|[^a-z0-9])(?:token|key|apikey|password|passwd|pass|pwd|secret|credentials?|passphrase)(?:[^a-z0-9]|$)/i;

function ValuesForm({ number, run, onSaved }: { number: number; run: Run; onSaved: () => Promise<void> }) {
  const action = useAction();
  const [values, setValues] = useState<Record<string, string>>({});
  // Marked secret: masked everywhere but in the command a runner executes (names like *_TOKEN always are).
  const [secret, setSecret] = useState<Record<string, boolean>>({});
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const filled = Object.fromEntries(
      Object.entries(values)
        .filter(([, v]) => v.trim() !== '')
        .map(([k, v]) => [k, secret[k] ? { value: v, secret: true } : v]),
    );
    void action.run('values', async () => {
      await api.post('/api/v1/incidents/{incident}/runbook-runs/{run}/values', { params: { path: { incident: ref(number), run: run.id } }, body: { values: filled } });
      setValues({});
      setSecret({});
      await onSaved();
    });
  };
  return (
    <form className="rb-values" onSubmit={submit}>
      <p className="muted">Fill in what the alert did not say:</p>
      {run.missing.map((raw) => (
        <label key={raw}>
          <code>{raw}</code>
          <input
            type={secret[raw] || SECRET_NAME.test(raw) ? 'password' : 'text'}
            autoComplete="off"
            value={values[raw] ?? ''}
            onChange={(e) => setValues({ ...values, [raw]: e.target.value })}
            maxLength={256}
          />
          <span className="rb-secret">
            <input type="checkbox" checked={secret[raw] ?? false} onChange={(e) => setSecret({ ...secret, [raw]: e.target.checked })} aria-label={`${raw} is secret`} /> secret
          </span>
        </label>
      ))}
      <ErrorBanner error={action.error} onDismiss={() => action.setError(null)} />
      <button type="submit" className="btn btn-small" disabled={action.busy !== null}>Fill in</button>
    </form>
  );
}

function AttachRunbook({ number, onAttached }: { number: number; onAttached: () => Promise<void> }) {
  const action = useAction();
  const [q, setQ] = useState('');
  return (
    <form
      className="rb-attach"
      onSubmit={(e) => {
        e.preventDefault();
        void action.run('attach', async () => {
          await api.post('/api/v1/incidents/{incident}/runbook-runs', { params: { path: { incident: ref(number) } }, body: { q } });
          setQ('');
          await onAttached();
        });
      }}
    >
      <label>
        Attach a runbook
        <input value={q} onChange={(e) => setQ(e.target.value)} placeholder="search by title or slug" maxLength={200} />
      </label>
      <button type="submit" className="btn btn-small" disabled={action.busy !== null || q.trim() === ''}>Attach</button>
      <ErrorBanner error={action.error} onDismiss={() => action.setError(null)} />
    </form>
  );
}
