import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { importRunbookDocument } from '../import/document.js';
import { buildProcessPlan } from './build-plan.js';
import { peopleInAction, splitPeople, suggestedType } from './people.js';
import type { PlannedObject } from './types.js';

const fixture = (name: string) => readFileSync(new URL(`../../../../test/fixtures/runbooks/${name}`, import.meta.url), 'utf8');
const planOf = (markdown: string, key = 'doc') => buildProcessPlan(importRunbookDocument(markdown, { sourceName: `${key}.md`, now: 0 }).document, key);
const find = <K extends PlannedObject['kind']>(objects: PlannedObject[], kind: K) => objects.filter((o): o is Extract<PlannedObject, { kind: K }> => o.kind === kind);

describe('people named in prose', () => {
  it.each([
    ['Page DBA lead and engineering manager', ['DBA lead', 'Engineering manager']],
    ['Page on-call + queue team lead', ['On-call', 'Queue team lead']],
    ['Notify security on-call', ['Security on-call']],
    ['Open the bridge', []],
    ['Tell finance operations', ['Finance operations']],
  ])('%s → %j', (action, people) => expect(peopleInAction(action)).toEqual(people));

  it.each([
    ['On-call and the head of engineering', ['On-call', 'Head of engineering']],
    ['Next working day', []],
    ['CTO (P1 only)', ['CTO']],
  ])('splits %s', (text, people) => expect(splitPeople(text)).toEqual(people));

  it.each([['DBA on-call', 'schedule'], ['Platform team', 'team'], ['Team lead', 'user'], ['CTO', 'user']])('%s is most likely a %s', (name, type) => expect(suggestedType(name)).toBe(type));
});

