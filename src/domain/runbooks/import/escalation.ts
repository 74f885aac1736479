import type { Block, TableBlock } from '../parse-markdown.js';
import { plainText } from '../parse-markdown.js';
import type { Ctx } from './context.js';
import { KEPT, unclassified } from './context.js';
import type { Section } from './sections.js';
import { descendants } from './sections.js';
import { makeStep } from './steps.js';
import { addMatcher } from './scenarios.js';
import { parseDuration } from '../targets.js';
import type { EscalationLevel, EscalationPath, EscalationPolicy, RunbookDraft, RunbookStep } from './types.js';

/** Escalation: condition/action tables, role tables, arrow paths, L1/L2/L3 lists; alert references. */

export function headerIndex(table: TableBlock, re: RegExp): number {
  return table.header.findIndex((h) => re.test(plainText(h)));
}

/** Escalation tables and arrow paths; returns whether the block was used. */
export function collectEscalation(ctx: Ctx, block: Block, steps?: RunbookStep[]): boolean {
  const escalation = (ctx.document.escalation ??= { rules: [], paths: [], roles: [] });
  if (block.type === 'table') {
    const cond = headerIndex(block, /condition|trigger|when|situation/i);
    const action = headerIndex(block, /action|escalat|who|notify|page|respon/i);
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
    const levelPath = levelTable(block);
    if (levelPath) {
      escalation.paths.push(levelPath);
      return true;
    }
    return false;
  }
  if (block.type === 'list') {
    const levels = block.items.map((i) => escalationLevelOf(i.text));
    if (levels.length >= 2 && levels.every(Boolean)) {
      escalation.paths.push({ stages: levels.map((l) => l!.who), line: block.line, levels: levels as EscalationLevel[] });
      return true;
    }
  }
  // "On-call → Team lead → CTO" written as a paragraph line rather than a list item.
  if (block.type === 'paragraph' && block.text.split('\n').some((l) => plainText(l).split(/→|->/).filter((x) => x.trim()).length > 1)) {
    block.text.split('\n').forEach((line, i) => {
      const stages = plainText(line).split(/→|->/).map((x) => x.trim()).filter(Boolean);
      if (stages.length > 1) escalation.paths.push(arrowPath(stages, block.line + i));
    });
    return true;
  }
  if (block.type === 'list' && block.items.some((i) => /→|->/.test(i.text))) {
    for (const item of block.items) {
      const stages = plainText(item.text).split(/→|->/).map((s) => s.trim()).filter(Boolean);
      if (stages.length > 1) escalation.paths.push(arrowPath(stages, item.line));
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
      if (!collectEscalation(ctx, block)) unclassified(ctx, block, 'document', doc.unclassifiedMarkdown, KEPT.notEscalation);
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
      unclassified(ctx, block, 'document', doc.unclassifiedMarkdown, KEPT.notReference);
    }
  }
  return;
}

const LEVEL_LEAD = /^\s*(?:\*\*|__)?\s*((?:L|T|level\s*|tier\s*|stage\s*|step\s*)\d{1,2})\s*(?:\*\*|__)?\s*(?:[:\-–—).]\s*|\s+)(?=\S)/i;

/** Cut "who" from the rest: "search team lead, if not acknowledged within 10 minutes" → "search team lead". */
function whoOf(text: string): string {
  const cut = /\s*(?:[,(;]|\s(?:if|when|after|within|once|unless)\s|\s[-–—]\s)/i.exec(text);
  return (cut ? text.slice(0, cut.index) : text).trim();
}

/**
 * One level of an escalation ladder, as written in a list item or table row: its label (L1,
 * Tier 2, Level 3), who is paged, after how long, and on what condition.
 */
export function escalationLevelOf(itemText: string, explicitTime?: string): EscalationLevel | undefined {
  const m = LEVEL_LEAD.exec(itemText);
  if (!m) return undefined;
  const rest = plainText(itemText.slice(m[0].length));
  const who = whoOf(rest);
  if (who === '') return undefined;
  const level: EscalationLevel = { level: m[1]!.replace(/\s+/g, ' ').toUpperCase().replace(/^LEVEL |^TIER |^STAGE |^STEP /, (w) => w[0]!), who };
  const timing = explicitTime ?? rest;
  const range = /\bimmediate(?:ly)?\b|\bat once\b/i.test(timing) && !/\d/.test(timing) ? { maxSeconds: 0 } : parseDuration(timing);
  const seconds = range?.maxSeconds ?? range?.minSeconds;
  if (seconds !== undefined) level.afterSeconds = seconds;
  if (/\bnot\s+(?:yet\s+)?(?:resolved|fixed|mitigated)|\bunresolved\b|\bstill\s+(?:down|open|ongoing)/i.test(rest)) level.condition = 'unresolved';
  else if (/\bnot\s+(?:yet\s+)?(?:ack|acknowledged|answered|responded)|\bunacknowledged\b|\bno\s+(?:ack|response|answer)/i.test(rest)) level.condition = 'unacknowledged';
  const only = /\b([\w-]+(?:\s[\w-]+)?)\s+only\b/i.exec(rest);
  if (only) level.note = `${only[1]} only`;
  return level;
}

/** `| Level | Who | After |`: a ladder written as a table (first column L1/Tier 2/Level 3). */
function levelTable(table: TableBlock): EscalationPath | undefined {
  const who = headerIndex(table, /who|contact|notify|escalate to|person|team|role|owner|page/i);
  if (who <= 0) return undefined;
  const time = headerIndex(table, /after|time|wait|within|delay|when/i);
  const levels: EscalationLevel[] = [];
  for (const row of table.rows) {
    const level = escalationLevelOf(`${plainText(row[0] ?? '')} ${plainText(row[who] ?? '')}`, time >= 0 ? plainText(row[time] ?? '') : undefined);
    if (!level) return undefined;
    levels.push(level);
  }
  return levels.length >= 2 ? { stages: levels.map((l) => l.who), line: table.line, levels } : undefined;
}

/** Whether collectEscalation would use the block (without recording anything). */
export function isEscalationBlock(block: Block): boolean {
  if (block.type === 'table') {
    const cond = headerIndex(block, /condition|trigger|when|situation/i);
    const action = headerIndex(block, /action|escalat|who|notify|page|respon/i);
    if (cond >= 0 && action >= 0 && cond !== action) return true;
    if (headerIndex(block, /role/i) >= 0 && headerIndex(block, /primary/i) >= 0) return true;
    return levelTable(block) !== undefined;
  }
  if (block.type !== 'list') return false;
  if (block.items.length >= 2 && block.items.every((i) => escalationLevelOf(i.text))) return true;
  return block.items.some((i) => /→|->/.test(i.text) && plainText(i.text).split(/→|->/).filter((x) => x.trim()).length > 1);
}

/** "On-call (5 min) → Team lead (15 min) → CTO (P1 only)": stages, and levels when times are given. */
export function arrowPath(stages: string[], line: number): EscalationPath {
  const path: EscalationPath = { stages, line };
  if (!stages.some((st) => /\d/.test(st) || /\bonly\b/i.test(st))) return path;
  path.levels = stages.map((stage, i) => escalationLevelOf(`L${i + 1} ${stage}`) ?? { level: `L${i + 1}`, who: stage });
  return path;
}
