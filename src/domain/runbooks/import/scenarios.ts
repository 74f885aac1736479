import { AppError } from '../../../core/errors.js';
import type { CodeBlock } from '../parse-markdown.js';
import { plainText, sourceOf } from '../parse-markdown.js';
import { normaliseSeverityId } from '../severity-scheme.js';
import { isShellLanguage, warningIn } from '../shell.js';
import { extractTargets, targetKeyOfLabel } from '../targets.js';
import type { Ctx } from './context.js';
import { KEPT, region, unclassified } from './context.js';
import type { Section } from './sections.js';
import { allBlocks, hasActionable, isEmptySection, ownEnd, subtreeActionable, trimBlank } from './sections.js';
import { severityInTitle } from './severities.js';
import type { StepCtx } from './steps.js';
import { addBlockToPhase, inferPhases } from './steps.js';
import { labelledTargetsOnly, mergeTargets, proseTargets, timeboxOf } from './targets.js';
import { addTemplate } from './templates.js';
import type { Block } from '../parse-markdown.js';
import type { EscalationRule, RunbookDraft, RunbookPhase } from './types.js';
import { alternativeSets } from './alternatives.js';
import { alertNamesIn, CONTAINER, isTemplateTitle, phaseKindOf, slugify, templateKindOf } from './vocabulary.js';

/** Scenario sections: which sections are runbooks, and each runbook's phases. */

/** More than this is not a runbook document but an attack or an accident. */
export const MAX_RUNBOOKS = 500;

export function handleScenarioCandidate(ctx: Ctx, section: Section, path: string[], inheritedSeverity: string | undefined): void {
  const severity = severityInTitle(section.title) ?? inheritedSeverity;
  const nonEmpty = section.children.filter((c) => !isEmptySection(c));
  // "Runbook: X", "Scenario 3: X" say what they are; a section whose sub-sections are mostly
  // phases ("Symptoms", "Recovery (5-30 min)") is one runbook, whatever its title says
  // ("Storage Issues" with phase sub-headings is not a container of four runbooks).
  const explicit = scenarioTitle(section.title).explicit;
  const phases = nonEmpty.filter((c) => phaseKindOf(c.title)).length;
  const phased = phases >= 2 && phases * 2 >= nonEmpty.length;
  if (explicit || phased) {
    addRunbook(ctx, section, path, severity);
    return;
  }
  if (!subtreeActionable(section) && !section.blocks.some((b) => b.type === 'paragraph' && phaseLabel(b.text))) {
    ctx.document.outline.push(region(ctx, section, 'unclassified', section.line, section.endLine));
    for (const block of allBlocks(section)) unclassified(ctx, block, 'document', ctx.document.unclassifiedMarkdown, KEPT.noSteps);
    return;
  }
  const isContainer =
    CONTAINER.test(plainText(section.title)) ||
    (nonEmpty.length > 0 && !hasActionable(section.blocks) && nonEmpty.every((c) => CONTAINER.test(plainText(c.title))));
  if (isContainer && section.children.length > 0) {
    ctx.document.outline.push(region(ctx, section, 'container', section.line, ownEnd(section)));
    for (const block of section.blocks) unclassified(ctx, block, 'document', ctx.document.unclassifiedMarkdown, KEPT.container);
    for (const child of section.children) {
      if (isEmptySection(child)) {
        ctx.document.outline.push(region(ctx, child, 'container', child.line, child.endLine));
        continue;
      }
      handleScenarioCandidate(ctx, child, [...path, plainText(section.title)], severity);
    }
    return;
  }
  addRunbook(ctx, section, path, severity);
}

/**
 * A scenario heading without its marker: "Runbook: Disk Full" → "Disk Full" (explicit),
 * "Scenario 3: Broker Loss" → "Broker Loss" (explicit), "2. Broker Loss" → "Broker Loss".
 */
export function scenarioTitle(heading: string): { title: string; explicit: boolean } {
  const text = plainText(heading);
  const m = /^(?:runbook|playbook|scenario|procedure|incident(?: type)?|case)\s*(?:#?\d{1,3}[a-z]?)?\s*[:.\-–—]\s*(?=\S)/i.exec(text);
  if (m) return { title: text.slice(m[0].length).trim(), explicit: true };
  return { title: text.replace(/^\d{1,3}[.)]\s+/, ''), explicit: false };
}

