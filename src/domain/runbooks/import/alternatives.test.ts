import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { alternativeSets, type AlternativeCandidate } from './alternatives.js';
import { importRunbookDocument } from './document.js';

const c = (title: string, firstParagraph = '', actionable = true): AlternativeCandidate => ({ title, firstParagraph, actionable });

describe('alternativeSets', () => {
  it.each([
    ['a parent naming a choice makes every actionable child a path', 'Mitigation Workflows', [c('Worker down'), c('Coordinator down'), c('Background', '', false)], [[0, 1]]],
    ['options under a plain parent, by their titles', 'Fix', [c('Option A: restart'), c('Option B: rebuild')], [[0, 1]]],
    ['conditions in the titles', 'Recovery', [c('If the primary answers'), c('If the primary is gone')], [[0, 1]]],
    ['conditions in the first paragraph', 'Recovery', [c('Restart it', 'When: the process hung.'), c('Rebuild it', '**When**: the disk is damaged.')], [[0, 1]]],
    ['a shared stem with a qualifier', 'Mitigation', [c('Node failure (worker)'), c('Node failure (coordinator)'), c('Network partition')], [[0, 1]]],
    ['three shared first words', 'Mitigation', [c('Failover to region east'), c('Failover to region west')], [[0, 1]]],
    ['two shared first words are a sequence as often as a choice', 'Investigation', [c('Check disk usage'), c('Check disk latency')], []],
    ['numbered children are a sequence', 'Cleanup options', [c('Step 1: Rotate logs'), c('Step 2: Compact')], []],
    ['"1." children are a sequence', 'Procedures by region', [c('1. Drain'), c('2. Restart')], []],
    ['one actionable child is no choice', 'Options', [c('Restart'), c('Notes', '', false)], []],
    ['ordinary sibling sections are not alternatives', 'Mitigation', [c('Scale up'), c('Restart pods'), c('Verify')], []],
  ])('%s', (_name, parent, candidates, expected) => {
    expect(alternativeSets(parent, candidates).map((s) => s.members)).toEqual(expected);
  });

  it('names a stem set after its shared words', () => {
    expect(alternativeSets('Recovery', [c('Quorum loss with recoverable nodes'), c('Quorum loss with unrecoverable nodes')])).toEqual([
      { title: 'Quorum loss with', members: [0, 1] },
    ]);
  });
});

describe('alternative paths in an imported document (test/fixtures/runbooks/osprey-replication.md)', () => {
  const markdown = readFileSync(new URL('../../../../test/fixtures/runbooks/osprey-replication.md', import.meta.url), 'utf8');
  const result = importRunbookDocument(markdown, { sourceName: 'osprey-replication.md', now: 0 });
  const bySlug = new Map(result.runbooks.map((r) => [r.slug, r]));

  it('finds the choices and tags each path\'s steps', () => {
    const lag = bySlug.get('replica-lag')!;
    expect(lag.alternatives?.map((a) => [a.title, a.options])).toEqual([['Remediation Options', ['Restart the lagging replica', 'Rebuild the replica from a snapshot']]]);
    const steps = lag.phases.flatMap((p) => p.steps);
    expect(steps.filter((s) => s.path?.option === 0).map((s) => s.command)).toEqual(['osprey-ctl route --exclude <replica-id>\nsystemctl restart osprey-replica']);
    expect(steps.filter((s) => s.path?.option === 1).map((s) => s.command)).toEqual(['osprey-ctl snapshot restore --latest --target <replica-id>']);
    // Steps outside the choice belong to every path.
    expect(steps.filter((s) => !s.path).length).toBeGreaterThanOrEqual(3);
  });

  it('finds choices between phases and inside a phase of the same runbook', () => {
    const primary = bySlug.get('primary-unreachable')!;
    expect(primary.alternatives?.map((a) => a.options)).toEqual([
      ['Failover to region east', 'Failover to region west'],
      ['If the old primary answers on the admin port', 'If the old primary is gone for good'],
    ]);
  });

  it('leaves sequences alone', () => {
    expect(bySlug.get('disk-pressure')!.alternatives).toBeUndefined();
  });
});
