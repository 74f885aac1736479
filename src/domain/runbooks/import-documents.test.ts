import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { importRunbookDocument } from './import-runbooks.js';
import type { ImportResult, RunbookDraft } from './import-runbooks.js';

// Documents written for these tests, each in the layout another team might use
// (test/fixtures/runbooks/): a table-driven ops guide, a numbered response process, a handbook.
const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const fixtures = path.join(repoRoot, 'test/fixtures/runbooks');
const now = Date.parse('2026-01-01T00:00:00Z');

function load(name: string): ImportResult {
  return importRunbookDocument(readFileSync(path.join(fixtures, name), 'utf8'), { sourceName: name, now });
}

function runbook(result: ImportResult, slug: string): RunbookDraft {
  const found = result.runbooks.find((r) => r.slug === slug);
  if (!found) throw new Error(`no runbook ${slug}; have ${result.runbooks.map((r) => r.slug).join(', ')}`);
  return found;
}

const steps = (rb: RunbookDraft) => rb.phases.flatMap((p) => p.steps);

describe('tidewater-broker.md', () => {
  const result = load('tidewater-broker.md');
  const { document: doc, report } = result;

  it('finds the title, the scenarios and the footer metadata', () => {
    expect(doc.title).toBe('Tidewater Broker — Operations Runbook');
    expect(result.runbooks.map((r) => r.slug)).toEqual([
      'broker-loss',
      'controller-election-recovery',
      'tenant-leak-response',
      'log-segment-repair',
      'consumer-lag',
      'credential-compromise',
      'load-test-cleanup',
    ]);
    expect(doc.owner).toBe('Streaming Platform Team');
    expect(doc.reviewIntervalDays).toBe(30);
    // "March 2025" names a month: its last day.
    expect(doc.reviewedAt).toBe('2025-03-31');
    expect(runbook(result, 'consumer-lag').owner).toBe('Streaming Platform Team');
  });

  it('reads the P1–P4 table whatever the order of its columns', () => {
    const scheme = doc.severityScheme!;
    expect(scheme.label).toBe('P1–P4');
    expect(scheme.levels.map((l) => [l.id, l.name, l.responseSeconds])).toEqual([
      ['P1', 'Critical', 600],
      ['P2', 'High', 2700],
      ['P3', 'Medium', 14_400],
      ['P4', 'Low', 259_200],
    ]);
    expect(scheme.levels[0]!.escalation).toBe('On-call and the head of engineering');
    expect(scheme.levels[0]!.description).toBe('Producers rejected everywhere, messages lost or exposed');
  });

  it('turns the broker-loss scenario into phases with ordered command steps', () => {
    const rb = runbook(result, 'broker-loss');
    expect(rb.phases.map((p) => p.kind)).toEqual(['symptoms', 'investigation', 'mitigation', 'escalation']);
    const triage = rb.phases[1]!;
    expect(triage.steps).toHaveLength(4);
    expect(triage.steps.every((s) => s.kind === 'command' && s.language === 'bash')).toBe(true);
    expect(triage.steps[2]!.command).toBe('kubectl describe pod <broker-name> -n tidewater');
    expect(triage.steps[2]!.placeholders).toEqual(['<broker-name>']);
    const mitigation = rb.phases[2]!;
    // Two alternative workflows, three steps each, kept apart by their sub-heading.
    expect(mitigation.steps).toHaveLength(6);
    expect(new Set(mitigation.steps.map((s) => s.group))).toEqual(new Set(['Lost Broker With Healthy Disk', 'Lost Broker With Failed Disk']));
    const del = mitigation.steps[1]!;
    expect(del.command).toBe('kubectl delete pod <broker-pod> -n tidewater');
    expect(del.dangerous).toBe(true);
    expect(mitigation.steps[4]!.placeholders).toEqual(['<broker-id>']);
    // "Time to Mitigate: 5-15 / 20-40 minutes": the target holds on every path.
    expect(rb.targets.mitigateSeconds).toBe(40 * 60);
    expect(rb.matchers).toEqual([{ name: 'alertname', op: '=', value: 'TidewaterBrokerDown' }]);
  });

  it('marks the documented danger on the quorum rebuild step', () => {
    const rb = runbook(result, 'controller-election-recovery');
    const rebuild = steps(rb).find((s) => s.command?.includes('quorum rebuild'))!;
    expect(rebuild.dangerous).toBe(true);
    expect(rebuild.warned).toBe(true);
    expect(rebuild.dangerReason).toContain('lose committed metadata');
    expect(rebuild.placeholders).toEqual(['$LAST_VOTER']);
    // `leader=$(…)`, `$leader` and `$attempt` are shell, not blanks to fill.
    const loop = steps(rb).find((s) => s.command?.startsWith('for attempt'))!;
    expect(loop.command!.split('\n')).toHaveLength(5);
    expect(steps(rb).flatMap((s) => s.placeholders)).not.toContain('$leader');
    expect(steps(rb).flatMap((s) => s.placeholders)).toEqual(['<voter-pod>', '$LAST_VOTER']);
    expect(rb.phases.at(-1)!.kind).toBe('verification');
    // "Background" is context, kept readable rather than made into steps.
    expect(rb.unclassifiedMarkdown[0]).toContain('two must agree');
  });

  it('reads the tenant leak severity, time box and placeholders', () => {
    const rb = runbook(result, 'tenant-leak-response');
    expect(rb.severity).toBe('P1');
    expect(rb.targets.acknowledgeSeconds).toBe(600);
    const immediate = rb.phases.find((p) => p.kind === 'immediate')!;
    expect(immediate.timebox).toEqual({ minSeconds: 0, maxSeconds: 600 });
    expect(immediate.steps).toHaveLength(3);
    expect(immediate.steps[0]!.placeholders).toEqual(['<BROKER_ID>']);
    const investigation = rb.phases.find((p) => p.kind === 'investigation')!;
    expect(investigation.steps[0]!.placeholders).toEqual(['$BROKER_ID']);
    expect(rb.phases.map((p) => p.kind)).toEqual(['symptoms', 'immediate', 'investigation', 'post-incident']);
  });

  it('maps the alert reference table to runbooks', () => {
    expect(doc.alertReferences.map((r) => [r.alert, r.runbookSlug])).toEqual([
      ['TidewaterBrokerDown', 'broker-loss'],
      ['TidewaterNoController', 'controller-election-recovery'],
      ['TidewaterTenantLeak', 'tenant-leak-response'],
      ['TidewaterLagHigh', 'consumer-lag'],
      ['TidewaterCertExpiring', 'credential-compromise'],
    ]);
    expect(runbook(result, 'credential-compromise').matchers.map((m) => m.value)).toEqual(['TidewaterCertExpiring']);
    expect(runbook(result, 'log-segment-repair').matchers).toEqual([]);
  });

  it('keeps escalation, checklists, templates and leaves the rest readable', () => {
    expect(doc.escalation!.rules).toHaveLength(3);
    expect(doc.escalation!.rules[1]).toMatchObject({ condition: 'Controller unreachable', actions: ['Page on-call + streaming lead'] });
    expect(doc.checklists.map((c) => [c.title, c.items.length])).toEqual([
      ['First Ten Minutes', 5],
      ['The Loop', 3],
    ]);
    expect(doc.templates.map((t) => [t.kind, t.title])).toEqual([
      ['communication', 'Incident Opened'],
      ['communication', 'Incident Closed'],
    ]);
    expect(doc.templates[1]!.placeholders).toEqual(['{what was broken}', '{one sentence}', '{date}']);
    expect(doc.templates[1]!.placeholders).not.toContain('[RESOLVED]');
    expect(report.unclassified.map((u) => u.line)).toEqual([126]);
    expect(report.recognised).toMatchObject({ runbooks: 7, severityLevels: 4, escalationRules: 3, templates: 2, alertReferences: 5, commandSteps: 32, dangerousSteps: 4 });
  });

  it('lints: every runbook is past its monthly review from March 2025', () => {
    for (const entry of report.lint) expect(entry.warnings.map((w) => w.code)).toContain('review-overdue');
    const lag = report.lint.find((l) => l.runbook === 'consumer-lag')!;
    expect(lag.warnings.map((w) => w.code)).toEqual(expect.arrayContaining(['no-verification', 'no-target']));
    const segments = report.lint.find((l) => l.runbook === 'log-segment-repair')!;
    expect(segments.warnings.map((w) => w.code)).toContain('no-matchers');
  });
});