export function phaseLabel(text: string): { label: string; rest: string } | undefined {
  const m = /^\*\*([^*\n]{1,40})\*\*\s*:?\s*(.*)$/s.exec(text.trim());
  if (!m) return undefined;
  const label = m[1]!.replace(/:$/, '').trim();
  if (/^see( also)?$/i.test(label)) return { label, rest: m[2] ?? '' };
  if (targetKeyOfLabel(label)) return undefined;
  return phaseKindOf(label) ? { label, rest: m[2] ?? '' } : undefined;
}

export function uniqueSlug(ctx: Ctx, title: string): string {
  const base = slugify(title);
  const n = (ctx.slugs.get(base) ?? 0) + 1;
  ctx.slugs.set(base, n);
  return n === 1 ? base : `${base}-${n}`;
}

export function addRunbook(ctx: Ctx, section: Section, path: string[], severity: string | undefined): void {
  if (ctx.runbooks.length >= MAX_RUNBOOKS) {
    throw new AppError('VALIDATION', `markdown: more than ${MAX_RUNBOOKS} runbook sections in one document`, {
      issues: [{ field: 'markdown', message: `more than ${MAX_RUNBOOKS} runbook sections` }],
    });
  }
  const title = scenarioTitle(section.title).title || 'Untitled runbook';
  const rb: RunbookDraft = {
    slug: uniqueSlug(ctx, title),
    title,
    path,
    summary: '',
    phases: [],
    targets: {},
    matchers: [],
    related: [],
    unclassifiedMarkdown: [],
    sourceMarkdown: trimBlank(sourceOf(ctx.parsed, section.line, section.endLine)),
    line: section.line,
  };
  if (severity) rb.severity = severity;
  ctx.document.outline.push({ title, level: section.level, line: section.line, classifiedAs: 'runbook', runbookSlug: rb.slug });
  const summary: string[] = [];
  const where = `runbook ${rb.slug}`;

  // Own content before the first subsection: summary, targets, and label-delimited phases.
  const own = section.blocks;
  const labelled = own.some((b) => b.type === 'paragraph' && phaseLabel(b.text) && !/^see/i.test(phaseLabel(b.text)!.label));
  let current: RunbookPhase | undefined;
  const ownBlocks: Block[] = [];
  for (const block of own) {
    if (block.type === 'paragraph') {
      const label = phaseLabel(block.text);
      if (label && /^see/i.test(label.label)) {
        rb.related.push(label.rest.trim());
        continue;
      }
      if (label && labelled) {
        current = { kind: phaseKindOf(label.label)!, title: label.label, steps: [], notes: [] };
        rb.phases.push(current);
        if (label.rest.trim()) current.notes.push(label.rest.trim());
        continue;
      }
    }
    if (current) addBlockToPhase(ctx, rb, current, block, {}, where, own);
    else ownBlocks.push(block);
  }
  // Content before any phase: paragraphs are the summary; steps go to an inferred phase.
  const loose: RunbookPhase = { kind: 'procedure', title: 'Steps', steps: [], notes: [] };
  for (const block of ownBlocks) {
    if (block.type === 'paragraph' && !warningIn(block.text)) {
      rb.targets = mergeTargets(mergeTargets(rb.targets, extractTargets(block.text)), proseTargets(block.text));
      summary.push(block.text);
      continue;
    }
    addBlockToPhase(ctx, rb, loose, block, {}, where, ownBlocks);
  }

  const topPaths = pathsOf(rb, section, section.children);
  for (const child of section.children) {
    const childTitle = plainText(child.title);
    const sev = childTitle.length <= 200 ? /^severity\s*:\s*(.+)$/i.exec(childTitle) : null;
    if (sev && isEmptySection(child)) {
      rb.severity = normaliseSeverityId(sev[1]!) ?? rb.severity;
      continue;
    }
    // `### MTTR Target: 30 minutes`: a target written as a heading.
    const headingTargets = labelledTargetsOnly(childTitle);
    if (headingTargets && (isEmptySection(child) || !phaseKindOf(child.title))) {
      rb.targets = mergeTargets(rb.targets, headingTargets);
      if (isEmptySection(child)) continue;
    }
    if (isEmptySection(child)) {
      summary.push(childTitle);
      continue;
    }
    const kind = phaseKindOf(child.title);
    const phase: RunbookPhase = { kind: kind ?? 'procedure', title: childTitle.replace(/^\d{1,3}[.)]\s*/, ''), steps: [], notes: [] };
    const timebox = timeboxOf(child.title);
    if (timebox) phase.timebox = timebox;
    fillPhase(ctx, rb, phase, child, undefined, where, topPaths.get(child));
    if (!kind && !hasActionable(allBlocks(child))) {
      // Background ("Understanding Quorum"): context for the responder, not a phase.
      rb.unclassifiedMarkdown.push(trimBlank(sourceOf(ctx.parsed, child.line, child.endLine)));
      ctx.report.unclassified.push({ line: child.line, endLine: child.endLine, where, excerpt: childTitle, reason: KEPT.background });
      continue;
    }
    rb.phases.push(phase);
  }

  if (loose.steps.length > 0) rb.phases.unshift(...inferPhases(loose));
  else if (loose.notes.length > 0) summary.push(...loose.notes);
  rb.summary = plainText(summary[0] ?? '');
  if (summary.length > 1) rb.phases.length > 0 && rb.phases[0]!.notes.unshift(...summary.slice(1).filter((s) => s !== summary[0]));

  // Alert names mentioned in the runbook ("`GreyNodeDown` alert firing").
  const texts = rb.phases.flatMap((p) => [...p.notes, ...p.steps.map((s) => s.text)]);
  for (const name of alertNamesIn(texts.join('\n'))) addMatcher(rb, name);
  ctx.runbooks.push(rb);
}

