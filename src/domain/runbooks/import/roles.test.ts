import { describe, expect, it } from 'vitest';
import { importRunbookDocument } from './document.js';
import { isRaciTable, roleLeadOf } from './roles.js';
import { isRolesTitle } from './vocabulary.js';
import { roleKeyOf } from '../../incident-roles/role-keys.js';

const rolesOf = (markdown: string) => importRunbookDocument(markdown, { sourceName: 'doc.md', now: 0 }).document.incidentRoles ?? [];

describe('incident roles in a document', () => {
  it.each([
    ['Roles', true], ['Roles and Responsibilities', true], ['Incident Roles', true], ['2. Roles & duties', true], ['RACI matrix', true],
    ['Who does what', true], ['Responsibilities', true], ['Role of the database', false], ['Escalation', false], ['On-call rotation', false],
  ])('%s is a roles heading: %s', (title, yes) => expect(isRolesTitle(title)).toBe(yes));

  it.each([
    ['**Incident Commander (IC)**: runs the response', { name: 'Incident Commander (IC)', rest: 'runs the response' }],
    ['**Comms lead:** posts updates', { name: 'Comms lead', rest: 'posts updates' }],
    ['Scribe — keeps the timeline', { name: 'Scribe', rest: 'keeps the timeline' }],
    ['Restart the service when the queue is full: then wait', undefined],
    ['plain text with no lead', undefined],
  ])('%s', (text, lead) => expect(roleLeadOf(text)).toEqual(lead));

  it.each([
    ['Incident Commander (IC)', 'commander'], ['IC', 'commander'], ['Incident Lead', 'commander'], ['Incident Manager', 'commander'],
    ['Comms Lead', 'communications'], ['Communications Lead', 'communications'], ['Communications', 'communications'],
    ['Scribe', 'scribe'], ['Note-taker', 'scribe'], ['Security Lead', 'security-lead'], ['Subject Matter Expert (SME)', 'subject-matter-expert'],
  ])('%s has the key %s', (name, key) => expect(roleKeyOf(name)).toBe(key));

  it('reads a list of **Role**: duties items, nested duties included', () => {
    const roles = rolesOf('# Doc\n\n## Incident Roles\n\n- **Incident Commander**: owns the incident\n- **Scribe**\n  - keeps the timeline\n  - files the notes\n');
    expect(roles).toEqual([
      { name: 'Incident Commander', description: 'owns the incident', line: 5 },
      { name: 'Scribe', description: '- keeps the timeline\n- files the notes', line: 6 },
    ]);
  });

  it('keeps nested duties indented and stops at 2,000 characters however deep the list', () => {
    const [scribe] = rolesOf('# Doc\n\n## Roles\n\n### Scribe\n\n- Keeps the timeline\n  - with times\n');
    expect(scribe!.description).toBe('- Keeps the timeline\n  - with times');
    const deep = Array.from({ length: 400 }, (_, i) => `${'  '.repeat(i)}- level ${i}`).join('\n');
    const [sme] = rolesOf(`# Doc\n\n## Roles\n\n### SME\n\n${deep}\n`);
    expect(sme!.description!.length).toBeLessThanOrEqual(2000);
  });

  it('reads RACI with roles as rows when the first column is headed Role', () => {
    const roles = rolesOf('# Doc\n\n## RACI\n\n| Role | Declare | Communicate |\n|---|---|---|\n| Incident commander | A | C |\n| Comms lead | I | R |\n');
    expect(roles.map((r) => [r.name, r.description])).toEqual([['Incident commander', 'Accountable: Declare\nConsulted: Communicate'], ['Comms lead', 'Responsible: Communicate\nInformed: Declare']]);
  });

  it('does not take an ordinary table for RACI', () => {
    const table = { type: 'table' as const, header: ['Step', 'Command', 'Owner'], rows: [['1', 'restart', 'ops']], line: 1, endLine: 3 };
    expect(isRaciTable(table)).toBe(false);
  });

  it('finds no roles in a document that names none', () => {
    expect(rolesOf('# Disk full\n\n## Steps\n\n```bash\ndf -h\n```\n')).toEqual([]);
  });
});
