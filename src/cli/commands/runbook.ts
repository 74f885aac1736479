import { readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join, relative } from 'node:path';
import type { Command } from 'commander';
import { AppError, isAppError } from '../../core/errors.js';
import type { ApplyPlanResult, ImportOutcome, ProcessPlanView, RunbookDetailView, RunbookSummaryView } from '../../domain/runbooks/index.js';
import { importRunbookDocument, type LintWarning } from '../../domain/runbooks/index.js';
import { formatSeconds } from '../../domain/runbooks/targets.js';
import { addCommonOptions, connect, withExamples, type CommonOptions } from '../command-kit.js';
import { createOutput, indent, relativeTime, table, truncate, type Output } from '../output.js';

/** Markdown files named by the arguments: files as given, directories searched recursively. */
export function markdownFiles(paths: string[]): string[] {
  const out: string[] = [];
  const walk = (path: string, depth: number) => {
    const stat = statSync(path);
    if (stat.isDirectory()) {
      if (depth > 8) return;
      for (const entry of readdirSync(path).sort()) {
        if (entry.startsWith('.') || entry === 'node_modules') continue;
        const child = join(path, entry);
        if (statSync(child).isDirectory() || /\.(md|markdown)$/i.test(entry)) walk(child, depth + 1);
      }
    } else out.push(path);
  };
  for (const p of paths) {
    try {
      walk(p, 0);
    } catch {
      throw new AppError('VALIDATION', `path: ${p} does not exist or cannot be read`, { issues: [{ field: 'path', message: 'not found' }] });
    }
  }
  return out;
}

function renderImport(file: string, result: ImportOutcome, out: Output): string {
  const s = out.style;
  const r = result.report.recognised;
  const lines = [
    s.bold(`${file}${result.dryRun ? '  (dry run: nothing written)' : ''}`),
    `  recognised: ${r.runbooks} runbooks, ${r.phases} phases, ${r.steps} steps (${r.commandSteps} commands, ${r.checkSteps} checks, ${r.instructionSteps} instructions), ${r.dangerousSteps} dangerous, ${r.placeholders} placeholders, ${r.matchers} matchers, ${r.runbooksWithTargets} with targets`,
    `  document:   ${r.severityLevels} severity levels, ${r.escalationRules} escalation rules, ${r.escalationPaths} escalation paths, ${r.onCallRoles} on-call roles, ${r.incidentRoles ?? 0} incident roles, ${r.templates} templates, ${r.checklists} checklists, ${r.alertReferences} alert references`,
  ];
  if (result.runbooks.length) {
    const colour = (action: string) => (action === 'created' ? s.green(action) : action === 'updated' ? s.yellow(action) : action === 'unchanged' ? s.dim(action) : s.red(action));
    lines.push(indent(table(['RUNBOOK', 'ACTION', 'VERSION', 'TITLE'], result.runbooks.map((rb) => [rb.slug, colour(rb.action), `v${rb.version}`, truncate(rb.title, 60) + (rb.message ? s.dim(`  ${rb.message}`) : '')]), s)));
  }
  const sections = result.report.sections ?? [];
  if (sections.length) {
    lines.push('  sections:');
    for (const sec of sections.slice(0, 40)) {
      lines.push(`    line ${String(sec.line).padStart(4)}  ${sec.classifiedAs.padEnd(15)} ${truncate(sec.title || '(preamble)', 60)}${sec.runbookSlug && sec.classifiedAs === 'runbook' ? s.dim(` → ${sec.runbookSlug}`) : ''}`);
    }
    if (sections.length > 40) lines.push(s.dim(`    … ${sections.length - 40} more (--json for all)`));
  }
  if (result.report.unclassified.length) {
    lines.push(`  kept as Markdown: ${result.report.unclassified.length} regions`);
    for (const u of result.report.unclassified.slice(0, 20)) {
      lines.push(s.dim(`    line ${u.line}-${u.endLine} in ${u.where}: ${truncate(u.excerpt.replace(/\s+/g, ' '), 60)}`));
      if (u.reason) lines.push(s.dim(`      why: ${u.reason}`));
    }
    if (result.report.unclassified.length > 20) lines.push(s.dim(`    … ${result.report.unclassified.length - 20} more (--json for all)`));
  }
  for (const w of result.report.warnings) lines.push(s.yellow(`  warning${w.line ? ` (line ${w.line})` : ''}: ${w.message}`));
  const lintCount = result.report.lint.reduce((n, l) => n + l.warnings.length, 0);
  if (lintCount) lines.push(`  lint: ${lintCount} warnings (run \`firebreak runbook lint ${file}\`)`);
  return lines.join('\n');
}

