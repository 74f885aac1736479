import type { Block, TableBlock } from '../parse-markdown.js';
import { plainText } from '../parse-markdown.js';
import type { Ctx } from './context.js';
import { unclassified } from './context.js';
import type { Section } from './sections.js';
import { descendants } from './sections.js';
import { makeStep } from './steps.js';
import { addMatcher } from './scenarios.js';
import type { EscalationPolicy, RunbookDraft, RunbookStep } from './types.js';

/** Escalation: condition/action tables, role tables, arrow paths, L1/L2/L3 lists; alert references. */

export function headerIndex(table: TableBlock, re: RegExp): number {
  return table.header.findIndex((h) => re.test(plainText(h)));
}

/** Escalation tables and arrow paths; returns whether the block was used. */
export function collectEscalation(ctx: Ctx, block: Block, steps?: RunbookStep[]): boolean {
  const escalation = (ctx.document.escalation ??= { rules: [], paths: [], roles: [] });
  if (block.type === 'table') {
    const cond = headerIndex(block, /condition|trigger|when|situation/i);
    const action = headerIndex(block, /action|escalat|who|notify|page/i);
    if (cond >= 0 && action >= 0 && cond !== action) {
      for (const row of block.rows) {
        const condition = plainText(row[cond] ?? '');
        const act = plainText(row[action] ?? '');
        if (!condition) continue;
        escalation.rules.push({ condition, actions: [act], line: block.line });
        steps?.push(makeStep('check', `If ${condition}: ${act}`, {}));
      }
      return true;
    }
    const role = headerIndex(block, /role/i);
    const primary = headerIndex(block, /primary/i);
    if (role >= 0 && primary >= 0) {
      const secondary = headerIndex(block, /secondary|backup/i);
      const contact = headerIndex(block, /phone|contact|email|pager/i);
      for (const row of block.rows) {
        const r: EscalationPolicy['roles'][number] = { role: plainText(row[role] ?? '') };
        if (row[primary]) r.primary = plainText(row[primary]!);
        if (secondary >= 0 && row[secondary]) r.secondary = plainText(row[secondary]!);
        if (contact >= 0 && row[contact]) r.contact = plainText(row[contact]!);
        escalation.roles.push(r);
      }
      return true;
    }
    return false;
  }
  if (block.type === 'list' && block.items.some((i) => /→|->/.test(i.text))) {
    for (const item of block.items) {
      const stages = plainText(item.text).split(/→|->/).map((s) => s.trim()).filter(Boolean);
      if (stages.length > 1) escalation.paths.push({ stages, line: item.line });
    }
    return true;
  }
  return false;
}

export function collectAlertReferences(ctx: Ctx, table: TableBlock): boolean {
  const alert = headerIndex(table, /^alert/i);
  const target = headerIndex(table, /section|runbook|see|procedure|link/i);
  if (alert < 0 || target < 0) return false;
  for (const row of table.rows) {
    const name = plainText(row[alert] ?? '');
    if (name) ctx.document.alertReferences.push({ alert: name, section: plainText(row[target] ?? '') });
  }
  return true;
}

export function words(text: string): Set<string> {
  return new Set(plainText(text).toLowerCase().split(/[^a-z0-9]+/).filter((w) => w.length > 2 && !['the', 'and', 'for', 'with'].includes(w)));
}

export function resolveAlertReferences(ctx: Ctx): void {
  for (const ref of ctx.document.alertReferences) {
    const want = words(ref.section);
    let best: RunbookDraft | undefined;
    let bestScore = 0;
    for (const rb of ctx.runbooks) {
      const have = words([...rb.path, rb.title].join(' '));
      let score = 0;
      for (const w of want) if (have.has(w)) score++;
      // Prefer the runbook whose own title matches: the more specific section.
      for (const w of words(rb.title)) if (want.has(w)) score += 0.5;
      if (score > bestScore) {
        bestScore = score;
        best = rb;
      }
    }
    if (best) {
      ref.runbookSlug = best.slug;
      addMatcher(best, ref.alert);
    } else {
      ctx.report.warnings.push({ code: 'alert-reference-unresolved', message: `alert ${ref.alert} refers to "${ref.section}", which matches no runbook` });
    }
  }
}

/** An "Escalation" section: tables, arrow paths and level lists. */
export function readEscalationSection(ctx: Ctx, section: Section): void {
  const doc = ctx.document;
  const sections = [section, ...descendants(section)];
  for (const s of sections) {
    for (const block of s.blocks) {
      if (!collectEscalation(ctx, block)) unclassified(ctx, block, 'document', doc.unclassifiedMarkdown);
    }
  }
  return;
}

/** An appendix: alert-reference tables and escalation tables; the rest stays Markdown. */
export function readReferenceSection(ctx: Ctx, section: Section): void {
  const doc = ctx.document;
  const sections = [section, ...descendants(section)];
  for (const s of sections) {
    for (const block of s.blocks) {
      if (block.type === 'table' && collectAlertReferences(ctx, block)) continue;
      if (collectEscalation(ctx, block)) continue;
      unclassified(ctx, block, 'document', doc.unclassifiedMarkdown);
    }
  }
  return;
}
