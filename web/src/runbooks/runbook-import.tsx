import { useState } from 'react';
import { api } from '../api/client.js';
import { ErrorBanner } from '../components/error-banner.js';
import { ProcessPlan } from './process-plan.js';
import type { ImportOutcome } from './types.js';

/** One document to import: read from a chosen file or pasted. */
interface Source {
  sourceName: string;
  markdown: string;
}

/** What the server said about one document: the dry run's (or the import's) outcome, or its error. */
interface Checked {
  source: Source;
  outcome: ImportOutcome | null;
  error: unknown;
}

const COUNTS: [keyof ImportOutcome['report']['recognised'], string][] = [
  ['runbooks', 'runbooks'],
  ['phases', 'phases'],
  ['steps', 'steps'],
  ['commandSteps', 'commands'],
  ['checkSteps', 'checks'],
  ['dangerousSteps', 'danger marks'],
  ['placeholders', 'placeholders'],
  ['matchers', 'matchers'],
  ['runbooksWithTargets', 'with targets'],
  ['templates', 'templates'],
  ['checklists', 'checklists'],
];

/**
 * Admins import Markdown runbooks here: choose files or paste, check (a dry run that shows the
 * import report and what each runbook would become), then confirm. Each document is its own
 * request, so one bad file does not block the others; errors show the server's message.
 */
export function RunbookImport({ onImported }: { onImported: () => void }) {
  const [open, setOpen] = useState(false);
  const [sources, setSources] = useState<Source[]>([]);
  const [pasted, setPasted] = useState('');
  const [pastedName, setPastedName] = useState('pasted.md');
  const [checked, setChecked] = useState<Checked[] | null>(null);
  const [imported, setImported] = useState<Checked[] | null>(null);
  const [busy, setBusy] = useState<'check' | 'import' | null>(null);
  const [readError, setReadError] = useState<unknown>(null);

  const reset = () => {
    setChecked(null);
    setImported(null);
  };

  const all = (): Source[] => [...sources, ...(pasted.trim() ? [{ sourceName: pastedName.trim() || 'pasted.md', markdown: pasted }] : [])];

  const send = async (list: Source[], dryRun: boolean): Promise<Checked[]> => {
    const out: Checked[] = [];
    for (const source of list) {
      try {
        out.push({ source, outcome: await api.post('/api/v1/runbooks/import', { body: { ...source, dryRun } }), error: null });
      } catch (error) {
        out.push({ source, outcome: null, error });
      }
    }
    return out;
  };

  const check = async () => {
    setBusy('check');
    reset();
    try {
      setChecked(await send(all(), true));
    } finally {
      setBusy(null);
    }
  };

  const confirm = async () => {
    if (!checked) return;
    setBusy('import');
    try {
      const results = await send(checked.filter((c) => c.outcome).map((c) => c.source), false);
      setImported(results);
      setChecked(null);
      if (results.some((r) => r.outcome)) onImported();
    } finally {
      setBusy(null);
    }
  };

  if (!open) {
    return (
      <p>
        <button type="button" className="btn btn-small" onClick={() => setOpen(true)}>Import Markdown</button>
      </p>
    );
  }
  const importable = checked?.filter((c) => c.outcome && c.outcome.runbooks.some((r) => r.action === 'created' || r.action === 'updated')) ?? [];
  return (
    <section className="card rb-import" aria-labelledby="rb-import-h">
      <div className="card-head">
        <h2 id="rb-import-h">Import Markdown</h2>
        <button type="button" className="btn-icon" aria-label="Close import" onClick={() => setOpen(false)}>×</button>
      </div>
      <label className="field">
        <span>Markdown files</span>
        <input
          type="file"
          multiple
          accept=".md,.markdown,text/markdown,text/plain"
          onChange={(e) => {
            const files = [...(e.target.files ?? [])];
            reset();
            setReadError(null);
            Promise.all(files.map(async (f) => ({ sourceName: f.name, markdown: await f.text() }))).then(setSources, setReadError);
          }}
        />
      </label>
      <label className="field">
        <span>Or paste Markdown</span>
        <textarea rows={6} value={pasted} onChange={(e) => { setPasted(e.target.value); reset(); }} placeholder="# Runbook title…" />
      </label>
      {pasted.trim() ? (
        <label className="field">
          <span>Name of the pasted document</span>
          <input value={pastedName} onChange={(e) => setPastedName(e.target.value)} />
        </label>
      ) : null}
      <ErrorBanner error={readError} onDismiss={() => setReadError(null)} />
      <div className="rb-actions">
        <button type="button" className="btn btn-small" disabled={busy !== null || all().length === 0} onClick={() => void check()}>
          {busy === 'check' ? 'Checking…' : 'Check import'}
        </button>
        {checked ? (
          <button type="button" className="btn btn-primary btn-small" disabled={busy !== null || importable.length === 0} onClick={() => void confirm()}>
            {busy === 'import' ? 'Importing…' : `Confirm import (${importable.length} ${importable.length === 1 ? 'document' : 'documents'})`}
          </button>
        ) : null}
      </div>
      {checked?.map((c, i) => <Outcome key={`c${i}`} item={c} />)}
      {imported ? (
        <div className="rb-import-done" role="status">
          <h3>Imported</h3>
          {imported.map((c, i) => <Outcome key={`i${i}`} item={c} />)}
        </div>
      ) : null}
    </section>
  );
}