const SIGN = { add: '+', change: '~', unchanged: '=', blocked: '!' } as const;

/** The process plan, terraform-style: `+` add, `~` change (field diffs), `=` unchanged, `!` blocked. */
export function renderPlan(file: string, plan: ProcessPlanView, out: Output): string {
  const s = out.style;
  const colour = { add: s.green, change: s.yellow, unchanged: s.dim, blocked: s.red } as const;
  const lines = [s.bold(`${file}: process plan`)];
  for (const e of plan.entries) {
    lines.push(colour[e.action](`  ${SIGN[e.action]} ${e.id}`) + s.dim(`  ${truncate(e.title, 60)}${e.line ? ` (line ${e.line})` : ''}`));
    if (e.reason) lines.push(s.red(`      ${e.reason}`));
    if (e.action === 'change' || e.action === 'blocked') for (const c of e.changes) lines.push(`      ${c.field}: ${truncate(c.from ?? '(none)', 50)} → ${truncate(c.to ?? '(removed)', 50)}`);
    if (e.action === 'add' && e.placeholders.length) lines.push(s.dim(`      pages: ${e.placeholders.join(', ')}`));
    for (const n of e.notes) lines.push(s.dim(`      note: ${n}`));
  }
  if (plan.placeholders.length) {
    lines.push('', `Placeholders (map each with --map "NAME=team:SLUG", user:EMAIL or schedule:NAME):`);
    for (const p of plan.placeholders) lines.push(`  ${p.name.padEnd(28)} ${p.mappedTo ? s.green(p.mappedTo) : s.yellow(`unmapped (likely a ${p.suggestedType})`)}`);
  }
  for (const n of plan.notes) lines.push(s.dim(`note: ${n}`));
  const m = plan.summary;
  lines.push('', `Plan: ${m.add} to add, ${m.change} to change, ${m.unchanged} unchanged, ${m.blocked} blocked.`);
  return lines.join('\n');
}

/** `--map "Team lead=team:platform"` (repeatable) → {"Team lead": "team:platform"}. */
export function parseMappings(values: string[]): Record<string, string> {
  const map: Record<string, string> = {};
  for (const value of values) {
    const at = value.lastIndexOf('=');
    if (at <= 0) throw new AppError('VALIDATION', `--map: '${value}' is not NAME=TARGET (e.g. "Team lead=team:platform")`, { issues: [{ field: 'map', message: 'write NAME=TARGET' }] });
    map[value.slice(0, at).trim()] = value.slice(at + 1).trim();
  }
  return map;
}

function renderLint(items: { source: string; runbook: string; warnings: LintWarning[] }[], out: Output): string {
  const s = out.style;
  const lines: string[] = [];
  for (const item of items) {
    lines.push(`${item.warnings.length ? s.yellow('!') : s.green('✓')} ${item.source === item.runbook ? item.runbook : `${item.source}: ${item.runbook}`}`);
    for (const w of item.warnings) lines.push(`    ${w.code}: ${w.message}`);
  }
  const total = items.reduce((n, i) => n + i.warnings.length, 0);
  lines.push(total ? `${total} warnings in ${items.filter((i) => i.warnings.length).length} of ${items.length} runbooks` : `${items.length} runbooks, no warnings`);
  return lines.join('\n');
}

