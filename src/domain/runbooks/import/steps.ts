import type { Block, CodeBlock, ListItem } from '../parse-markdown.js';
import { plainText, sourceOf } from '../parse-markdown.js';
import { findPlaceholders } from '../placeholders.js';
import { destructiveReason, isQueryLanguage, isShellLanguage, listLikeLines, splitShellBlock, warningIn } from '../shell.js';
import { extractTargets } from '../targets.js';
import type { Ctx } from './context.js';
import { KEPT, unclassified } from './context.js';
import { inlineCommandOf, looksLikeShell } from './commands.js';
import { collectAlertReferences, collectEscalation } from './escalation.js';
import { labelledTargetsOnly, mergeTargets, proseTargets, tableTargets } from './targets.js';
import { addTemplate, checklistItemsOf } from './templates.js';
import type { PhaseKind, RunbookDraft, RunbookPhase, RunbookStep, StepKind } from './types.js';
import { isTemplateTitle, templateKindOf } from './vocabulary.js';

/** Steps inside a runbook phase: commands from fenced blocks and list items, checks, instructions. */

export interface StepCtx {
  group?: string;
  lead?: string;
  /** A document warning seen earlier in the same group ("⚠️ DANGER: …"). */
  warning?: string;
  /** The alternative path the steps belong to. */
  path?: { set: number; option: number };
}

export function makeStep(kind: StepKind, text: string, s: StepCtx, command?: string, language?: string): RunbookStep {
  const step: RunbookStep = { kind, text, dangerous: false, placeholders: [] };
  if (command !== undefined) step.command = command;
  if (language) step.language = language;
  const ownWarning = warningIn(text) ? plainText(text) : undefined;
  const reason = command !== undefined ? destructiveReason(command) : undefined;
  // The procedure's own warning ("⚠️ DANGER: …") says more than a step's comment or our guess.
  const warning = (reason || ownWarning) && s.warning ? s.warning : ownWarning;
  if (warning || reason) {
    step.dangerous = true;
    step.dangerReason = warning ?? reason!;
    if (warning) step.warned = true;
  }
  const placeholders = [
    ...findPlaceholders(text, 'text').map((p) => p.raw),
    ...(command !== undefined ? findPlaceholders(command, 'command').map((p) => p.raw) : []),
  ];
  step.placeholders = [...new Set(placeholders)];
  if (s.group) step.group = s.group;
  if (s.path) step.path = s.path;
  if (s.lead && s.lead !== text) step.lead = s.lead;
  if (/\bif (needed|necessary|applicable|required)\b|\(optional\)|^if\b|^or\b/i.test(s.lead ?? '') || /\bif (needed|necessary|applicable)\b|^if\b|^or\b/i.test(plainText(text))) {
    step.optional = true;
  }
  return step;
}

export function addBlockToPhase(
  ctx: Ctx,
  rb: RunbookDraft,
  phase: RunbookPhase,
  block: Block,
  s: StepCtx,
  where: string,
  siblings: Block[],
): void {
  const index = siblings.indexOf(block);
  const next = index >= 0 ? siblings[index + 1] : undefined;
  switch (block.type) {
    case 'paragraph': {
      if (ctx.consumed.has(block)) return;
      rb.targets = mergeTargets(mergeTargets(rb.targets, extractTargets(block.text)), proseTargets(block.text));
      if (warningIn(block.text)) s.warning = plainText(block.text).replace(/^⚠️?\s*/, '');
      const leadIn = block.text.trim().endsWith(':') && (next?.type === 'code' || next?.type === 'list');
      if (leadIn) {
        (s as StepCtx & { pendingLead?: string }).pendingLead = plainText(block.text).replace(/:$/, '');
        phase.notes.push(block.text);
        return;
      }
      phase.notes.push(block.text);
      return;
    }
    case 'blockquote':
      if (warningIn(block.text)) s.warning = plainText(block.text);
      phase.notes.push(block.text);
      return;
    case 'code': {
      const lead = takeLead(s);
      const steps = stepsFromCode(ctx, rb, block, { ...s, ...(lead ? { lead } : {}) }, phase, where);
      phase.steps.push(...steps);
      return;
    }
    case 'list': {
      const lead = takeLead(s);
      for (const item of block.items) phase.steps.push(...stepsFromItem(ctx, rb, item, { ...s, ...(lead ? { lead } : {}) }, phase, where));
      return;
    }
    case 'table': {
      if (collectAlertReferences(ctx, block)) return;
      const targets = tableTargets(block);
      if (targets) {
        rb.targets = mergeTargets(rb.targets, targets);
        phase.notes.push(sourceOf(ctx.parsed, block.line, block.endLine));
        return;
      }
      if (collectEscalation(ctx, block, phase.steps)) return;
      unclassified(ctx, block, where, rb.unclassifiedMarkdown, KEPT.table);
      return;
    }
    case 'rule':
    case 'heading':
      return;
  }
}

