import { AppError } from '../../core/errors.js';
import { re2SyntaxError } from '../../core/re2.js';
import type { Block, CodeBlock, ListBlock, ListItem, ParsedMarkdown, TableBlock } from './parse-markdown.js';
import { checkboxOf, parseMarkdown, plainText, sourceOf } from './parse-markdown.js';
import { findPlaceholders } from './placeholders.js';
import type { SeverityScheme } from './severity-scheme.js';
import { normaliseSeverityId, severitySchemeFromSections, severitySchemeFromTable } from './severity-scheme.js';
import { destructiveReason, isQueryLanguage, isShellLanguage, listLikeLines, splitShellBlock, warningIn } from './shell.js';
import type { RunbookTargets } from './targets.js';
import { extractTargets, parseDuration, parseReviewIntervalDays, targetKeyOfLabel, targetSeconds } from './targets.js';
import type { LintWarning } from './lint-runbook.js';
import { lintRunbook } from './lint-runbook.js';

/**
 * Import a Markdown incident-response document as it is written. Each scenario section becomes
 * a runbook of ordered phases and steps; severity schemes, escalation rules, checklists and
 * templates become document-level structures; whatever is not recognised stays as Markdown.
 * Nothing is dropped: every runbook keeps its source, every other region is kept in the
 * document outline, and the report lists what was and was not recognised.
 */

export type PhaseKind =
  | 'symptoms' | 'detection' | 'immediate' | 'investigation' | 'causes' | 'escalation' | 'mitigation'
  | 'recovery' | 'communication' | 'verification' | 'post-incident' | 'procedure';

export type StepKind = 'command' | 'check' | 'instruction';

export interface RunbookStep {
  kind: StepKind;
  /** What the responder reads: the command's comment, the list item, the instruction. */
  text: string;
  command?: string;
  language?: string;
  dangerous: boolean;
  /** The document's own warning, else the heuristic reason. */
  dangerReason?: string;
  /** True when the document itself warns (lint flags dangerous steps without a warning). */
  warned?: boolean;
  placeholders: string[];
  /** Sub-heading inside the phase, e.g. "Single Node Failure (Worker)" — often alternatives. */
  group?: string;
  /** List item or lead-in the step belongs to, e.g. "Initial assessment". */
  lead?: string;
  /** What the output should look like ("Should be <0.1%"). */
  expect?: string;
  /** The document makes it conditional ("if needed", "If …"). */
  optional?: boolean;
}

export interface RunbookPhase {
  kind: PhaseKind;
  title: string;
  /** Time box from the heading, e.g. "(0-15 minutes)". */
  timebox?: { minSeconds?: number; maxSeconds?: number };
  steps: RunbookStep[];
  /** Paragraphs and context kept as Markdown (e.g. "**Impact**: …"). */
  notes: string[];
}

export interface AlertMatcher {
  name: string;
  op: '=' | '!=' | '=~' | '!~';
  value: string;
}

export interface RunbookDraft {
  slug: string;
  title: string;
  /** Ancestor headings below the document title, e.g. ["Performance Issues"]. */
  path: string[];
  summary: string;
  phases: RunbookPhase[];
  targets: RunbookTargets;
  matchers: AlertMatcher[];
  severity?: string;
  service?: string;
  owner?: string;
  reviewIntervalDays?: number;
  /** ISO date of the last review, when the document says. */
  reviewedAt?: string;
  /** Links to related runbooks ("**See**: [..](..)"). */
  related: string[];
  unclassifiedMarkdown: string[];
  /** The runbook's section verbatim. */
  sourceMarkdown: string;
  line: number;
}

export type TemplateKind = 'communication' | 'status-update' | 'postmortem' | 'handoff' | 'timeline';

export interface DocumentTemplate {
  kind: TemplateKind;
  title: string;
  markdown: string;
  placeholders: string[];
  line: number;
  runbookSlug?: string;
}

export interface ChecklistItem {
  text: string;
  checked: boolean;
  group?: string;
}

export interface Checklist {
  title: string;
  timebox?: { minSeconds?: number; maxSeconds?: number };
  items: ChecklistItem[];
  line: number;
}

export interface EscalationRule {
  condition: string;
  actions: string[];
  severity?: string;
  line: number;
}

export interface EscalationPolicy {
  rules: EscalationRule[];
  paths: { stages: string[]; line: number }[];
  roles: { role: string; primary?: string; secondary?: string; contact?: string }[];
}

export type SectionClass =
  | 'runbook' | 'container' | 'title' | 'preamble' | 'navigation' | 'overview' | 'severity-scheme' | 'templates'
  | 'escalation' | 'checklists' | 'reference' | 'unclassified';

export interface OutlineEntry {
  title: string;
  level: number;
  line: number;
  classifiedAs: SectionClass;
  runbookSlug?: string;
  /** The region's Markdown, for everything that is not a runbook (runbooks keep their own). */
  markdown?: string;
}

export interface ImportedDocument {
  title: string;
  sourceName: string;
  summary?: string;
  frontMatter?: Record<string, unknown>;
  severityScheme?: SeverityScheme;
  escalation?: EscalationPolicy;
  templates: DocumentTemplate[];
  checklists: Checklist[];
  incidentTypes: { name: string; description: string }[];
  alertReferences: { alert: string; section: string; runbookSlug?: string }[];
  owner?: string;
  reviewIntervalDays?: number;
  reviewedAt?: string;
  outline: OutlineEntry[];
  unclassifiedMarkdown: string[];
}

export interface ImportReport {
  sourceName: string;
  importedAt: string;
  lines: number;
  recognised: {
    runbooks: number; phases: number; steps: number; commandSteps: number; checkSteps: number;
    instructionSteps: number; dangerousSteps: number; placeholders: number; matchers: number;
    runbooksWithTargets: number; severityLevels: number; escalationRules: number; escalationPaths: number;
    onCallRoles: number; templates: number; checklists: number; alertReferences: number; incidentTypes: number;
  };
  unclassified: { line: number; endLine: number; where: string; excerpt: string }[];
  warnings: { code: string; message: string; line?: number }[];
  lint: { runbook: string; warnings: LintWarning[] }[];
}