export function addMatcher(rb: RunbookDraft, value: string): void {
  if (!rb.matchers.some((m) => m.name === 'alertname' && m.value === value)) rb.matchers.push({ name: 'alertname', op: '=', value });
}

/**
 * Registers the alternative paths among `children` on the runbook (see alternatives.ts) and
 * says which path each child section is.
 */
function pathsOf(rb: RunbookDraft, parent: Section, children: readonly Section[]): Map<Section, { set: number; option: number }> {
  const out = new Map<Section, { set: number; option: number }>();
  const candidates = children.map((c) => ({
    title: plainText(c.title),
    actionable: !isEmptySection(c) && hasActionable(allBlocks(c)),
    firstParagraph: plainText(c.blocks.find((b) => b.type === 'paragraph')?.text ?? ''),
  }));
  for (const found of alternativeSets(plainText(parent.title), candidates)) {
    const alternatives = (rb.alternatives ??= []);
    const set = alternatives.length;
    alternatives.push({ title: found.title, options: found.members.map((i) => candidates[i]!.title), line: parent.line });
    found.members.forEach((i, option) => out.set(children[i]!, { set, option }));
  }
  return out;
}

export function fillPhase(ctx: Ctx, rb: RunbookDraft, phase: RunbookPhase, section: Section, group: string | undefined, where: string, path?: { set: number; option: number }): void {
  const s: StepCtx = group ? { group } : {};
  if (path) s.path = path;
  for (const block of section.blocks) addBlockToPhase(ctx, rb, phase, block, s, where, section.blocks);
  // A nested choice inside a path keeps the outer path: progress counts the outer choice.
  const childPaths = path ? new Map<Section, { set: number; option: number }>() : pathsOf(rb, section, section.children);
  for (const child of section.children) {
    const title = plainText(child.title);
    if (isTemplateTitle(title) && child.blocks.some((b) => b.type === 'code' && !isShellLanguage(b.language))) {
      const code = child.blocks.find((b): b is CodeBlock => b.type === 'code')!;
      addTemplate(ctx, { kind: templateKindOf(title), title, markdown: code.text, line: child.line, runbookSlug: rb.slug });
      phase.notes.push(`Template: ${title}`);
      for (const b of child.blocks) if (b !== code) addBlockToPhase(ctx, rb, phase, b, { group: title, ...(path ? { path } : {}) }, where, child.blocks);
      continue;
    }
    const before = phase.steps.length;
    fillPhase(ctx, rb, phase, child, title, where, path ?? childPaths.get(child));
    // "#### SEV-1 Escalation": the steps are that severity's escalation rule too.
    const sev = /^(P[0-5]|SEV[-\s]?[0-5])\s+escalation/i.exec(title);
    if (sev && phase.steps.length > before) {
      const added = phase.steps.slice(before);
      const rule: EscalationRule = {
        condition: added[0]?.lead ?? title,
        actions: added.map((x) => x.text),
        severity: normaliseSeverityId(sev[1]!)!,
        line: child.line,
      };
      (ctx.document.escalation ??= { rules: [], paths: [], roles: [] }).rules.push(rule);
    }
  }
}
