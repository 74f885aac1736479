import type { Block, ListItem, TableBlock } from '../parse-markdown.js';
import { plainText } from '../parse-markdown.js';
import type { Ctx } from './context.js';
import { KEPT, unclassified } from './context.js';
import { collectEscalation, headerIndex } from './escalation.js';
import type { Section } from './sections.js';
import { allBlocks } from './sections.js';
import type { DocumentRole } from './types.js';

/**
 * Incident roles a document describes in a section about roles ("Roles and Responsibilities",
 * "Incident Roles", "RACI", "Who does what"), by structure, not by name: a table with a role
 * column (and a responsibilities column), a RACI table (R/A/C/I cells, roles as columns or as
 * rows), a list of `**Role**: what it does` items, or one sub-heading per role with its duties
 * under it. Role/primary/secondary tables there are also escalation contacts (escalation.ts).
 */

const MAX_DESCRIPTION = 2000;
const RACI_CELL = /^[RACI](?:\s*[/,+&]?\s*[RACI]){0,3}$/i;
const RACI_WORDS: Record<string, string> = { R: 'Responsible', A: 'Accountable', C: 'Consulted', I: 'Informed' };

/** A role's name: short, a name rather than a sentence. */
export function isRoleName(name: string): boolean {
  const words = name.split(/\s+/).filter(Boolean);
  return words.length >= 1 && words.length <= 6 && name.length <= 80 && /^[\p{L}]/u.test(name) && !/[.?!;]$/.test(name);
}

/** `**Incident Commander (IC)**: leads the response` / `Scribe — keeps the timeline` → name and rest. */
export function roleLeadOf(text: string): { name: string; rest: string } | undefined {
  const t = text.trim();
  let name: string;
  let rest: string;
  const marker = t.startsWith('**') ? '**' : t.startsWith('__') ? '__' : '';
  if (marker) {
    const end = t.indexOf(marker, 2);
    if (end <= 2) return undefined;
    name = t.slice(2, end);
    rest = t.slice(end + 2).replace(/^\s*[:\-–—]\s*/, '');
  } else {
    const cut = /:\s|\s[-–—]\s/.exec(t);
    if (!cut) return undefined;
    name = t.slice(0, cut.index);
    rest = t.slice(cut.index + cut[0].length);
  }
  name = plainText(name).replace(/[:\s]+$/, '');
  return isRoleName(name) ? { name, rest: plainText(rest) } : undefined;
}

/** Paragraphs and list items as description text ("- item" lines, nested ones indented). */
function textOf(blocks: Block[]): string {
  const out: string[] = [];
  type Entry = { block: Block; depth: number } | { line: string };
  // Depth-first, in order, without recursion (lists may nest deep).
  const walk: Entry[] = blocks.map((block): Entry => ({ block, depth: 0 })).reverse();
  let length = 0;
  // Stops once the description is full: a list nested thousands deep costs no more than that.
  while (walk.length > 0 && length <= MAX_DESCRIPTION) {
    const entry = walk.pop()!;
    if ('line' in entry) {
      out.push(entry.line);
      length += entry.line.length + 1;
      continue;
    }
    const { block, depth } = entry;
    if (block.type === 'paragraph' || block.type === 'blockquote') {
      const text = plainText(block.text);
      out.push(text);
      length += text.length + 1;
    }
    if (block.type !== 'list') continue;
    const next: Entry[] = [];
    for (const item of block.items) {
      next.push({ line: `${'  '.repeat(Math.min(depth, 4))}- ${plainText(item.text)}` });
      for (const child of item.children) next.push({ block: child, depth: depth + 1 });
    }
    walk.push(...next.reverse());
  }
  return out.filter(Boolean).join('\n').slice(0, MAX_DESCRIPTION).trim();
}

function addRole(ctx: Ctx, name: string, description: string, line: number): void {
  const roles = (ctx.document.incidentRoles ??= []);
  const clean = name.trim().slice(0, 120);
  if (!isRoleName(clean)) return;
  const have = roles.find((r) => r.name.toLowerCase() === clean.toLowerCase());
  const text = description.trim().slice(0, MAX_DESCRIPTION);
  if (have) {
    if (!have.description && text) have.description = text;
    return;
  }
  const role: DocumentRole = { name: clean, line };
  if (text) role.description = text;
  roles.push(role);
}