export interface ImportResult {
  document: ImportedDocument;
  runbooks: RunbookDraft[];
  report: ImportReport;
}

export interface ImportOptions {
  sourceName: string;
  /** Milliseconds since the epoch (from a Clock). */
  now: number;
}

/** More than this is not a runbook document but an attack or an accident. */
const MAX_RUNBOOKS = 500;

// ---------------------------------------------------------------------------------------------
// Section tree.

interface Section {
  title: string;
  level: number;
  line: number;
  endLine: number;
  blocks: Block[];
  children: Section[];
}

function buildSections(parsed: ParsedMarkdown): Section {
  const firstLine = parsed.frontMatter ? parsed.frontMatter.endLine + 1 : 1;
  const root: Section = { title: '', level: 0, line: firstLine, endLine: parsed.lines.length, blocks: [], children: [] };
  const stack: Section[] = [root];
  for (const block of parsed.blocks) {
    if (block.type === 'heading') {
      while (stack.length > 1 && stack[stack.length - 1]!.level >= block.level) {
        stack.pop()!.endLine = block.line - 1;
      }
      const section: Section = { title: block.text, level: block.level, line: block.line, endLine: parsed.lines.length, blocks: [], children: [] };
      stack[stack.length - 1]!.children.push(section);
      stack.push(section);
    } else stack[stack.length - 1]!.blocks.push(block);
  }
  return root;
}

/** End of a section's own region (before its first child heading). */
function ownEnd(section: Section): number {
  return section.children.length > 0 ? section.children[0]!.line - 1 : section.endLine;
}

function trimBlank(text: string): string {
  const start = text.replace(/^\s*\n/, '');
  // Cut at the first newline of the trailing whitespace (the regex /\n\s*$/ retried from every
  // newline of a long blank run: quadratic).
  const newline = start.indexOf('\n', start.trimEnd().length);
  return newline < 0 ? start : start.slice(0, newline);
}

/** `text` without its `(…)` groups: each from a `(` to the next `)` (a scan; /\([^)]*\)/g was quadratic on `((((`). */
function withoutParenthesised(text: string): string {
  let out = '';
  let from = 0;
  for (;;) {
    const open = text.indexOf('(', from);
    if (open < 0) break;
    const close = text.indexOf(')', open + 1);
    if (close < 0) break;
    out += text.slice(from, open);
    from = close + 1;
  }
  return out + text.slice(from);
}

/** The first `(…)` group of 1–60 characters, without its parentheses. */
function firstShortParenthesised(text: string): string | undefined {
  let close = -1;
  for (let open = text.indexOf('('); open >= 0; open = text.indexOf('(', open + 1)) {
    // Every `(` before the same `)` shares it: look for the next `)` only once it is passed.
    if (close <= open) close = text.indexOf(')', open + 1);
    if (close < 0) return undefined;
    const length = close - open - 1;
    if (length >= 1 && length <= 60) return text.slice(open + 1, close);
  }
  return undefined;
}

/** `text` without a trailing `(…)` group and the space before it (`Triage (first 5 minutes)` → `Triage`). */
function withoutTrailingParenthesised(text: string): string {
  const trimmed = text.trimEnd();
  if (!trimmed.endsWith(')')) return text;
  const previousClose = trimmed.lastIndexOf(')', trimmed.length - 2);
  const open = trimmed.indexOf('(', previousClose + 1);
  if (open < 0 || open >= trimmed.length - 1) return text;
  return trimmed.slice(0, open).trimEnd();
}

// ---------------------------------------------------------------------------------------------
// Classification vocabulary.

const PHASE_RULES: [RegExp, PhaseKind][] = [
  [/post[- ]?(incident|mortem)|follow[- ]?up|lessons|retro/i, 'post-incident'],
  [/verif|validat|confirm|smoke|resolution|^resolve/i, 'verification'],
  [/symptom|signs|indicator/i, 'symptoms'],
  [/immediate|initial (response|actions?)|first response|acknowledg/i, 'immediate'],
  [/escalat/i, 'escalation'],
  [/mitigat|contain|workaround|quick (fix|wins?)|remediat|route around/i, 'mitigation'],
  [/recover|restor|rollback|roll back|failover|reconfigur|repair/i, 'recovery'],
  [/investigat|triage|diagnos|assess|gather|queries|analysis/i, 'investigation'],
  [/likely causes?|possible causes?|root causes?|^causes?$/i, 'causes'],
  [/detect|^alerts?$|monitoring/i, 'detection'],
  [/communicat|notify|notification|stakeholder|status page/i, 'communication'],
];

/** Phase kind of a short heading; sentences ("For planned chaos experiments…") are not phases. */
export function phaseKindOf(title: string): PhaseKind | undefined {
  const core = withoutParenthesised(plainText(title)).replace(/^\s*\d{1,3}[.)]\s*/, '').trim();
  if (core.split(/\s+/).length > 5 || /scenario/i.test(core)) return undefined;
  for (const [re, kind] of PHASE_RULES) if (re.test(core)) return kind;
  return undefined;
}

const CONTAINER = /\b(issues|incidents|scenarios|problems|playbooks|runbooks)\b|^common\b/i;