export function takeLead(s: StepCtx): string | undefined {
  const holder = s as StepCtx & { pendingLead?: string };
  const lead = holder.pendingLead;
  delete holder.pendingLead;
  return lead ?? s.lead;
}

export function stepsFromItem(ctx: Ctx, rb: RunbookDraft, item: ListItem, s: StepCtx, phase: RunbookPhase, where: string): RunbookStep[] {
  const text = item.text;
  const nestedSteps: RunbookStep[] = [];
  const inner: StepCtx = { ...s, lead: plainText(text) || s.lead || '' };
  if (inner.lead === '') delete inner.lead;
  for (const child of item.children) {
    if (child.type === 'code') nestedSteps.push(...stepsFromCode(ctx, rb, child, inner, phase, where));
    else if (child.type === 'list') for (const sub of child.items) nestedSteps.push(...stepsFromItem(ctx, rb, sub, inner, phase, where));
    else if (child.type === 'paragraph' || child.type === 'blockquote') {
      if (warningIn(child.text)) inner.warning = plainText(child.text);
      phase.notes.push(child.text);
    } else if (child.type === 'table') {
      if (!collectEscalation(ctx, child, nestedSteps)) unclassified(ctx, child, where, rb.unclassifiedMarkdown, KEPT.table);
    }
  }
  if (nestedSteps.length === 0) {
    // `- Command: \`kubectl rollout undo …\``: a command step, worded by the item or its parent.
    const inline = inlineCommandOf(text);
    if (inline) return [makeStep('command', inline.description || s.lead || inline.command, s, inline.command, 'bash')];
    // `- **Response Time**: 2 hours`: a target of the runbook, not a step.
    const targets = labelledTargetsOnly(text);
    if (targets) {
      rb.targets = mergeTargets(rb.targets, targets);
      phase.notes.push(text);
      return [];
    }
  }
  // A list item is something to do or to confirm: a check the responder ticks off.
  if (nestedSteps.length === 0) return text.trim() === '' ? [] : [makeStep('check', text, s)];
  // A single command under an item reads best with the item's words as its text.
  if (nestedSteps.length === 1 && nestedSteps[0]!.kind === 'command' && nestedSteps[0]!.lead === plainText(text)) {
    const only = nestedSteps[0]!;
    const comment = only.text;
    only.text = plainText(text).replace(/:$/, "");
    delete only.lead;
    if (comment !== text && comment !== only.command?.split('\n')[0]) only.lead = comment;
  }
  return nestedSteps;
}