function renderDetail(rb: RunbookDetailView, out: Output): string {
  const s = out.style;
  const shown = rb.shown;
  const t = shown.structure.targets;
  const targets = [['acknowledge', t.acknowledgeSeconds], ['mitigate', t.mitigateSeconds], ['resolve', t.resolveSeconds]].filter(([, v]) => v !== undefined).map(([k, v]) => `${k} ${formatSeconds(v as number)}`);
  const lines = [
    `${s.bold(rb.title)}  ${s.dim(`${rb.slug} v${shown.version}${shown.version !== rb.version ? ` (current v${rb.version})` : ''}`)}`,
    `  service ${rb.service ?? '-'}  severity ${rb.severity ?? '-'}  owner ${rb.owner ?? '-'}  reviewed ${rb.lastReviewed ?? 'never'}${rb.reviewOverdue ? s.red(' (review overdue)') : ''}`,
    `  targets: ${targets.join(', ') || 'none'}`,
    `  matchers: ${rb.matchers.map((m) => (m.kind === 'label' ? `${m.name}${m.op}${m.value}` : `${m.kind}=${m.value}`)).join(', ') || 'none'}`,
  ];
  let n = 0;
  let lastPath = '';
  const alternatives = shown.structure.alternatives ?? [];
  for (const phase of shown.structure.phases) {
    lines.push('', s.bold(`${phase.title}`) + s.dim(`  (${phase.kind})`));
    for (const step of phase.steps) {
      const key = step.path ? `${step.path.set}:${step.path.option}` : '';
      const alt = step.path ? alternatives[step.path.set] : undefined;
      if (key !== lastPath && step.path && alt) lines.push(s.yellow(`  ${alt.title}: path ${step.path.option + 1} of ${alt.options.length}, ${alt.options[step.path.option]}`));
      lastPath = key;
      const mark = step.dangerous ? s.red('⚠ ') : '';
      lines.push(`  ${String(n++).padStart(2)}. ${mark}${step.kind === 'command' ? s.cyan(step.command ?? '') : step.text}`);
      if (step.kind === 'command' && step.text && step.text !== step.command) lines.push(s.dim(`      ${truncate(step.text, 100)}`));
    }
  }
  lines.push('', s.bold('Versions'), indent(table(['VERSION', 'BY', 'WHEN'], rb.versions.map((v) => [`v${v.version}`, v.createdBy, relativeTime(v.createdAt, out.now)]), s)));
  if (rb.incidents.length) {
    lines.push('', s.bold('Used in'), indent(table(['#', 'TITLE', 'VERSION', 'STATUS'], rb.incidents.map((i) => [`#${i.number}`, truncate(i.title, 50) + (i.isDrill ? s.dim(' (drill)') : ''), `v${i.version}`, i.status]), s)));
  }
  if (rb.lint.length) lines.push('', s.bold('Lint'), ...rb.lint.map((w) => `  ${w.code}: ${w.message}`));
  return lines.join('\n');
}