function docClassOf(title: string): SectionClass | undefined {
  const t = plainText(title).toLowerCase().replace(/^\d{1,3}[.)]\s*/, '');
  if (/^(table of )?contents$|^toc$/.test(t)) return 'navigation';
  if (/^(overview|introduction|about|purpose|scope|summary)\b/.test(t)) return 'overview';
  if (/^(incident )?(severity( levels?| scheme| matrix| definitions)?|severities|classification|priority( levels)?|priorities)$/.test(t)) {
    return 'severity-scheme';
  }
  if (/templates?$|^(on-call )?hand-?off|^communication templates/.test(t)) return 'templates';
  if (/^(emergency )?contacts|^escalation( path| paths| policy| matrix)?$|^on-call( rotation)?$/.test(t)) return 'escalation';
  if (/checklist|framework/.test(t)) return 'checklists';
  if (/^post[- ]incident|^post[- ]mortem|^follow[- ]up/.test(t)) return 'checklists';
  if (/appendix|reference|^related/.test(t)) return 'reference';
  return undefined;
}

function templateKindOf(title: string): TemplateKind {
  const t = title.toLowerCase();
  if (/post[- ]?mortem|retro/.test(t)) return 'postmortem';
  if (/hand-?off|handover/.test(t)) return 'handoff';
  if (/timeline/.test(t)) return 'timeline';
  if (/status (page )?update|status updates|update$/.test(t)) return 'status-update';
  return 'communication';
}

function isTemplateTitle(title: string): boolean {
  return /template|status page update|hand-?off|timeline/i.test(title);
}

function slugify(text: string): string {
  const slug = plainText(text)
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 80)
    .replace(/-+$/, '');
  return slug || 'runbook';
}

// A CamelCase name (`HighLatency alert`). Written `(?:[A-Z][A-Za-z0-9]*){1,8}` it matched the same
// names but backtracked to the 8th power on a long run of capitals (40 took seconds).
const ALERT_IN_TEXT = /`?\b([A-Z][a-z0-9]+[A-Z][A-Za-z0-9]*)\b`?\s+alert\b/g;
const ALERTNAME_EQ = /\balertname\s*=~?\s*"?([A-Za-z_][A-Za-z0-9_:]{0,100})"?/g;

function alertNamesIn(text: string): string[] {
  const names: string[] = [];
  for (const m of text.matchAll(ALERT_IN_TEXT)) names.push(m[1]!);
  for (const m of text.matchAll(ALERTNAME_EQ)) names.push(m[1]!);
  return names;
}

// ---------------------------------------------------------------------------------------------
// The importer.

interface Ctx {
  parsed: ParsedMarkdown;
  document: ImportedDocument;
  runbooks: RunbookDraft[];
  report: ImportReport;
  slugs: Map<string, number>;
  /** Paragraphs consumed by a document-wide pass (metadata footer). */
  consumed: Set<Block>;
}

export function importRunbookDocument(markdown: string, options: ImportOptions): ImportResult {
  const parsed = parseMarkdown(markdown);
  const root = buildSections(parsed);
  const document: ImportedDocument = {
    title: '',
    sourceName: options.sourceName,
    templates: [],
    checklists: [],
    incidentTypes: [],
    alertReferences: [],
    outline: [],
    unclassifiedMarkdown: [],
  };
  const report: ImportReport = {
    sourceName: options.sourceName,
    importedAt: new Date(options.now).toISOString(),
    lines: parsed.lines.length,
    recognised: {
      runbooks: 0, phases: 0, steps: 0, commandSteps: 0, checkSteps: 0, instructionSteps: 0, dangerousSteps: 0,
      placeholders: 0, matchers: 0, runbooksWithTargets: 0, severityLevels: 0, escalationRules: 0,
      escalationPaths: 0, onCallRoles: 0, templates: 0, checklists: 0, alertReferences: 0, incidentTypes: 0,
    },
    unclassified: [],
    warnings: parsed.warnings.map((w) => ({ code: w.code, message: w.message, line: w.line })),
    lint: [],
  };
  const ctx: Ctx = { parsed, document, runbooks: [], report, slugs: new Map(), consumed: new Set() };
  if (parsed.frontMatter) document.frontMatter = parsed.frontMatter.data;

  readMetadataFooter(ctx, root);

  // A single H1 opening the document is its title; its subsections are the top level.
  let top = root;
  const h1s = root.children.filter((c) => c.level === 1);
  if (h1s.length === 1 && root.children.length === 1) {
    top = root.children[0]!;
    document.title = plainText(top.title);
    document.outline.push(region(ctx, top, 'title', top.line, ownEnd(top)));
  } else {
    document.title = plainText(root.children[0]?.title ?? '') || options.sourceName;
  }
  if (root !== top || root.blocks.length > 0) {
    if (root.blocks.length > 0) document.outline.push(region(ctx, root, 'preamble', root.line, ownEnd(root)));
  }
  const lead = [...(top === root ? [] : top.blocks), ...root.blocks].find((b) => b.type === 'paragraph' && !ctx.consumed.has(b));
  if (lead?.type === 'paragraph') document.summary = plainText(lead.text);
  if (typeof document.frontMatter?.['title'] === 'string') document.title = document.frontMatter['title'];

  // A titled document whose subsections are phases ("Symptoms", "Mitigation", …) is one runbook.
  const phaseChildren = top.children.filter((c) => phaseKindOf(c.title)).length;
  if (top !== root && phaseChildren >= 2 && phaseChildren * 2 >= top.children.length) {
    document.outline = document.outline.filter((o) => o.classifiedAs !== 'title');
    addRunbook(ctx, top, [], undefined);
  } else {
    for (const section of top.children) handleTopSection(ctx, section, undefined);
  }

  // A document that is a single procedure with no headings below the title is one runbook.
  if (ctx.runbooks.length === 0 && top !== root && top.children.length === 0 && hasActionable(top.blocks)) {
    document.outline = document.outline.filter((o) => o.classifiedAs !== 'title');
    addRunbook(ctx, top, [], undefined);
  }

  resolveAlertReferences(ctx);
  applyFrontMatter(ctx);
  applyDocumentDefaults(ctx);
  finishReport(ctx, options.now);
  return { document, runbooks: ctx.runbooks, report };
}