describe('the process plan of a document', () => {
  it.each([
    // file, ladder keys, ack targets (0 = immediate), business-hours levels
    ['meadow-ledger-db.md', ['P1', 'P2', 'P3', 'P4'], [0, 1800, 14400, 259200], []],
    ['quarry-search.md', ['SEV-1', 'SEV-2', 'SEV-3', 'SEV-4'], [300, 900, 3600, 28800], ['SEV-4']],
    ['lantern-dns.md', ['CRITICAL', 'HIGH', 'MEDIUM', 'LOW'], [300, 900, 14400, 28800], ['LOW']],
    ['kiln-queue.md', ['SEV-1', 'SEV-2', 'SEV-3'], [0, 600, 28800], ['SEV-3']],
  ])('%s: the ladder, with "Immediate" as 0 and "next business day" in business hours', (file, keys, acks, business) => {
    const [ladder] = find(planOf(fixture(file)).objects, 'severities');
    expect(ladder!.config.map((l) => l.key)).toEqual(keys);
    expect(ladder!.config.map((l) => l.ackTarget)).toEqual(acks);
    expect(ladder!.config.filter((l) => l.businessHours).map((l) => l.key)).toEqual(business);
  });

  it('reads MTTR and update cadence columns as the resolve target and the update cadence', () => {
    const [ladder] = find(planOf(fixture('kiln-queue.md')).objects, 'severities');
    expect(ladder!.config[0]).toMatchObject({ key: 'SEV-1', resolveTarget: 3600, updateCadence: 1200, escalationPolicy: 'Kiln Job Queue escalation' });
  });

  it.each([
    ['quarry-search.md', 'Quarry Search Cluster Playbook escalation', [[0, ['placeholder:On-call search engineer']], [600, ['placeholder:Search team lead']]], [[2700, ['placeholder:Head of platform']]]],
    ['meadow-ledger-db.md', 'Meadow Ledger Database escalation', [[0, ['placeholder:Database on-call']], [900, ['placeholder:DBA lead']], [900, ['placeholder:Engineering manager']], [900, ['placeholder:CTO']]], []],
    ['lantern-dns.md', 'Lantern Internal DNS escalation', [[0, ['placeholder:Network on-call']], [900, ['placeholder:Network team lead']], [2700, ['placeholder:VP Infrastructure']]], []],
  ])('%s: the escalation path becomes %s with waits between levels and "not resolved" entries', (file, name, levels, unresolved) => {
    const policy = find(planOf(fixture(file)).objects, 'escalation-policy').find((p) => p.config.name === name)!;
    expect(policy.config.levels.map((l) => [l.after, l.targets])).toEqual(levels);
    expect(policy.config.ifUnresolved.map((l) => [l.after, l.targets])).toEqual(unresolved);
  });

  it('limits a level to the severities the document names ("P1 only", "critical only")', () => {
    const meadow = find(planOf(fixture('meadow-ledger-db.md')).objects, 'escalation-policy')[0]!;
    expect(meadow.config.levels[3]).toMatchObject({ severities: ['P1'] });
    const kiln = find(planOf(fixture('kiln-queue.md')).objects, 'escalation-policy')[0]!;
    expect(kiln.config.levels[2]).toMatchObject({ targets: ['placeholder:Director of Platform'], severities: ['SEV-1'] });
  });

  it.each([
    ['ledgerline-service.md', { 'SEV-1': 'Ledgerline On-Call Guide SEV-1 escalation', 'SEV-2': 'Ledgerline On-Call Guide SEV-2 escalation' }],
    ['tidewater-broker.md', { P1: 'Tidewater Broker P1 escalation', P2: 'Tidewater Broker P2 escalation', P3: 'Tidewater Broker P3 escalation' }],
  ])('%s: per-severity escalation becomes each severity\'s default policy', (file, defaults) => {
    const [ladder] = find(planOf(fixture(file)).objects, 'severities');
    const got = Object.fromEntries(ladder!.config.filter((l) => l.escalationPolicy).map((l) => [l.key, l.escalationPolicy]));
    expect(got).toEqual(defaults);
  });

  it.each([
    // file, checklist slug, trigger, windows [name, due]
    ['ledgerline-service.md', 'ledgerline-service-phase-checklists-on-open', 'on_open', [['Take the Page', 600], ['Dig In', 1800]]],
    ['ledgerline-service.md', 'ledgerline-service-phase-checklists-after-resolve', 'on_resolve', [['Close Out', 259200]]],
    ['sparrow-cache.md', 'sparrow-cache-follow-up', 'on_resolve', [['Same Day', 86400], ['Within a Week', 604800]]],
    ['kiln-queue.md', 'kiln-queue-afterwards', 'on_resolve', [['Within 24 hours', 86400], ['Within 5 days', 432000]]],
    ['kiln-queue.md', 'kiln-queue-first-response-checklist', 'on_open', []],
  ])('%s: checklist %s runs %s with its windows in order', (file, slug, trigger, windows) => {
    const c = find(planOf(fixture(file), file.replace('.md', '')).objects, 'checklist').find((o) => o.config.slug === slug)!;
    expect(c.config.trigger).toBe(trigger);
    expect(c.config.groups.map((g) => [g.name, g.dueOffsetSeconds])).toEqual(windows);
  });

  it.each([
    ['sparrow-cache.md', ['initial/internal', 'update/internal', 'resolution/internal'], false],
    ['kiln-queue.md', ['initial/internal', 'update/internal', 'resolution/internal'], true],
    ['ledgerline-service.md', ['update/public'], true],
  ])('%s: communication templates become update templates %j (post-mortem template: %s)', (file, keys, postmortem) => {
    const objects = planOf(fixture(file)).objects;
    expect(find(objects, 'update-template').map((t) => `${t.config.kind}/${t.config.audience}`)).toEqual(keys);
    expect(find(objects, 'postmortem-template').length > 0).toBe(postmortem);
  });

  it('says what it does not apply: hand-off templates and the runbook metadata', () => {
    expect(planOf(fixture('ledgerline-service.md')).notes.join('\n')).toMatch(/handoff template "Hand-off".*kept on the document/);
    expect(planOf(fixture('quarry-search.md')).notes.join('\n')).toMatch(/owner SRE Team, review every 91 days, last reviewed 2024-12-22/);
  });

  it('plans the roles of a contact table as incident roles, "Incident Lead" as the commander', () => {
    const roles = find(planOf(fixture('sparrow-cache.md')).objects, 'incident-role');
    expect(roles.map((r) => r.config)).toEqual([{ key: 'commander', name: 'Incident Lead' }, { key: 'storage-owner', name: 'Storage Owner' }]);
  });

  it('plans the roles a roles section describes: table, sub-heading and RACI, with their duties; rotas stay out', () => {
    const plan = planOf(fixture('heron-ledger-roles.md'));
    const roles = find(plan.objects, 'incident-role').map((r) => r.config);
    expect(roles.map((r) => [r.key, r.name])).toEqual([
      ['commander', 'Incident Commander'], ['communications', 'Comms Lead'], ['security-lead', 'Security Lead'],
      ['ledger-sme', 'Ledger SME'], ['scribe', 'Scribe'], ['finance-liaison', 'Finance Liaison'],
    ]);
    expect(roles[0]!.description).toBe('Runs the response, owns decisions, asks for help early');
    expect(roles[4]!.description).toBe('Keeps the timeline in the incident channel.\n- Notes every decision with its time\n- Collects graphs for the post-mortem');
    expect(roles[5]!.description).toBe('Responsible: Tell the auditors\nConsulted: Freeze postings\nInformed: Declare the incident');
    expect(plan.notes.join('\n')).toMatch(/"Ledger on-call" \(contact table\): an on-call rota/);
  });

  it('caps a wait between levels at one day (the policy limit) and says so', () => {
    const plan = planOf('# Doc\n\n## Escalation Path\n\n1. Ops on-call (5 min) → Ops lead (3 days)\n');
    const [policy] = find(plan.objects, 'escalation-policy');
    expect(policy!.config.levels.map((l) => l.after)).toEqual([0, 86_400]);
    expect(policy!.notes.join('\n')).toMatch(/longer than a day; 1 day used/);
  });

  it('is deterministic: the same document gives the same plan', () => {
    expect(planOf(fixture('tidewater-broker.md'))).toEqual(planOf(fixture('tidewater-broker.md')));
  });

  it('plans nothing for a document without process sections', () => {
    expect(planOf('# Disk full\n\n## Steps\n\n```bash\ndf -h\n```\n').objects).toEqual([]);
  });
});
