import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { ImportResult, RunbookDraft, RunbookStep } from './import-runbooks.js';
import { importRunbookDocument } from './import-runbooks.js';

// Four more documents written for these tests (test/fixtures/runbooks/), each in layouts the
// first three do not use: severities as #### headings with bullets, as bold paragraphs and as
// named levels; "Runbook:" / "Scenario N -" titles; inline commands; targets as headings,
// bullets, tables and prose; escalation as arrows, L1/L2/L3 lists and ladder tables.
const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const now = Date.parse('2026-01-01T00:00:00Z');

function load(name: string): ImportResult {
  return importRunbookDocument(readFileSync(path.join(repoRoot, 'test/fixtures/runbooks', name), 'utf8'), { sourceName: name, now });
}

function runbook(result: ImportResult, slug: string): RunbookDraft {
  const found = result.runbooks.find((r) => r.slug === slug);
  if (!found) throw new Error(`no runbook ${slug}; have ${result.runbooks.map((r) => r.slug).join(', ')}`);
  return found;
}

const steps = (rb: RunbookDraft): RunbookStep[] => rb.phases.flatMap((p) => p.steps);
const step = (rb: RunbookDraft, command: string): RunbookStep => {
  const found = steps(rb).find((s) => s.command?.includes(command));
  if (!found) throw new Error(`no step running ${command} in ${rb.slug}`);
  return found;
};

describe('harbor-payments.md: #### severity headings with bullets, "Runbook:" titles, inline commands', () => {
  const result = load('harbor-payments.md');

  it('reads P0–P3 from #### headings with bullet fields, keeping "next business day" unparsed', () => {
    const scheme = result.document.severityScheme!;
    expect(scheme.levels.map((l) => [l.id, l.name, l.responseSeconds, l.resolveSeconds])).toEqual([
      ['P0', 'Outage', 300, 3600],
      ['P1', 'Degraded', 900, 14_400],
      ['P2', 'Minor', 7200, undefined],
      ['P3', 'Cosmetic', undefined, undefined],
    ]);
    expect(scheme.levels[3]!.responseText).toBe('next business day');
    expect(scheme.levels[0]!.examples).toEqual(['acquirer unreachable', 'gateway pods crash-looping']);
  });

  it('strips "Runbook:" from titles and slugs; a scenario without symptoms and with code only inside bullets is still a runbook', () => {
    expect(result.runbooks.map((r) => [r.slug, r.title])).toEqual([
      ['authorisation-failures', 'Authorisation Failures'],
      ['settlement-batch-stuck', 'Settlement Batch Stuck'],
    ]);
  });

  it('reads a target written as a heading and one written as a bullet field', () => {
    expect(runbook(result, 'authorisation-failures').targets).toEqual({ resolveSeconds: 1800 });
    expect(runbook(result, 'settlement-batch-stuck').targets).toEqual({ acknowledgeSeconds: 7200 });
  });

  it('turns "- Command: `…`" bullets into command steps worded by their parent item', () => {
    const rb = runbook(result, 'authorisation-failures');
    const undo = step(rb, 'kubectl rollout undo');
    expect(undo).toMatchObject({ kind: 'command', text: 'If a deploy went out in the last hour, roll it back', optional: true, dangerous: false });
    expect(step(rb, 'kubectl -n harbor get pods').kind).toBe('command');
    const dataLoss = steps(rb).find((s) => s.text.startsWith('Check for data loss'))!;
    expect(dataLoss).toMatchObject({ kind: 'check', dangerous: false });
  });

  it('reads code blocks inside list items and marks the delete', () => {
    const rb = runbook(result, 'settlement-batch-stuck');
    expect(step(rb, 'kubectl -n harbor delete job')).toMatchObject({ dangerous: true, dangerReason: 'deletes Kubernetes resources' });
  });

  it('reads arrow escalation paths; the footer gives an owner and no date is invented', () => {
    expect(result.document.escalation!.paths.map((p) => p.stages)).toEqual([
      ['On-call engineer', 'Payments team lead', 'Head of engineering', 'CTO'],
      ['Suspected fraud', 'Risk on-call', 'CISO'],
    ]);
    expect(result.document.owner).toBe('Payments SRE');
    expect(result.document.reviewedAt).toBeUndefined();
    expect(result.runbooks.every((r) => r.reviewedAt === undefined)).toBe(true);
  });
});