export function registerRunbookCommands(program: Command): void {
  const runbook = program.command('runbook').alias('runbooks').description('Import, list, show and lint Markdown runbooks.');
  const cmd = (spec: string, description: string, examples: string[]) => withExamples(runbook.command(spec).description(description), examples);

  cmd('import <paths...>', 'Import Markdown files or directories; prints the import report. Unchanged runbooks get no new version.', [
    'firebreak runbook import runbooks/',
    'firebreak runbook import docs/incident-runbook.md --dry-run',
    'firebreak runbook import docs/incident-runbook.md --plan',
    'firebreak runbook import docs/incident-runbook.md --apply --map "Team lead=team:platform" --map "On-call=schedule:Primary"',
    'firebreak runbook import docs/incident-runbook.md --apply --only severities,checklist:incident-runbook-post-incident',
    'firebreak runbook import docs/incident-runbook.md --yaml > process.yaml',
  ])
    .option('--dry-run', 'parse and report, write nothing')
    .option('--plan', 'show the process the document describes (severities, escalation, checklists, templates) against the server, like terraform plan; writes nothing')
    .option('--apply', 'apply the process plan (one transaction, one audit entry); runbooks are not imported')
    .option('--only <ids>', 'with --apply or --yaml: only these plan entries (comma-separated or repeated), e.g. severities,checklist:db-post-incident', (v: string, prev: string[] = []) => [...prev, ...v.split(',').map((x) => x.trim()).filter(Boolean)])
    .option('--map <name=target>', 'map a placeholder to user:EMAIL, team:SLUG or schedule:NAME (repeatable)', (v: string, prev: string[] = []) => [...prev, v])
    .option('--yaml', 'print the process plan as a firebreak.yaml fragment')
    .action(async (paths: string[], opts: CommonOptions & { dryRun?: boolean; plan?: boolean; apply?: boolean; only?: string[]; map?: string[]; yaml?: boolean }) => {
      const { client, out } = connect(opts);
      if (opts.plan || opts.apply || opts.yaml) {
        const files = markdownFiles(paths);
        if (files.length !== 1) throw new AppError('VALIDATION', 'paths: --plan, --apply and --yaml take one document', { issues: [{ field: 'paths', message: 'give one file' }] });
        const file = files[0]!;
        const body = { markdown: readFileSync(file, 'utf8'), sourceName: basename(file), map: parseMappings(opts.map ?? []), ...(opts.only ? { select: opts.only } : {}) };
        if (opts.yaml) {
          const { yaml } = await client.post<{ yaml: string }>('/api/v1/runbooks/import/yaml', body);
          out.emit({ yaml }, () => yaml.trimEnd());
        } else if (opts.apply) {
          const result = await client.post<ApplyPlanResult>('/api/v1/runbooks/import/apply', body);
          out.emit(result, () => [
            result.changes.length ? out.style.bold(`Applied ${result.applied.length} objects:`) : 'Nothing to apply: the server already matches the plan.',
            ...result.changes.map((c) => `  ${c}`),
          ].join('\n'));
        } else {
          const plan = await client.post<ProcessPlanView>('/api/v1/runbooks/import/plan', body);
          out.emit(plan, () => renderPlan(file, plan, out));
        }
        return;
      }
      const results: { file: string; result?: ImportOutcome; error?: string }[] = [];
      let firstError: unknown;
      for (const file of markdownFiles(paths)) {
        try {
          const markdown = readFileSync(file, 'utf8');
          const result = await client.post<ImportOutcome>('/api/v1/runbooks/import', { markdown, sourceName: relative(process.cwd(), file) || basename(file), dryRun: opts.dryRun === true });
          results.push({ file, result });
        } catch (error) {
          if (!isAppError(error) || error.code === 'UNAUTHORIZED' || error.code === 'UNAVAILABLE') throw error;
          firstError ??= error;
          results.push({ file, error: error.message });
        }
      }
      out.emit(results, () => results.map((r) => (r.result ? renderImport(r.file, r.result, out) : `${out.style.bold(r.file)}\n  ${out.style.red(`error: ${r.error}`)}`)).join('\n\n'));
      if (firstError) throw firstError;
    });

  cmd('list', 'List runbooks in the library.', ['firebreak runbook list', 'firebreak runbook list --query latency --service api'])
    .option('--query <text>', 'search slug, title and summary')
    .option('--service <slug>', 'only runbooks for this service')
    .action(async (opts: CommonOptions & { query?: string; service?: string }) => {
      const { client, out } = connect(opts);
      const { items } = await client.get<{ items: RunbookSummaryView[] }>('/api/v1/runbooks', { q: opts.query, service: opts.service });
      out.emit({ items }, () =>
        items.length === 0 ? 'No runbooks.' : table(
          ['SLUG', 'TITLE', 'SERVICE', 'SEV', 'VERSION', 'REVIEWED'],
          items.map((r) => [r.slug, truncate(r.title, 50), r.service ?? '-', r.severity ?? '-', `v${r.version}`, (r.lastReviewed ?? 'never') + (r.reviewOverdue ? out.style.red(' overdue') : '')]),
          out.style,
        ));
    });

  cmd('show <slug>', 'Show a runbook: phases, steps, targets, matchers, versions and the incidents that used it.', [
    'firebreak runbook show consensus-reconfiguration',
    'firebreak runbook show api-latency --version 1 --json',
  ])
    .option('--version <n>', 'an older version')
    .action(async (slug: string, opts: CommonOptions & { version?: string }) => {
      const { client, out } = connect(opts);
      const rb = await client.get<RunbookDetailView>(`/api/v1/runbooks/${encodeURIComponent(slug)}`, { version: opts.version });
      out.emit(rb, () => renderDetail(rb, out));
    });

  cmd('lint [target]', 'Lint a Markdown file or directory (locally), a stored runbook by slug, or every stored runbook. --strict exits 1 on warnings.', [
    'firebreak runbook lint runbooks/ --strict',
    'firebreak runbook lint checkout-errors',
    'firebreak runbook lint',
  ])
    .option('--strict', 'exit 1 when there are warnings')
    .action(async (target: string | undefined, opts: CommonOptions & { strict?: boolean }) => {
      const out = createOutput(opts);
      let items: { source: string; runbook: string; warnings: LintWarning[] }[] = [];
      const isPath = target !== undefined && (() => { try { statSync(target); return true; } catch { return false; } })();
      if (isPath) {
        for (const file of markdownFiles([target!])) {
          const { report } = importRunbookDocument(readFileSync(file, 'utf8'), { sourceName: file, now: Date.now() });
          items.push(...report.lint.map((l) => ({ source: file, runbook: l.runbook, warnings: l.warnings })));
        }
      } else {
        const { client } = connect(opts);
        const slugs = target ? [target] : (await client.get<{ items: RunbookSummaryView[] }>('/api/v1/runbooks')).items.map((r) => r.slug);
        for (const slug of slugs) {
          const res = await client.post<{ items: { runbook: string; warnings: LintWarning[] }[] }>('/api/v1/runbooks/lint', { runbook: slug });
          items = items.concat(res.items.map((i) => ({ source: i.runbook, ...i })));
        }
      }
      out.emit({ items }, () => renderLint(items, out));
      if (opts.strict && items.some((i) => i.warnings.length > 0)) process.exitCode = 1;
    });

  addCommonOptions(runbook);
}
