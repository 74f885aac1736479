import { Markdown } from '../components/markdown.js';
import { seconds } from './format.js';
import type { RunbookStructure } from './types.js';

/**
 * What the importer understood of a runbook: targets, phases with their time boxes, steps
 * (commands, checks, instructions) with danger marks and conditions, and the alternative paths
 * a responder chooses between; what it kept as Markdown is listed last, so an author sees what
 * to fix. Runbook text is rendered by the sanitising Markdown component or as plain text.
 */
export function RunbookStructureView({ structure }: { structure: RunbookStructure }) {
  const t = structure.targets;
  const targets = ([['acknowledge', t.acknowledgeSeconds], ['mitigate', t.mitigateSeconds], ['resolve', t.resolveSeconds]] as const).filter(([, v]) => v !== undefined);
  const alternatives = structure.alternatives ?? [];
  let stepNumber = 0;
  return (
    <div className="rb-structure">
      {structure.summary ? <p>{structure.summary}</p> : null}
      <ul className="rb-targets" aria-label="Targets">
        {targets.length === 0 ? <li className="muted">No targets in the document</li> : null}
        {targets.map(([kind, value]) => (
          <li key={kind} className="rb-target"><span className="rb-target-kind">{kind}</span> within {seconds(value!)}</li>
        ))}
      </ul>
      {alternatives.length > 0 ? (
        <div className="rb-alternatives">
          {alternatives.map((a, i) => (
            <p key={i} className="muted">
              <strong>{a.title}</strong>: {a.options.length} alternative paths ({a.options.join(' · ')}); a responder picks one during an incident.
            </p>
          ))}
        </div>
      ) : null}
      {structure.phases.map((phase, i) => {
        let lastPath = '';
        return (
          <section key={i} className={`rb-phase rb-phase-${phase.kind}`} aria-label={phase.title}>
            <h3>
              {phase.title} <span className="badge rb-phase-kind">{phase.kind}</span>
              {phase.timebox?.maxSeconds !== undefined ? <span className="muted"> · within {seconds(phase.timebox.maxSeconds)}</span> : null}
            </h3>
            {phase.notes.map((note, j) => <Markdown key={j} source={note} className="rb-note" />)}
            <ol className="rb-steps" start={stepNumber + 1}>
              {phase.steps.map((step, j) => {
                const n = ++stepNumber;
                const key = step.path ? `${step.path.set}:${step.path.option}` : '';
                const alt = step.path ? alternatives[step.path.set] : undefined;
                const pathHead = key !== lastPath && step.path && alt ? `${alt.title}: path ${step.path.option + 1} of ${alt.options.length}` : null;
                lastPath = key;
                return (
                  <li key={j} className={`rb-step rb-kind-${step.kind}${step.dangerous ? ' rb-dangerous' : ''}`} data-kind={step.kind}>
                    <span className="rb-mark" aria-hidden="true">{n}</span>
                    <div className="rb-step-body">
                      {pathHead ? <div className="rb-path-head">{pathHead}</div> : null}
                      {step.group ? <div className="rb-group muted">{step.group}</div> : null}
                      {step.lead ? <div className="rb-lead muted">{step.lead}</div> : null}
                      <div className="rb-text">
                        <span className="badge rb-step-kind">{step.kind}</span> {step.text.split('\n')[0]}
                        {step.optional ? <span className="muted"> (if needed)</span> : null}
                      </div>
                      {step.dangerous ? <div className="rb-danger" role="note">⚠ {step.dangerReason ?? 'destructive'}{step.warned ? '' : ' (not warned in the document)'}</div> : null}
                      {step.command !== undefined ? <pre className="rb-command-code" data-language={step.language ?? undefined}><code>{step.command}</code></pre> : null}
                      {step.expect ? <div className="muted rb-expect">Expect: {step.expect}</div> : null}
                      {step.placeholders.length ? <div className="muted rb-placeholders">Fill in: {step.placeholders.map((p) => <code key={p}>{p}</code>)}</div> : null}
                    </div>
                  </li>
                );
              })}
            </ol>
          </section>
        );
      })}
      {structure.unclassifiedMarkdown.length > 0 ? (
        <details className="rb-kept">
          <summary>Kept as Markdown ({structure.unclassifiedMarkdown.length})</summary>
          {structure.unclassifiedMarkdown.map((md, i) => <Markdown key={i} source={md} />)}
        </details>
      ) : null}
    </div>
  );
}