function region(ctx: Ctx, section: Section, classifiedAs: SectionClass, from: number, to: number): OutlineEntry {
  const entry: OutlineEntry = { title: plainText(section.title), level: section.level, line: from, classifiedAs };
  const markdown = trimBlank(sourceOf(ctx.parsed, from, to));
  if (markdown !== '') entry.markdown = markdown;
  return entry;
}

function unclassified(ctx: Ctx, block: Block, where: string, into: string[]): void {
  if (block.type === 'rule' || ctx.consumed.has(block)) return;
  const markdown = trimBlank(sourceOf(ctx.parsed, block.line, block.endLine));
  if (markdown === '') return;
  into.push(markdown);
  const excerpt = markdown.split('\n')[0]!.slice(0, 80);
  ctx.report.unclassified.push({ line: block.line, endLine: block.endLine, where, excerpt });
}

function hasActionable(blocks: Block[]): boolean {
  return blocks.some((b) => b.type === 'code' || (b.type === 'list' && (b.ordered || b.items.some((i) => i.checked !== undefined))));
}

function subtreeActionable(section: Section): boolean {
  return hasActionable(section.blocks) || section.children.some(subtreeActionable);
}

function isEmptySection(section: Section): boolean {
  return section.children.length === 0 && section.blocks.every((b) => b.type === 'rule');
}

function handleTopSection(ctx: Ctx, section: Section, inheritedSeverity: string | undefined): void {
  const cls = docClassOf(section.title);
  if (cls) {
    ctx.document.outline.push(region(ctx, section, cls, section.line, section.endLine));
    handleDocumentSection(ctx, section, cls);
    return;
  }
  handleScenarioCandidate(ctx, section, [], inheritedSeverity);
}