describe('quarry-search.md: SEV table, "Scenario N:" titles, a phased "Storage Issues" section, L1/L2/L3', () => {
  const result = load('quarry-search.md');

  it('makes "Storage Issues" one runbook with its phases, never four runbooks named after them', () => {
    expect(result.runbooks.map((r) => r.slug)).toEqual(['cluster-red', 'storage-issues', 'slow-queries']);
    const storage = runbook(result, 'storage-issues');
    expect(storage.phases.map((p) => p.kind)).toEqual(['symptoms', 'investigation', 'mitigation', 'recovery']);
    expect(storage.phases[2]!.timebox).toEqual({ minSeconds: 600, maxSeconds: 1800 });
  });

  it('reads time boxes from phase headings and targets from prose', () => {
    const rb = runbook(result, 'cluster-red');
    expect(rb.phases.find((p) => p.kind === 'immediate')!.timebox).toEqual({ minSeconds: 0, maxSeconds: 120 });
    expect(rb.targets).toEqual({ acknowledgeSeconds: 300, resolveSeconds: 2700 });
  });

  it('reads the SEV-1–4 table with acknowledge and resolve columns', () => {
    expect(result.document.severityScheme!.levels.map((l) => [l.id, l.responseSeconds, l.resolveSeconds, l.description])).toEqual([
      ['SEV-1', 300, 3600, 'Search down for every tenant'],
      ['SEV-2', 900, 14_400, 'Slow or partial results for many tenants'],
      ['SEV-3', 3600, 172_800, 'One tenant or one index affected'],
      ['SEV-4', undefined, 1_209_600, 'No customer impact'],
    ]);
  });

  it('reads an L1/L2/L3 list with times and conditions', () => {
    expect(result.document.escalation!.paths[0]!.levels).toEqual([
      { level: 'L1', who: 'on-call search engineer', afterSeconds: 0 },
      { level: 'L2', who: 'search team lead', afterSeconds: 600, condition: 'unacknowledged' },
      { level: 'L3', who: 'head of platform', afterSeconds: 2700, condition: 'unresolved' },
    ]);
  });

  it('marks by effect: curl -X DELETE, kubectl drain; "accept the data loss" in a step is the document warning', () => {
    const storage = runbook(result, 'storage-issues');
    expect(step(storage, 'curl -X DELETE').dangerReason).toBe('deletes data');
    expect(step(storage, 'kubectl drain').dangerReason).toBe('evicts every pod from a node');
    expect(step(storage, 'curl -X PUT').dangerous).toBe(false);
    const slow = runbook(result, 'slow-queries');
    expect(steps(slow).find((s) => s.text.startsWith('Check for data loss'))!.dangerous).toBe(false);
  });

  it('reads the italic footer: owner, date, review cycle', () => {
    expect(result.document).toMatchObject({ owner: 'SRE Team', reviewedAt: '2024-12-22', reviewIntervalDays: 91 });
  });
});

