import { parseMarkdown, plainText } from '../parse-markdown.js';
import type { Ctx } from './context.js';
import { region, unclassified } from './context.js';
import { isEscalationBlock, readEscalationSection, readReferenceSection, resolveAlertReferences } from './escalation.js';
import { applyDocumentDefaults, applyFrontMatter, readMetadataFooter } from './metadata.js';
import { finishReport, newReport } from './report.js';
import { addRunbook, handleScenarioCandidate } from './scenarios.js';
import type { Section } from './sections.js';
import { allBlocks, buildSections, hasActionable, ownEnd, subtreeActionable } from './sections.js';
import { readSeveritySection, severitySchemeOfSection } from './severities.js';
import { readChecklistsSection, readTemplatesSection } from './templates.js';
import { readRolesSection } from './roles.js';
import type { ImportedDocument, ImportOptions, ImportResult, SectionClass } from './types.js';
import { docClassOf, isRolesTitle, phaseKindOf } from './vocabulary.js';

/**
 * Import a Markdown incident-response document as it is written. Each scenario section becomes
 * a runbook of ordered phases and steps; severity schemes, escalation rules, checklists and
 * templates become document-level structures; whatever is not recognised stays as Markdown.
 * Nothing is dropped: every runbook keeps its source, every other region is kept in the
 * document outline, and the report lists what was and was not recognised.
 *
 * This file only walks the top of the tree and hands each section to the recogniser for what
 * it is: scenarios.ts (runbooks), severities.ts, escalation.ts, roles.ts, templates.ts (and checklists),
 * metadata.ts (footers, front matter); steps.ts and targets.ts work inside runbooks.
 */

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
  const report = newReport(parsed, options.sourceName, options.now);
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
  // Sections the document-level recognisers own ("Escalation Path", "Communication Templates",
  // "Post-Incident Checklist") are not phases of a runbook even though their words say so.
  const ownSections = top.children.filter((c) => !docClassOf(c.title));
  const phaseChildren = ownSections.filter((c) => phaseKindOf(c.title)).length;
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

export function handleTopSection(ctx: Ctx, section: Section, inheritedSeverity: string | undefined): void {
  const cls = docClassOf(section.title) ?? classByContent(section);
  if (cls) {
    ctx.document.outline.push(region(ctx, section, cls, section.line, section.endLine));
    handleDocumentSection(ctx, section, cls);
    return;
  }
  handleScenarioCandidate(ctx, section, [], inheritedSeverity);
}

export function handleDocumentSection(ctx: Ctx, section: Section, cls: SectionClass): void {
  switch (cls) {
    case 'overview': {
      const p = section.blocks.find((b) => b.type === 'paragraph');
      if (p?.type === 'paragraph' && !ctx.document.summary) ctx.document.summary = plainText(p.text);
      return;
    }
    case 'severity-scheme':
      return readSeveritySection(ctx, section);
    case 'templates':
      return readTemplatesSection(ctx, section);
    case 'escalation':
      return readEscalationSection(ctx, section);
    case 'roles':
      return readRolesSection(ctx, section, isRolesTitle);
    case 'checklists':
      return readChecklistsSection(ctx, section);
    case 'reference':
      return readReferenceSection(ctx, section);
    default:
      return;
  }
}

/**
 * A section whose title says nothing we know ("How Bad Is It?", "Who To Call") is read by its
 * content: levels (P1, SEV-2, Critical/High…) make it the severity scheme; an escalation ladder,
 * arrows or a condition/role table make it escalation. Sections with steps stay scenarios.
 */
function classByContent(section: Section): SectionClass | undefined {
  if (subtreeActionable(section)) return undefined;
  if (severitySchemeOfSection(section)) return 'severity-scheme';
  if (allBlocks(section).some(isEscalationBlock)) return 'escalation';
  return undefined;
}