describe('ledgerline-service.md', () => {
  const result = load('ledgerline-service.md');
  const { document: doc } = result;

  it('reads the SEV-1–3 scheme from headings, with examples and Immediate response', () => {
    const scheme = doc.severityScheme!;
    expect(scheme.label).toBe('SEV-1–SEV-3');
    expect(scheme.levels.map((l) => [l.id, l.name, l.responseSeconds, l.examples.length])).toEqual([
      ['SEV-1', 'Critical', 0, 3],
      ['SEV-2', 'High', 600, 3],
      ['SEV-3', 'Medium', 7200, 2],
    ]);
    expect(scheme.levels[1]!.examples[0]).toBe('Posting errors above 3%');
    expect(scheme.levels[2]!.description).toBe('some customers affected, a workaround exists');
  });

  it('turns the 8-step process into one runbook', () => {
    const rb = runbook(result, 'response-process');
    expect(rb.phases.map((p) => p.kind)).toEqual([
      'detection', 'immediate', 'escalation', 'investigation', 'mitigation', 'communication', 'verification', 'post-incident',
    ]);
    expect(rb.phases[1]!.timebox).toEqual({ minSeconds: 0, maxSeconds: 600 });
    const escalation = rb.phases[2]!;
    // A ```bash block that holds a numbered list is a list of checks, not commands.
    expect(escalation.steps.map((s) => s.kind)).toEqual(Array(5).fill('check'));
    expect(escalation.steps[0]).toMatchObject({ text: 'Page the ledger engineering manager', group: 'SEV-1 Escalation' });
    expect(escalation.steps[4]).toMatchObject({ text: 'Ask for a second responder', group: 'SEV-2 Escalation' });
    const verify = rb.phases[6]!.steps.filter((s) => s.group === 'Confirm the Fix');
    expect(verify).toHaveLength(3);
    expect(verify[0]!.expect).toBe('Should be below 0.5%');
    expect(verify[1]!.expect).toBe('p99 should be under 400ms');
    expect(verify[2]).toMatchObject({ command: './scripts/ledger-reconcile --dry-run' });
    expect(verify[2]!.expect).toBeUndefined();
    const database = rb.phases[3]!.steps.find((s) => s.group === 'Database')!;
    expect(database.placeholders).toEqual(['$LEDGER_DB_URL']);
  });

  it('finds the two common scenarios with symptoms, causes and quick fixes', () => {
    for (const slug of ['postings-rejected', 'slow-postings']) {
      expect(runbook(result, slug).phases.map((p) => p.kind)).toEqual(['symptoms', 'causes', 'mitigation']);
    }
    const rejected = runbook(result, 'postings-rejected');
    expect(rejected.phases[0]!.steps[0]).toMatchObject({
      kind: 'command', command: 'kubectl logs -n ledger -l app=ledgerline --since=5m | grep -c "posting rejected"', expect: 'Hundreds of rejections a minute',
    });
    expect(rejected.phases[1]!.steps).toHaveLength(3);
    expect(rejected.phases[2]!.steps[0]!.placeholders).toEqual(['<client-id>']);
    expect(rejected.related).toEqual(['[Journal Constraints Runbook](journal-constraints.md)']);
    expect(runbook(result, 'slow-postings').phases[2]!.steps.map((s) => s.command)).toEqual([
      'kubectl scale deployment ledgerline --replicas=8 -n ledger',
      'kubectl top pods -n ledger',
    ]);
  });

  it('keeps status, timeline, post-mortem and hand-off templates and the phase checklists', () => {
    expect(doc.templates.map((t) => t.kind)).toEqual(['status-update', 'timeline', 'postmortem', 'handoff']);
    expect(doc.templates[2]!.markdown).toContain('## Action Items');
    expect(doc.templates[3]!.placeholders).toEqual(['[title]', '[what is true now]', '[what the next person does]']);
    expect(doc.checklists.map((c) => [c.title, c.items.length, c.timebox?.maxSeconds])).toEqual([
      ['Take the Page', 3, 600],
      ['Dig In', 3, 1800],
      ['Close Out', 2, 259_200],
    ]);
    expect(doc.escalation!.rules.map((r) => [r.severity, r.actions.length])).toEqual([['SEV-1', 3], ['SEV-2', 2]]);
    expect(result.report.unclassified).toHaveLength(1);
    expect(doc.unclassifiedMarkdown[0]).toContain('[Capacity](capacity.md)');
  });
});

