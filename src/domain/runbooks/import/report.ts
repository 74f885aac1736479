import { lintRunbook } from '../lint-runbook.js';
import type { ParsedMarkdown } from '../parse-markdown.js';
import type { Ctx } from './context.js';
import type { ImportReport } from './types.js';

/** The import report: counts of what was recognised, what was kept as Markdown (with lines), warnings, lint. */

export function finishReport(ctx: Ctx, now: number): void {
  const r = ctx.report.recognised;
  const doc = ctx.document;
  for (const rb of ctx.runbooks) {
    r.runbooks++;
    r.phases += rb.phases.length;
    for (const step of rb.phases.flatMap((p) => p.steps)) {
      r.steps++;
      if (step.kind === 'command') r.commandSteps++;
      else if (step.kind === 'check') r.checkSteps++;
      else r.instructionSteps++;
      if (step.dangerous) r.dangerousSteps++;
      r.placeholders += step.placeholders.length;
    }
    r.matchers += rb.matchers.length;
    if (Object.keys(rb.targets).length > 0) r.runbooksWithTargets++;
    ctx.report.lint.push({ runbook: rb.slug, warnings: lintRunbook(rb, { now }) });
  }
  ctx.report.sections = [...doc.outline].sort((a, b) => a.line - b.line).map((o) => ({ line: o.line, level: o.level, title: o.title, classifiedAs: o.classifiedAs, ...(o.runbookSlug ? { runbookSlug: o.runbookSlug } : {}) }));
  r.severityLevels = doc.severityScheme?.levels.length ?? 0;
  r.escalationRules = doc.escalation?.rules.length ?? 0;
  r.escalationPaths = doc.escalation?.paths.length ?? 0;
  r.onCallRoles = doc.escalation?.roles.length ?? 0;
  r.incidentRoles = doc.incidentRoles?.length ?? 0;
  if (doc.escalation && r.escalationRules + r.escalationPaths + r.onCallRoles === 0) delete doc.escalation;
  r.templates = doc.templates.length;
  r.checklists = doc.checklists.length;
  r.alertReferences = doc.alertReferences.length;
  r.incidentTypes = doc.incidentTypes.length;
  if (ctx.runbooks.length === 0) {
    ctx.report.warnings.push({ code: 'no-runbooks', message: 'no section with steps (commands, numbered lists or checklists) was found' });
  }
}

export function newReport(parsed: ParsedMarkdown, sourceName: string, now: number): ImportReport {
  return {
    sourceName: sourceName,
    importedAt: new Date(now).toISOString(),
    lines: parsed.lines.length,
    recognised: {
      runbooks: 0, phases: 0, steps: 0, commandSteps: 0, checkSteps: 0, instructionSteps: 0, dangerousSteps: 0,
      placeholders: 0, matchers: 0, runbooksWithTargets: 0, severityLevels: 0, escalationRules: 0,
      escalationPaths: 0, onCallRoles: 0, templates: 0, checklists: 0, alertReferences: 0, incidentTypes: 0, incidentRoles: 0,
    },
    unclassified: [],
    sections: [],
    warnings: parsed.warnings.map((w) => ({ code: w.code, message: w.message, line: w.line })),
    lint: [],
  };
}