export function stepsFromCode(ctx: Ctx, rb: RunbookDraft, block: CodeBlock, s: StepCtx, phase: RunbookPhase, where: string): RunbookStep[] {
  const boxes = checklistItemsOf(block);
  if (boxes) return boxes.map((b) => makeStep('check', b.text, s));
  const shellish = isShellLanguage(block.language) || (block.language === '' && looksLikeShell(block.text));
  if (isQueryLanguage(block.language)) {
    return [makeStep('command', s.lead ?? `Run ${block.language} query`, s, block.text, block.language)];
  }
  if (!shellish) {
    const title = s.lead ?? s.group ?? phase.title;
    if (block.language === 'markdown' || block.language === 'md' || block.language === 'text' || block.language === '' || isTemplateTitle(title)) {
      addTemplate(ctx, { kind: templateKindOf(title), title, markdown: block.text, line: block.line, runbookSlug: rb.slug });
      return [makeStep('instruction', `Use the "${title}" template`, s)];
    }
    unclassified(ctx, block, where, rb.unclassifiedMarkdown, KEPT.code);
    return [];
  }
  const language = block.language || 'bash';
  const steps: RunbookStep[] = [];
  const chunks = splitShellBlock(block.text);
  const comments = chunks.flatMap((c) => c.command.length === 0 ? [] : c.command);
  // "```bash" holding a list (`1. Page on-call manager`) is a list of checks, not commands.
  const asList = listLikeLines(comments);
  const local: StepCtx = { ...s };
  for (const chunk of chunks) {
    const description = chunk.comments.join('\n');
    if (warningIn(description) && chunk.command.length === 0) local.warning = plainText(description);
    if (asList && chunk.command.length > 0) {
      const items = listLikeLines(chunk.command)!;
      const lead = chunk.comments.join(' ') || s.lead;
      for (const item of items) steps.push(makeStep('check', item, { ...local, ...(lead ? { lead } : {}) }));
      continue;
    }
    if (chunk.command.length === 0) {
      steps.push(makeStep('instruction', description, local));
      continue;
    }
    const command = chunk.command.join('\n').trimEnd();
    const text = description || s.lead || chunk.command[0]!.trim();
    const stepCtx: StepCtx = { ...local };
    const step = makeStep('command', text, stepCtx, command, language);
    const expectLines = [...chunk.comments.slice(1).filter((l) => /\b(should|must) be\b|^expect/i.test(l)), ...chunk.trailing];
    if (expectLines.length > 0) step.expect = expectLines.join('\n');
    steps.push(step);
  }
  return steps;
}


/** A flat procedure without phase headings: group consecutive steps by what they do. */
export function inferPhases(loose: RunbookPhase): RunbookPhase[] {
  const phases: RunbookPhase[] = [];
  let mitigated = false;
  for (const step of loose.steps) {
    const words = plainText(step.lead ?? step.text).toLowerCase();
    let kind: PhaseKind;
    if (/^immediate|contain/.test(words)) kind = 'immediate';
    else if (/^(verify|confirm|monitor|watch|validate|test)/.test(words)) kind = mitigated ? 'verification' : 'investigation';
    else if (/^(check|identify|investigate|review|gather|find|inspect|examine|diagnose|assess|list|look)/.test(words)) kind = 'investigation';
    else if (/^(notify|page|post |inform|send|communicate)/.test(words)) kind = 'communication';
    else if (/^(document|conduct|schedule|write)/.test(words)) kind = 'post-incident';
    else if (/^(restore|recover|rollback|roll back|replay)/.test(words)) kind = 'recovery';
    else kind = 'mitigation';
    if (kind === 'mitigation' || kind === 'recovery' || kind === 'immediate') mitigated = true;
    const last = phases[phases.length - 1];
    if (last && last.kind === kind) last.steps.push(step);
    else phases.push({ kind, title: PHASE_TITLES[kind], steps: [step], notes: [] });
  }
  if (phases[0]) phases[0].notes.push(...loose.notes);
  return phases;
}

export const PHASE_TITLES: Record<PhaseKind, string> = {
  symptoms: 'Symptoms', detection: 'Detection', immediate: 'Immediate actions', investigation: 'Investigation',
  causes: 'Likely causes', escalation: 'Escalation', mitigation: 'Mitigation', recovery: 'Recovery',
  communication: 'Communication', verification: 'Verification', 'post-incident': 'Post-incident', procedure: 'Steps',
};