describe('sparrow-cache.md', () => {
  const result = load('sparrow-cache.md');
  const { document: doc } = result;

  it('reads P0–P3, incident types, on-call roles and escalation paths', () => {
    expect(doc.severityScheme!.levels.map((l) => [l.id, l.responseSeconds, l.examples])).toEqual([
      ['P0', 600, ['Cache API down', 'blob store lost']],
      ['P1', 1800, ['Eviction storm', 'upload errors']],
      ['P2', 28_800, ['Stale index in one region']],
      ['P3', 432_000, ['Dashboard typos']],
    ]);
    expect(doc.incidentTypes).toHaveLength(3);
    expect(doc.incidentTypes[1]).toEqual({ name: 'Poisoning', description: 'the cache serves an output that does not match its key' });
    expect(doc.escalation!.roles[0]).toEqual({ role: 'Incident Lead', primary: 'Priya Raman', secondary: 'Tomás Ortega', contact: '+1-555-0190' });
    expect(doc.escalation!.paths.map((p) => p.stages.length)).toEqual([3, 3]);
    expect(doc.escalation!.paths[1]!.stages).toEqual(['Suspected poisoning', 'Security on-call', 'CISO']);
  });

  it('finds five runbooks, severity inherited from their section', () => {
    expect(result.runbooks.map((r) => [r.slug, r.severity ?? null])).toEqual([
      ['p0-cache-down', 'P0'],
      ['eviction-storm', 'P1'],
      ['upload-errors', 'P1'],
      ['memory-growth', null],
      ['index-corruption', null],
    ]);
    expect(runbook(result, 'eviction-storm').targets.acknowledgeSeconds).toBe(1800);
    expect(runbook(result, 'p0-cache-down').targets.acknowledgeSeconds).toBe(600);
  });

  it('steps through the P0 response with numbered items and their commands', () => {
    const rb = runbook(result, 'p0-cache-down');
    expect(rb.phases.map((p) => [p.kind, p.timebox?.maxSeconds])).toEqual([
      ['immediate', 600], ['investigation', 2400], ['mitigation', undefined], ['verification', undefined],
    ]);
    const immediate = rb.phases[0]!.steps;
    expect(immediate).toHaveLength(5);
    expect(immediate[0]).toMatchObject({ kind: 'command', text: 'Tell CI users', placeholders: ['$CI_BANNER_TOKEN'] });
    expect(immediate[1]).toMatchObject({ kind: 'check', text: 'Page the incident lead', lead: 'Bring in help' });
    expect(immediate.filter((s) => s.lead === 'Look at the service').map((s) => s.command)).toEqual([
      'curl -fsS https://sparrow.example.com/healthz',
      'kubectl get pods -n sparrow',
    ]);
    const containment = rb.phases[2]!.steps;
    expect(containment.every((s) => s.optional)).toBe(true);
    expect(containment.find((s) => s.command?.startsWith('kubectl delete pod -l app=sparrow-index'))!.dangerous).toBe(true);
  });

  it('keeps a multi-line python -c command in one step', () => {
    const rb = runbook(result, 'memory-growth');
    const py = steps(rb).find((s) => s.command?.includes('python3 -c'))!;
    expect(py.command!.split('\n')).toHaveLength(6);
    expect(py.placeholders).toEqual([]);
  });

  it('infers phases for flat procedures and flags a restore as dangerous', () => {
    const rb = runbook(result, 'index-corruption');
    expect(rb.phases.map((p) => p.kind)).toEqual(['investigation', 'mitigation']);
    expect(rb.phases[1]!.steps.filter((s) => s.dangerous).map((s) => s.dangerReason)).toEqual([
      'scales the service to zero',
      'overwrites current data with a restore',
    ]);
  });

  it('keeps the three message templates and the follow-up checklists', () => {
    expect(doc.templates.map((t) => [t.kind, t.title])).toEqual([
      ['communication', 'First Notice'],
      ['status-update', 'Status Update'],
      ['communication', 'All Clear'],
    ]);
    expect(doc.templates[0]!.placeholders).toContain('[slower / failing]');
    expect(doc.checklists.map((c) => [c.title, c.items.length])).toEqual([['Same Day', 3], ['Within a Week', 2]]);
    expect(doc.checklists[0]!.items[0]).toEqual({ text: 'Start the incident report', checked: false, group: 'Write it down' });
  });
});

describe('never drops text', () => {
  it.each(['tidewater-broker.md', 'ledgerline-service.md', 'sparrow-cache.md'])('%s: every line is kept somewhere', (name) => {
    const source = readFileSync(path.join(fixtures, name), 'utf8');
    const result = load(name);
    const kept = [...result.runbooks.map((r) => r.sourceMarkdown), ...result.document.outline.map((o) => o.markdown ?? '')].join('\n');
    for (const line of source.split('\n')) if (line.trim()) expect(kept).toContain(line.trim());
  });
});