describe('lantern-dns.md: titles that say nothing, named levels, ladder table, targets in a table', () => {
  const result = load('lantern-dns.md');

  it('classifies "How Bad Is It?" and "Who To Call" by their content', () => {
    const classes = Object.fromEntries(result.document.outline.map((o) => [o.title, o.classifiedAs]));
    expect(classes).toMatchObject({ 'How Bad Is It?': 'severity-scheme', 'Who To Call': 'escalation' });
  });

  it('reads Critical/High/Medium/Low bold paragraphs with prose response times', () => {
    const scheme = result.document.severityScheme!;
    expect(scheme.prefix).toBe('NAMED');
    expect(scheme.levels.map((l) => [l.id, l.responseSeconds, l.resolveSeconds])).toEqual([
      ['CRITICAL', 300, 3600],
      ['HIGH', 900, undefined],
      ['MEDIUM', 14_400, undefined],
      ['LOW', undefined, undefined],
    ]);
    expect(scheme.levels[3]!.responseText).toBe('next business day');
  });

  it('reads a ladder table with an "After" column', () => {
    expect(result.document.escalation!.paths[0]!.levels!.map((l) => [l.level, l.who, l.afterSeconds])).toEqual([
      ['L1', 'Network on-call', 0],
      ['L2', 'Network team lead', 900],
      ['L3', 'VP Infrastructure', 3600],
    ]);
  });

  it('reads plain titles, targets from a table and from prose, inline commands after a colon', () => {
    expect(result.runbooks.map((r) => r.slug)).toEqual(['resolver-not-answering', 'zone-transfer-broken', 'cache-poisoning-suspected']);
    expect(runbook(result, 'resolver-not-answering').targets).toEqual({ mitigateSeconds: 1200, acknowledgeSeconds: 300, resolveSeconds: 2400 });
    const zone = runbook(result, 'zone-transfer-broken');
    expect(step(zone, 'dig +short SOA')).toMatchObject({ kind: 'command', text: 'Check the serial on each secondary' });
    expect(step(zone, 'rndc retransfer').kind).toBe('command');
    expect(step(zone, 'iptables -F').dangerReason).toBe('flushes or rewrites firewall rules');
    expect(step(runbook(result, 'cache-poisoning-suspected'), 'rndc dumpdb').kind).toBe('command');
    expect(step(runbook(result, 'resolver-not-answering'), 'systemctl stop bird').dangerReason).toBe('stops or disables a service');
  });

  it('takes the owner from front matter and never invents a date from "TBD"', () => {
    expect(runbook(result, 'zone-transfer-broken').owner).toBe('Network Reliability');
    expect(result.document.reviewedAt).toBeUndefined();
  });
});

describe('meadow-ledger-db.md: P1–P4 bold paragraphs, container with "Scenario N -" runbooks, document sections named like phases', () => {
  const result = load('meadow-ledger-db.md');

  it('does not mistake "Escalation Path" / "Communication Templates" / "Post-Incident Checklist" for phases of one runbook', () => {
    expect(result.runbooks.map((r) => [r.slug, r.path])).toEqual([
      ['replica-lag', ['Database Incidents']],
      ['primary-down', ['Database Incidents']],
    ]);
    expect(result.document.templates.map((t) => t.title)).toEqual(['Initial Notice']);
    expect(result.document.checklists.map((c) => c.items.length)).toEqual([3]);
  });

  it('reads P1–P4 as bold leads with field lines ("Response: immediate" is zero)', () => {
    expect(result.document.severityScheme!.levels.map((l) => [l.id, l.name, l.responseSeconds, l.resolveSeconds])).toEqual([
      ['P1', 'Critical', 0, 7200],
      ['P2', 'High', 1800, 28_800],
      ['P3', 'Medium', 14_400, undefined],
      ['P4', 'Low', 259_200, undefined],
    ]);
  });

  it('reads an arrow path with times and a condition/action table', () => {
    const escalation = result.document.escalation!;
    expect(escalation.paths[0]!.levels).toEqual([
      { level: 'L1', who: 'Database on-call', afterSeconds: 300 },
      { level: 'L2', who: 'DBA lead', afterSeconds: 900 },
      { level: 'L3', who: 'Engineering manager' },
      { level: 'L4', who: 'CTO', note: 'P1 only' },
    ]);
    expect(escalation.rules.map((r) => r.condition)).toEqual(['Primary down more than 10 minutes', 'Any suspected data corruption']);
  });

  it('marks pg_terminate_backend, kubectl patch … remove, pg_ctl promote and systemctl stop; not the data-loss check', () => {
    const lag = runbook(result, 'replica-lag');
    expect(step(lag, 'pg_terminate_backend').dangerReason).toBe('terminates database sessions');
    expect(step(lag, 'kubectl patch').dangerReason).toBe('removes fields from a Kubernetes resource');
    expect(step(lag, 'psql -h replica-1').dangerous).toBe(false);
    const down = runbook(result, 'primary-down');
    expect(step(down, 'pg_ctl promote').dangerReason).toBe('promotes a replica (split-brain risk)');
    expect(step(down, 'systemctl stop postgresql').dangerReason).toBe('stops or disables a service');
    expect(steps(down).find((s) => s.text.startsWith('Check for data loss'))!.dangerous).toBe(false);
  });
});