/** A RACI table: every cell after the first column is R, A, C, I or a combination ("A/R"). */
export function isRaciTable(table: TableBlock): boolean {
  if (table.header.length < 3) return false;
  const cells = table.rows.flatMap((r) => r.slice(1)).map(plainText).filter((c) => c !== '' && c !== '-' && c !== '–');
  return cells.length >= 2 && cells.filter((c) => RACI_CELL.test(c)).length >= cells.length * 0.8;
}

function readRaci(ctx: Ctx, table: TableBlock): void {
  // Roles are the columns, unless the first column is headed "Role".
  const rolesAsRows = /role|position|who/i.test(plainText(table.header[0] ?? ''));
  const roles = rolesAsRows ? table.rows.map((r) => plainText(r[0] ?? '')) : table.header.slice(1).map(plainText);
  roles.forEach((role, i) => {
    const duties = new Map<string, string[]>();
    const cells = rolesAsRows
      ? table.header.slice(1).map((activity, j) => [plainText(activity), plainText(table.rows[i]![j + 1] ?? '')] as const)
      : table.rows.map((row) => [plainText(row[0] ?? ''), plainText(row[i + 1] ?? '')] as const);
    for (const [activity, cell] of cells) {
      for (const letter of new Set(cell.toUpperCase().replace(/[^RACI]/g, ''))) {
        const list = duties.get(letter) ?? [];
        list.push(activity);
        duties.set(letter, list);
      }
    }
    const description = ['R', 'A', 'C', 'I'].filter((l) => duties.has(l)).map((l) => `${RACI_WORDS[l]}: ${duties.get(l)!.join('; ')}`).join('\n');
    addRole(ctx, role, description, table.line);
  });
}

/** A table with a role column: each row a role, its responsibilities from the column that says so. */
function readRoleTable(ctx: Ctx, table: TableBlock): boolean {
  const role = headerIndex(table, /role|position/i);
  if (role < 0) return false;
  const duties = table.header.findIndex((h, i) => i !== role && /responsib|dut(y|ies)|does|descri|what|task|owns|focus|accountab|purpose/i.test(plainText(h)));
  for (const row of table.rows) addRole(ctx, plainText(row[role] ?? ''), duties >= 0 ? plainText(row[duties] ?? '') : '', table.line);
  return true;
}

function readRoleList(ctx: Ctx, items: ListItem[]): boolean {
  const leads = items.map((i) => roleLeadOf(i.text) ?? (i.children.length > 0 && isRoleName(plainText(i.text)) ? { name: plainText(i.text), rest: '' } : undefined));
  if (leads.length === 0 || leads.some((l) => l === undefined)) return false;
  leads.forEach((lead, i) => addRole(ctx, lead!.name, [lead!.rest, textOf(items[i]!.children)].filter(Boolean).join('\n'), items[i]!.line));
  return true;
}

function readRoleBlock(ctx: Ctx, block: Block): boolean {
  if (block.type === 'table') {
    if (isRaciTable(block)) {
      readRaci(ctx, block);
      return true;
    }
    // A role/primary table is also who to call (escalation contacts).
    const contacts = collectEscalation(ctx, block);
    return readRoleTable(ctx, block) || contacts;
  }
  if (block.type === 'list') return readRoleList(ctx, block.items);
  if (block.type === 'paragraph') {
    const lines = block.text.split('\n');
    const leads = lines.map(roleLeadOf);
    if (leads.every(Boolean) && block.text.trimStart().startsWith('**')) {
      leads.forEach((l) => addRole(ctx, l!.name, l!.rest, block.line));
      return true;
    }
  }
  return false;
}

export function readRolesSection(ctx: Ctx, section: Section, isRolesTitle: (title: string) => boolean): void {
  const doc = ctx.document;
  doc.incidentRoles ??= [];
  const read = (s: Section) => {
    for (const block of s.blocks) {
      // An introduction ("Every incident has these roles:") is kept as Markdown.
      if (!readRoleBlock(ctx, block)) unclassified(ctx, block, 'document', doc.unclassifiedMarkdown, KEPT.notRoles);
    }
  };
  read(section);
  for (const child of section.children) {
    const title = plainText(child.title);
    // "### RACI matrix" inside "## Roles": more of the same; "### Incident Commander": one role.
    if (isRolesTitle(title) || !isRoleName(title)) {
      read(child);
      for (const grandchild of child.children) read(grandchild);
      continue;
    }
    addRole(ctx, title, textOf(allBlocks(child)), child.line);
  }
}