function Outcome({ item }: { item: Checked }) {
  const { source, outcome, error } = item;
  return (
    <div className="rb-import-report" data-source={source.sourceName}>
      <h4>{source.sourceName}{outcome?.dryRun ? <span className="muted"> · dry run, nothing written yet</span> : null}</h4>
      <ErrorBanner error={error} />
      {outcome ? <Report outcome={outcome} /> : null}
      {outcome?.dryRun ? <ProcessPlan sourceName={source.sourceName} markdown={source.markdown} /> : null}
    </div>
  );
}

function Report({ outcome }: { outcome: ImportOutcome }) {
  const { report, runbooks } = outcome;
  return (
    <>
      <ul className="rb-import-counts" aria-label="Recognised">
        {COUNTS.map(([key, label]) => (
          <li key={key} data-count={key}><strong>{report.recognised[key]}</strong> {label}</li>
        ))}
      </ul>
      {runbooks.length ? (
        <table className="rb-import-runbooks">
          <thead><tr><th>Runbook</th><th>Action</th><th>Version</th></tr></thead>
          <tbody>
            {runbooks.map((r) => (
              <tr key={r.slug} data-slug={r.slug}>
                <td>{r.title} <span className="muted">{r.slug}</span></td>
                <td className={r.action === 'managed-elsewhere' ? 'warn-text' : undefined}>{r.action}{r.message ? ` (${r.message})` : ''}</td>
                <td>v{r.version}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : <p className="warn-text">No runbook found in this document.</p>}
      {report.sections?.length ? (
        <details className="rb-import-sections">
          <summary>Sections recognised ({report.sections.length})</summary>
          <ul>
            {report.sections.map((sec, i) => (
              <li key={i}>line {sec.line}: {sec.title || '(preamble)'} → <strong>{sec.classifiedAs}</strong>{sec.runbookSlug ? <span className="muted"> {sec.runbookSlug}</span> : null}</li>
            ))}
          </ul>
        </details>
      ) : null}
      {report.unclassified.length ? (
        <details className="rb-import-unclassified">
          <summary>Kept as Markdown ({report.unclassified.length})</summary>
          <ul>
            {report.unclassified.map((u, i) => (
              <li key={i}>lines {u.line}–{u.endLine} → {u.where}: <code>{u.excerpt}</code>{u.reason ? <span className="muted"> — {u.reason}</span> : null}</li>
            ))}
          </ul>
        </details>
      ) : null}
      {report.warnings.length ? (
        <ul className="rb-import-warnings" aria-label="Warnings">
          {report.warnings.map((w, i) => (
            <li key={i} className="warn-text">{w.line ? `line ${w.line}: ` : ''}{w.message}</li>
          ))}
        </ul>
      ) : null}
      {report.lint.some((l) => l.warnings.length) ? (
        <details className="rb-import-lint">
          <summary>Lint ({report.lint.reduce((n, l) => n + l.warnings.length, 0)})</summary>
          <ul>
            {report.lint.flatMap((l) => l.warnings.map((w, i) => <li key={`${l.runbook}-${i}`}>{l.runbook}: {w.message}</li>))}
          </ul>
        </details>
      ) : null}
    </>
  );
}