function handleScenarioCandidate(ctx: Ctx, section: Section, path: string[], inheritedSeverity: string | undefined): void {
  const severity = severityInTitle(section.title) ?? inheritedSeverity;
  if (!subtreeActionable(section) && !section.blocks.some((b) => b.type === 'paragraph' && phaseLabel(b.text))) {
    ctx.document.outline.push(region(ctx, section, 'unclassified', section.line, section.endLine));
    for (const block of allBlocks(section)) unclassified(ctx, block, 'document', ctx.document.unclassifiedMarkdown);
    return;
  }
  const nonEmpty = section.children.filter((c) => !isEmptySection(c));
  const isContainer =
    CONTAINER.test(plainText(section.title)) ||
    (nonEmpty.length > 0 && !hasActionable(section.blocks) && nonEmpty.every((c) => CONTAINER.test(plainText(c.title))));
  if (isContainer && section.children.length > 0) {
    ctx.document.outline.push(region(ctx, section, 'container', section.line, ownEnd(section)));
    for (const block of section.blocks) unclassified(ctx, block, 'document', ctx.document.unclassifiedMarkdown);
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

function allBlocks(section: Section): Block[] {
  return [...section.blocks, ...section.children.flatMap(allBlocks)];
}

function severityInTitle(title: string): string | undefined {
  const m = /\b(P[0-5]|SEV[-\s]?[0-5])\b/i.exec(plainText(title));
  return m ? normaliseSeverityId(m[1]!) : undefined;
}

// ---------------------------------------------------------------------------------------------
// Document-level sections.

function handleDocumentSection(ctx: Ctx, section: Section, cls: SectionClass): void {
  const doc = ctx.document;
  const sections = [section, ...descendants(section)];
  switch (cls) {
    case 'navigation':
      return;
    case 'overview': {
      const p = section.blocks.find((b) => b.type === 'paragraph');
      if (p?.type === 'paragraph' && !doc.summary) doc.summary = plainText(p.text);
      return;
    }
    case 'severity-scheme': {
      for (const s of sections) {
        for (const block of s.blocks) {
          if (block.type === 'table') {
            const scheme = severitySchemeFromTable(block);
            if (scheme && !doc.severityScheme) {
              doc.severityScheme = scheme;
              continue;
            }
          }
          if (block.type === 'list' && /type/i.test(s.title)) {
            for (const item of block.items) {
              const m = /^\*\*([^*]{1,80})\*\*\s*:?\s*(.*)$/s.exec(item.text);
              if (m) doc.incidentTypes.push({ name: m[1]!.replace(/:$/, '').trim(), description: plainText(m[2] ?? '') });
            }
            continue;
          }
        }
      }
      if (!doc.severityScheme) {
        const scheme = severitySchemeFromSections(section.children.map((c) => ({ title: c.title, blocks: allBlocks(c) })));
        if (scheme) doc.severityScheme = scheme;
      }
      if (!doc.severityScheme) {
        for (const block of allBlocks(section)) unclassified(ctx, block, 'document', doc.unclassifiedMarkdown);
      }
      return;
    }
    case 'templates': {
      const leaves = section.children.length > 0 ? sections.slice(1) : [section];
      for (const s of leaves) {
        const codes = s.blocks.filter((b): b is CodeBlock => b.type === 'code');
        const markdown = codes.length === 1 ? codes[0]!.text : trimBlank(sourceOf(ctx.parsed, s.line + 1, ownEnd(s)));
        if (markdown.trim() === '') continue;
        addTemplate(ctx, { kind: templateKindOf(s.title), title: plainText(s.title), markdown, line: s.line });
      }
      return;
    }
    case 'escalation': {
      for (const s of sections) {
        for (const block of s.blocks) {
          if (!collectEscalation(ctx, block)) unclassified(ctx, block, 'document', doc.unclassifiedMarkdown);
        }
      }
      return;
    }
    case 'checklists': {
      for (const s of sections) {
        const items: ChecklistItem[] = [];
        for (const block of s.blocks) {
          const found = checklistItemsOf(block);
          if (found) items.push(...found);
          else if (block.type !== 'paragraph') unclassified(ctx, block, 'document', doc.unclassifiedMarkdown);
        }
        if (items.length === 0) continue;
        const checklist: Checklist = { title: withoutTrailingParenthesised(plainText(s.title)), items, line: s.line };
        const timebox = timeboxOf(s.title);
        if (timebox) checklist.timebox = timebox;
        doc.checklists.push(checklist);
      }
      return;
    }
    case 'reference': {
      for (const s of sections) {
        for (const block of s.blocks) {
          if (block.type === 'table' && collectAlertReferences(ctx, block)) continue;
          if (collectEscalation(ctx, block)) continue;
          unclassified(ctx, block, 'document', doc.unclassifiedMarkdown);
        }
      }
      return;
    }
    default:
      return;
  }
}

function descendants(section: Section): Section[] {
  return section.children.flatMap((c) => [c, ...descendants(c)]);
}

/** Without trailing `*`, `_` and whitespace. */
function trimEmphasisEnd(text: string): string {
  let end = text.length;
  while (end > 0 && (text[end - 1] === '*' || text[end - 1] === '_' || /\s/.test(text[end - 1]!))) end--;
  return text.slice(0, end);
}

function timeboxOf(title: string): { minSeconds?: number; maxSeconds?: number } | undefined {
  const inner = firstShortParenthesised(title);
  const range = inner !== undefined ? parseDuration(inner) : undefined;
  if (!range || range.immediate) return undefined;
  const out: { minSeconds?: number; maxSeconds?: number } = {};
  if (range.minSeconds !== undefined) out.minSeconds = range.minSeconds;
  if (range.maxSeconds !== undefined) out.maxSeconds = range.maxSeconds;
  return out;
}

function checklistItemsOf(block: Block): ChecklistItem[] | undefined {
  if (block.type === 'list') {
    const items: ChecklistItem[] = [];
    for (const item of block.items) {
      const nested = item.children.filter((c): c is ListBlock => c.type === 'list');
      if (nested.length > 0) {
        for (const list of nested) {
          for (const sub of list.items) items.push({ text: plainText(sub.text), checked: sub.checked ?? false, group: plainText(item.text) });
        }
      } else items.push({ text: plainText(item.text), checked: item.checked ?? false });
    }
    return items;
  }
  if (block.type === 'code') {
    const lines = block.text.split('\n').filter((l) => l.trim() !== '');
    const boxes = lines.map((l) => checkboxOf(l.trim().replace(/^[-*]\s+/, '')));
    if (lines.length > 0 && boxes.every((b) => b !== undefined)) {
      return boxes.map((b) => ({ text: b!.rest.trim(), checked: b!.checked }));
    }
  }
  return undefined;
}

function addTemplate(ctx: Ctx, t: Omit<DocumentTemplate, 'placeholders'>): void {
  const placeholders = findPlaceholders(t.markdown, 'text').map((p) => p.raw);
  ctx.document.templates.push({ ...t, placeholders });
}

function headerIndex(table: TableBlock, re: RegExp): number {
  return table.header.findIndex((h) => re.test(plainText(h)));
}

/** Escalation tables and arrow paths; returns whether the block was used. */
function collectEscalation(ctx: Ctx, block: Block, steps?: RunbookStep[]): boolean {
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

function collectAlertReferences(ctx: Ctx, table: TableBlock): boolean {
  const alert = headerIndex(table, /^alert/i);
  const target = headerIndex(table, /section|runbook|see|procedure|link/i);
  if (alert < 0 || target < 0) return false;
  for (const row of table.rows) {
    const name = plainText(row[alert] ?? '');
    if (name) ctx.document.alertReferences.push({ alert: name, section: plainText(row[target] ?? '') });
  }
  return true;
}

function readMetadataFooter(ctx: Ctx, root: Section): void {
  for (const block of allBlocks(root)) {
    if (block.type !== 'paragraph') continue;
    let all = true;
    const found: [string, string][] = [];
    for (const line of block.text.split('\n')) {
      // The key by regex; the value's trailing `*`, `_` and spaces by hand (a lazy `(.+?)[*_\s]*$`
      // was quadratic on a long line).
      const m = /^[*_\s]*(last updated|last reviewed|reviewed|owner|owned by|maintainer|review cycle|review interval|review)[*_\s]*:/i.exec(line);
      const value = m ? trimEmphasisEnd(line.slice(m[0].length)).trim() : '';
      if (m && value !== '') found.push([m[1]!.toLowerCase(), value]);
      else all = false;
    }
    if (!all || found.length === 0) continue;
    ctx.consumed.add(block);
    for (const [key, value] of found) {
      if (/owner|maintainer/.test(key)) ctx.document.owner = value;
      else if (/cycle|interval/.test(key) || key === 'review') {
        const days = parseReviewIntervalDays(value);
        if (days) ctx.document.reviewIntervalDays = days;
      } else {
        const date = lenientDate(value);
        if (date) ctx.document.reviewedAt = date;
      }
    }
  }
}

/**
 * "2024" or "March 2024" names a period; we take its last day so a review is never reported
 * overdue earlier than the author's words allow.
 */
function lenientDate(text: string): string | undefined {
  const t = text.trim();
  const year = /^(\d{4})$/.exec(t);
  if (year) return `${year[1]}-12-31`;
  const ym = /^(\d{4})-(\d{2})$/.exec(t);
  if (ym) {
    const last = new Date(Date.UTC(Number(ym[1]), Number(ym[2]), 0));
    return last.toISOString().slice(0, 10);
  }
  const ms = Date.parse(t);
  if (Number.isNaN(ms)) return undefined;
  if (/^[A-Za-z]+\s+\d{4}$/.test(t)) {
    const d = new Date(ms);
    return new Date(Date.UTC(d.getFullYear(), d.getMonth() + 1, 0)).toISOString().slice(0, 10);
  }
  return new Date(ms).toISOString().slice(0, 10);
}

// ---------------------------------------------------------------------------------------------
// Runbooks.

interface StepCtx {
  group?: string;
  lead?: string;
  /** A document warning seen earlier in the same group ("⚠️ DANGER: …"). */
  warning?: string;
}

function makeStep(kind: StepKind, text: string, s: StepCtx, command?: string, language?: string): RunbookStep {
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
  if (s.lead && s.lead !== text) step.lead = s.lead;
  if (/\bif (needed|necessary|applicable|required)\b|\(optional\)|^if\b|^or\b/i.test(s.lead ?? '') || /\bif (needed|necessary|applicable)\b|^if\b|^or\b/i.test(plainText(text))) {
    step.optional = true;
  }
  return step;
}

function phaseLabel(text: string): { label: string; rest: string } | undefined {
  const m = /^\*\*([^*\n]{1,40})\*\*\s*:?\s*(.*)$/s.exec(text.trim());
  if (!m) return undefined;
  const label = m[1]!.replace(/:$/, '').trim();
  if (/^see( also)?$/i.test(label)) return { label, rest: m[2] ?? '' };
  if (targetKeyOfLabel(label)) return undefined;
  return phaseKindOf(label) ? { label, rest: m[2] ?? '' } : undefined;
}

function uniqueSlug(ctx: Ctx, title: string): string {
  const base = slugify(title);
  const n = (ctx.slugs.get(base) ?? 0) + 1;
  ctx.slugs.set(base, n);
  return n === 1 ? base : `${base}-${n}`;
}

function addRunbook(ctx: Ctx, section: Section, path: string[], severity: string | undefined): void {
  if (ctx.runbooks.length >= MAX_RUNBOOKS) {
    throw new AppError('VALIDATION', `markdown: more than ${MAX_RUNBOOKS} runbook sections in one document`, {
      issues: [{ field: 'markdown', message: `more than ${MAX_RUNBOOKS} runbook sections` }],
    });
  }
  const title = plainText(section.title) || 'Untitled runbook';
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
      Object.assign(rb.targets, mergeTargets(rb.targets, extractTargets(block.text)));
      summary.push(block.text);
      continue;
    }
    addBlockToPhase(ctx, rb, loose, block, {}, where, ownBlocks);
  }

  for (const child of section.children) {
    const childTitle = plainText(child.title);
    const sev = childTitle.length <= 200 ? /^severity\s*:\s*(.+)$/i.exec(childTitle) : null;
    if (sev && isEmptySection(child)) {
      rb.severity = normaliseSeverityId(sev[1]!) ?? rb.severity;
      continue;
    }
    if (isEmptySection(child)) {
      summary.push(childTitle);
      continue;
    }
    const kind = phaseKindOf(child.title);
    const phase: RunbookPhase = { kind: kind ?? 'procedure', title: childTitle.replace(/^\d{1,3}[.)]\s*/, ''), steps: [], notes: [] };
    const timebox = timeboxOf(child.title);
    if (timebox) phase.timebox = timebox;
    fillPhase(ctx, rb, phase, child, undefined, where);
    if (!kind && !hasActionable(allBlocks(child))) {
      // Background ("Understanding Quorum"): context for the responder, not a phase.
      rb.unclassifiedMarkdown.push(trimBlank(sourceOf(ctx.parsed, child.line, child.endLine)));
      ctx.report.unclassified.push({ line: child.line, endLine: child.endLine, where, excerpt: childTitle });
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

function mergeTargets(a: RunbookTargets, b: RunbookTargets): RunbookTargets {
  const out: RunbookTargets = { ...a };
  for (const key of ['acknowledgeSeconds', 'mitigateSeconds', 'resolveSeconds'] as const) {
    const v = b[key];
    if (v !== undefined) out[key] = out[key] === undefined ? v : Math.max(out[key]!, v);
  }
  return out;
}

function addMatcher(rb: RunbookDraft, value: string): void {
  if (!rb.matchers.some((m) => m.name === 'alertname' && m.value === value)) rb.matchers.push({ name: 'alertname', op: '=', value });
}

function fillPhase(ctx: Ctx, rb: RunbookDraft, phase: RunbookPhase, section: Section, group: string | undefined, where: string): void {
  const s: StepCtx = group ? { group } : {};
  for (const block of section.blocks) addBlockToPhase(ctx, rb, phase, block, s, where, section.blocks);
  for (const child of section.children) {
    const title = plainText(child.title);
    if (isTemplateTitle(title) && child.blocks.some((b) => b.type === 'code' && !isShellLanguage(b.language))) {
      const code = child.blocks.find((b): b is CodeBlock => b.type === 'code')!;
      addTemplate(ctx, { kind: templateKindOf(title), title, markdown: code.text, line: child.line, runbookSlug: rb.slug });
      phase.notes.push(`Template: ${title}`);
      for (const b of child.blocks) if (b !== code) addBlockToPhase(ctx, rb, phase, b, { group: title }, where, child.blocks);
      continue;
    }
    const before = phase.steps.length;
    fillPhase(ctx, rb, phase, child, title, where);
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

function addBlockToPhase(
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
      rb.targets = mergeTargets(rb.targets, extractTargets(block.text));
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
      if (collectEscalation(ctx, block, phase.steps)) return;
      unclassified(ctx, block, where, rb.unclassifiedMarkdown);
      return;
    }
    case 'rule':
    case 'heading':
      return;
  }
}

function takeLead(s: StepCtx): string | undefined {
  const holder = s as StepCtx & { pendingLead?: string };
  const lead = holder.pendingLead;
  delete holder.pendingLead;
  return lead ?? s.lead;
}

function stepsFromItem(ctx: Ctx, rb: RunbookDraft, item: ListItem, s: StepCtx, phase: RunbookPhase, where: string): RunbookStep[] {
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
      if (!collectEscalation(ctx, child, nestedSteps)) unclassified(ctx, child, where, rb.unclassifiedMarkdown);
    }
  }
  // A list item is something to do or to confirm: a check the responder ticks off.
  if (nestedSteps.length === 0) return text.trim() === '' ? [] : [makeStep('check', text, s)];
  // A single command under an item reads best with the item's words as its text.
  if (nestedSteps.length === 1 && nestedSteps[0]!.kind === 'command' && nestedSteps[0]!.lead === plainText(text)) {
    const only = nestedSteps[0]!;
    const comment = only.text;
    only.text = plainText(text);
    delete only.lead;
    if (comment !== text && comment !== only.command?.split('\n')[0]) only.lead = comment;
  }
  return nestedSteps;
}

function stepsFromCode(ctx: Ctx, rb: RunbookDraft, block: CodeBlock, s: StepCtx, phase: RunbookPhase, where: string): RunbookStep[] {
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
    unclassified(ctx, block, where, rb.unclassifiedMarkdown);
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

function looksLikeShell(text: string): boolean {
  const first = text.split('\n').find((l) => l.trim() !== '' && !l.trim().startsWith('#'))?.trim() ?? '';
  return /^(\$ |sudo |kubectl |curl |helm |docker |systemctl |journalctl |psql |redis-cli |aws |gcloud |az |ssh |cat |grep |tail |ls |\.\/|echo |export |git |watch |for |if )/.test(first);
}

/** A flat procedure without phase headings: group consecutive steps by what they do. */
function inferPhases(loose: RunbookPhase): RunbookPhase[] {
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

const PHASE_TITLES: Record<PhaseKind, string> = {
  symptoms: 'Symptoms', detection: 'Detection', immediate: 'Immediate actions', investigation: 'Investigation',
  causes: 'Likely causes', escalation: 'Escalation', mitigation: 'Mitigation', recovery: 'Recovery',
  communication: 'Communication', verification: 'Verification', 'post-incident': 'Post-incident', procedure: 'Steps',
};

// ---------------------------------------------------------------------------------------------
// Cross-references, front matter, report.

function words(text: string): Set<string> {
  return new Set(plainText(text).toLowerCase().split(/[^a-z0-9]+/).filter((w) => w.length > 2 && !['the', 'and', 'for', 'with'].includes(w)));
}

function resolveAlertReferences(ctx: Ctx): void {
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

interface RunbookFields {
  matchers?: AlertMatcher[];
  service?: string;
  severity?: string;
  owner?: string;
  reviewIntervalDays?: number;
  reviewedAt?: string;
  targets?: RunbookTargets;
}

function frontMatterError(field: string, message: string): AppError {
  return new AppError('VALIDATION', `frontMatter.${field}: ${message}`, { issues: [{ field: `frontMatter.${field}`, message }] });
}

/**
 * `name=value`, `name=~"re"`: what /^\s*(name)\s*(op)\s*"?(.*?)"?\s*$/ matched, by hand (that regex
 * backtracked cubically on a long front-matter string).
 */
function matcherText(entry: string): AlertMatcher | undefined {
  const head = /^\s*([A-Za-z_][A-Za-z0-9_]*)\s*(=~|!~|!=|=)/.exec(entry);
  if (!head) return undefined;
  let value = entry.slice(head[0].length).trim();
  if (value.startsWith('"')) value = value.slice(1);
  if (value.endsWith('"')) value = value.slice(0, -1);
  if (/[\n\r\u2028\u2029]/.test(value)) return undefined;
  return { name: head[1]!, op: head[2] as AlertMatcher['op'], value };
}

function readMatchers(value: unknown, field: string): AlertMatcher[] {
  const list = Array.isArray(value) ? value : [value];
  const out: AlertMatcher[] = [];
  list.forEach((entry, i) => {
    const first = out.length;
    if (typeof entry === 'string') {
      const m = matcherText(entry);
      if (m) out.push(m);
      else out.push({ name: 'alertname', op: '=', value: entry.trim() });
    } else if (entry && typeof entry === 'object') {
      const e = entry as Record<string, unknown>;
      if (typeof e['name'] === 'string' && typeof e['value'] === 'string') {
        const op = e['op'] ?? '=';
        if (op !== '=' && op !== '!=' && op !== '=~' && op !== '!~') throw frontMatterError(`${field}.${i}.op`, 'must be one of =, !=, =~, !~');
        out.push({ name: e['name'], op, value: e['value'] });
      } else {
        for (const [k, v] of Object.entries(e)) {
          if (typeof v !== 'string' && typeof v !== 'number') throw frontMatterError(`${field}.${i}`, 'label values must be strings');
          out.push({ name: k, op: '=', value: String(v) });
        }
      }
    } else throw frontMatterError(`${field}.${i}`, 'must be a string or a mapping');
    // Checked at import, so a pattern RE2 refuses is named instead of silently never matching.
    for (const m of out.slice(first)) {
      const error = m.op === '=~' || m.op === '!~' ? re2SyntaxError(m.value) : null;
      if (error !== null) throw frontMatterError(`${field}.${i}`, `invalid regular expression (RE2) in ${m.name}${m.op}"${m.value}": ${error}`);
    }
  });
  return out;
}

function readTargets(value: unknown, field: string): RunbookTargets {
  if (!value || typeof value !== 'object' || Array.isArray(value)) throw frontMatterError(field, 'must be a mapping');
  const out: RunbookTargets = {};
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    const key = /ack|respon/i.test(k) ? 'acknowledgeSeconds' : /mitigat/i.test(k) ? 'mitigateSeconds' : /resol|recover|mttr/i.test(k) ? 'resolveSeconds' : undefined;
    if (!key) throw frontMatterError(`${field}.${k}`, 'unknown target (use acknowledge, mitigate or resolve)');
    const seconds = typeof v === 'number' ? v : typeof v === 'string' ? targetSeconds(v) : undefined;
    if (seconds === undefined || !Number.isFinite(seconds) || seconds < 0) throw frontMatterError(`${field}.${k}`, 'must be a duration such as "15 minutes"');
    out[key] = seconds;
  }
  return out;
}

function readFields(data: Record<string, unknown>, prefix: string): RunbookFields {
  const f: RunbookFields = {};
  const str = (key: string): string | undefined => {
    const v = data[key];
    if (v === undefined || v === null) return undefined;
    if (typeof v !== 'string' && typeof v !== 'number') throw frontMatterError(`${prefix}${key}`, 'must be a string');
    return String(v);
  };
  if (data['matchers'] !== undefined) f.matchers = readMatchers(data['matchers'], `${prefix}matchers`);
  if (data['alerts'] !== undefined) f.matchers = [...(f.matchers ?? []), ...readMatchers(data['alerts'], `${prefix}alerts`)];
  const service = str('service');
  if (service) f.service = service;
  const owner = str('owner');
  if (owner) f.owner = owner;
  const severity = str('severity');
  if (severity) {
    const id = normaliseSeverityId(severity);
    if (!id) throw frontMatterError(`${prefix}severity`, 'must be a level such as P1 or SEV-2');
    f.severity = id;
  }
  const review = data['review_interval'] ?? data['reviewInterval'] ?? data['review_interval_days'] ?? data['reviewIntervalDays'];
  if (review !== undefined) {
    const days = parseReviewIntervalDays(review);
    if (!days) throw frontMatterError(`${prefix}review_interval`, 'must be a number of days or e.g. "quarterly"');
    f.reviewIntervalDays = days;
  }
  const reviewed = data['reviewed'] ?? data['last_reviewed'] ?? data['lastReviewed'];
  if (reviewed !== undefined) {
    const date = reviewed instanceof Date ? reviewed.toISOString().slice(0, 10) : typeof reviewed === 'string' ? lenientDate(reviewed) : undefined;
    if (!date) throw frontMatterError(`${prefix}reviewed`, 'must be a date (YYYY-MM-DD)');
    f.reviewedAt = date;
  }
  if (data['targets'] !== undefined) f.targets = readTargets(data['targets'], `${prefix}targets`);
  return f;
}

function applyFields(rb: RunbookDraft, f: RunbookFields, withMatchers: boolean): void {
  if (withMatchers && f.matchers) rb.matchers = f.matchers;
  if (f.service) rb.service = f.service;
  if (f.owner) rb.owner = f.owner;
  if (f.severity) rb.severity = f.severity;
  if (f.reviewIntervalDays) rb.reviewIntervalDays = f.reviewIntervalDays;
  if (f.reviewedAt) rb.reviewedAt = f.reviewedAt;
  if (f.targets) rb.targets = { ...rb.targets, ...f.targets };
}

/** Front matter is the author being exact: it overrides whatever was inferred. */
function applyFrontMatter(ctx: Ctx): void {
  const data = ctx.parsed.frontMatter?.data;
  if (!data) return;
  const fields = readFields(data, '');
  const single = ctx.runbooks.length === 1;
  if (fields.matchers && !single) {
    ctx.report.warnings.push({ code: 'front-matter-matchers-ignored', message: `top-level matchers apply only to a single-runbook document (this one has ${ctx.runbooks.length}); use runbooks.<slug>.matchers` });
  }
  for (const rb of ctx.runbooks) applyFields(rb, fields, single);
  const per = data['runbooks'];
  if (per === undefined) return;
  if (!per || typeof per !== 'object' || Array.isArray(per)) throw frontMatterError('runbooks', 'must be a mapping of runbook slug to fields');
  for (const [slug, value] of Object.entries(per as Record<string, unknown>)) {
    const rb = ctx.runbooks.find((r) => r.slug === slug);
    if (!rb) throw frontMatterError(`runbooks.${slug}`, `no runbook with this slug (found: ${ctx.runbooks.map((r) => r.slug).join(', ')})`);
    if (!value || typeof value !== 'object' || Array.isArray(value)) throw frontMatterError(`runbooks.${slug}`, 'must be a mapping');
    applyFields(rb, readFields(value as Record<string, unknown>, `runbooks.${slug}.`), true);
  }
}

function applyDocumentDefaults(ctx: Ctx): void {
  const doc = ctx.document;
  for (const rb of ctx.runbooks) {
    if (!rb.owner && doc.owner) rb.owner = doc.owner;
    if (!rb.reviewIntervalDays && doc.reviewIntervalDays) rb.reviewIntervalDays = doc.reviewIntervalDays;
    if (!rb.reviewedAt && doc.reviewedAt) rb.reviewedAt = doc.reviewedAt;
    // The severity scheme's response target is the runbook's acknowledge target by default.
    if (rb.targets.acknowledgeSeconds === undefined && rb.severity && doc.severityScheme) {
      const level = doc.severityScheme.levels.find((l) => l.id === rb.severity);
      if (level?.responseSeconds !== undefined) rb.targets.acknowledgeSeconds = level.responseSeconds;
    }
  }
}

function finishReport(ctx: Ctx, now: number): void {
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
  r.severityLevels = doc.severityScheme?.levels.length ?? 0;
  r.escalationRules = doc.escalation?.rules.length ?? 0;
  r.escalationPaths = doc.escalation?.paths.length ?? 0;
  r.onCallRoles = doc.escalation?.roles.length ?? 0;
  if (doc.escalation && r.escalationRules + r.escalationPaths + r.onCallRoles === 0) delete doc.escalation;
  r.templates = doc.templates.length;
  r.checklists = doc.checklists.length;
  r.alertReferences = doc.alertReferences.length;
  r.incidentTypes = doc.incidentTypes.length;
  if (ctx.runbooks.length === 0) {
    ctx.report.warnings.push({ code: 'no-runbooks', message: 'no section with steps (commands, numbered lists or checklists) was found' });
  }
}
