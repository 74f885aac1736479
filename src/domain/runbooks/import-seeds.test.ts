import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { importRunbookDocument } from './import-runbooks.js';
import type { ImportResult, RunbookDraft } from './import-runbooks.js';

// The seeds are real teams' documents; they live outside the repo and are only read here.
const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const seeds = path.resolve(repoRoot, '../shared/seeds');
const now = Date.parse('2026-01-01T00:00:00Z');

function load(name: string): ImportResult {
  return importRunbookDocument(readFileSync(path.join(seeds, name), 'utf8'), { sourceName: name, now });
}

function runbook(result: ImportResult, slug: string): RunbookDraft {
  const found = result.runbooks.find((r) => r.slug === slug);
  if (!found) throw new Error(`no runbook ${slug}; have ${result.runbooks.map((r) => r.slug).join(', ')}`);
  return found;
}

const steps = (rb: RunbookDraft) => rb.phases.flatMap((p) => p.steps);

describe('grey-distributed-runbook.md', () => {
  const result = load('grey-distributed-runbook.md');
  const { document: doc, report } = result;

  it('finds the title, the scenarios and the footer metadata', () => {
    expect(doc.title).toBe('Grey Distributed — Incident Response Runbook');
    expect(result.runbooks.map((r) => r.slug)).toEqual([
      'failure-detection-escalation',
      'consensus-reconfiguration',
      'isolation-breach-response',
      'data-corruption-recovery',
      'performance-degradation',
      'security-incident-response',
      'stop-chaos-experiment',
      'restore-normal-operations',
    ]);
    expect(doc.owner).toBe('Grey Platform Team');
    expect(doc.reviewIntervalDays).toBe(91);
    expect(doc.reviewedAt).toBe('2024-12-31');
    expect(runbook(result, 'consensus-reconfiguration').owner).toBe('Grey Platform Team');
  });

  it('reads the P1–P4 severity table with response targets and escalation', () => {
    const scheme = doc.severityScheme!;
    expect(scheme.label).toBe('P1–P4');
    expect(scheme.levels.map((l) => [l.id, l.name, l.responseSeconds])).toEqual([
      ['P1', 'Critical', 900],
      ['P2', 'High', 1800],
      ['P3', 'Medium', 7200],
      ['P4', 'Low', 86_400],
    ]);
    expect(scheme.levels[0]!.escalation).toBe('Immediate on-call + leadership');
    expect(scheme.levels[0]!.description).toBe('Complete cluster outage, data loss risk, security breach');
  });

  it('turns the failure-detection scenario into phases with ordered command steps', () => {
    const rb = runbook(result, 'failure-detection-escalation');
    expect(rb.phases.map((p) => p.kind)).toEqual(['symptoms', 'detection', 'investigation', 'mitigation', 'escalation']);
    const triage = rb.phases[2]!;
    expect(triage.steps).toHaveLength(5);
    expect(triage.steps.every((s) => s.kind === 'command' && s.language === 'bash')).toBe(true);
    expect(triage.steps[2]!.command).toBe('kubectl describe pod <pod-name> -n grey-system');
    expect(triage.steps[2]!.placeholders).toEqual(['<pod-name>']);
    const mitigation = rb.phases[3]!;
    // Three alternative workflows, five steps each, kept apart by their sub-heading.
    expect(mitigation.steps).toHaveLength(15);
    expect(new Set(mitigation.steps.map((s) => s.group))).toEqual(
      new Set(['Single Node Failure (Worker)', 'Single Node Failure (Coordinator)', 'Multiple Node Failure']),
    );
    const del = mitigation.steps[1]!;
    expect(del.command).toBe('kubectl delete pod <pod-name> -n grey-system');
    expect(del.dangerous).toBe(true);
    // "Time to Mitigate: 5-10 / 10-15 / 15-30 minutes": the target holds on every path.
    expect(rb.targets.mitigateSeconds).toBe(30 * 60);
    expect(rb.matchers).toEqual([{ name: 'alertname', op: '=', value: 'GreyNodeDown' }]);
  });

  it('marks the documented danger on the force-new-cluster step', () => {
    const rb = runbook(result, 'consensus-reconfiguration');
    const force = steps(rb).find((s) => s.command?.includes('force-new-cluster'))!;
    expect(force.dangerous).toBe(true);
    expect(force.warned).toBe(true);
    expect(force.dangerReason).toContain('data loss');
    expect(force.placeholders).toEqual(['$SURVIVING_NODE']);
    // `$quorum`, `$i` and `SURVIVING=$(…)` are shell, not blanks to fill.
    expect(steps(rb).flatMap((s) => s.placeholders)).not.toContain('$SURVIVING');
    expect(rb.phases.at(-1)!.kind).toBe('verification');
    // "Understanding Quorum" is background, kept readable rather than made into steps.
    expect(rb.unclassifiedMarkdown[0]).toContain('Need 3 for quorum');
  });

  it('reads the isolation breach severity, time box and placeholders', () => {
    const rb = runbook(result, 'isolation-breach-response');
    expect(rb.severity).toBe('P1');
    expect(rb.targets.acknowledgeSeconds).toBe(900);
    const immediate = rb.phases.find((p) => p.kind === 'immediate')!;
    expect(immediate.timebox).toEqual({ minSeconds: 0, maxSeconds: 300 });
    expect(immediate.steps).toHaveLength(4);
    expect(immediate.steps[0]!.placeholders).toEqual(['<NODE_ID>']);
    const investigation = rb.phases.find((p) => p.kind === 'investigation')!;
    expect(investigation.steps[0]!.placeholders).toEqual(['$NODE_ID']);
    expect(rb.phases.map((p) => p.kind)).toEqual(['symptoms', 'immediate', 'investigation', 'mitigation', 'post-incident']);
  });

  it('maps the alert reference table to runbooks', () => {
    expect(doc.alertReferences.map((r) => [r.alert, r.runbookSlug])).toEqual([
      ['GreyNodeDown', 'failure-detection-escalation'],
      ['GreyQuorumLost', 'consensus-reconfiguration'],
      ['GreyIsolationViolation', 'isolation-breach-response'],
      ['GreyLatencyHigh', 'performance-degradation'],
      ['GreyCertExpiringSoon', 'security-incident-response'],
    ]);
    expect(runbook(result, 'security-incident-response').matchers.map((m) => m.value)).toEqual(['GreyCertExpiringSoon']);
  });

  it('keeps escalation, checklists, templates and leaves the rest readable', () => {
    expect(doc.escalation!.rules).toHaveLength(5);
    expect(doc.escalation!.rules[2]).toMatchObject({ condition: 'Quorum lost', actions: ['Page on-call + team lead'] });
    expect(doc.checklists.map((c) => [c.title, c.items.length])).toEqual([
      ['OODA Loop for Incidents', 4],
      ['Initial Response Checklist', 7],
    ]);
    expect(doc.templates.map((t) => [t.kind, t.title])).toEqual([
      ['communication', 'Incident Declaration'],
      ['communication', 'Resolution Notification'],
    ]);
    expect(doc.templates[1]!.placeholders).toContain('{date}');
    expect(doc.templates[1]!.placeholders).not.toContain('[RESOLVED]');
    expect(report.unclassified.map((u) => u.line)).toEqual([178, 607, 626]);
    expect(report.recognised).toMatchObject({ runbooks: 8, severityLevels: 4, escalationRules: 5, templates: 2, alertReferences: 5, commandSteps: 76 });
  });

  it('lints: every runbook is past its quarterly review from 2024', () => {
    for (const entry of report.lint) expect(entry.warnings.map((w) => w.code)).toContain('review-overdue');
    const perf = report.lint.find((l) => l.runbook === 'performance-degradation')!;
    expect(perf.warnings.map((w) => w.code)).toEqual(expect.arrayContaining(['no-verification', 'no-target']));
  });
});

describe('inferadb-runbook.md', () => {
  const result = load('inferadb-runbook.md');
  const { document: doc } = result;

  it('reads the SEV-1–4 scheme from headings, with examples and Immediate response', () => {
    const scheme = doc.severityScheme!;
    expect(scheme.label).toBe('SEV-1–SEV-4');
    expect(scheme.levels.map((l) => [l.id, l.name, l.responseSeconds, l.examples.length])).toEqual([
      ['SEV-1', 'Critical', 0, 4],
      ['SEV-2', 'High', 900, 4],
      ['SEV-3', 'Medium', 3600, 4],
      ['SEV-4', 'Low', 14_400, 3],
    ]);
    expect(scheme.levels[1]!.examples[0]).toBe('High error rate (>5%)');
  });

  it('turns the 8-phase process into one runbook', () => {
    const rb = runbook(result, 'incident-response-process');
    expect(rb.phases.map((p) => p.kind)).toEqual([
      'detection', 'immediate', 'escalation', 'investigation', 'mitigation', 'communication', 'verification', 'post-incident',
    ]);
    const escalation = rb.phases[2]!;
    // A ```bash block that holds a numbered list is a list of checks, not commands.
    expect(escalation.steps.map((s) => s.kind)).toEqual(Array(7).fill('check'));
    expect(escalation.steps[0]).toMatchObject({ text: 'Page on-call manager', group: 'SEV-1 Escalation' });
    const verify = rb.phases[6]!.steps.filter((s) => s.group === 'Verify Fix');
    expect(verify).toHaveLength(4);
    expect(verify[1]!.expect).toBe('Should be <0.1%');
    expect(verify[2]!.expect).toBe('p99 should be <100ms');
  });

  it('finds the three common scenarios with symptoms, causes and quick fixes', () => {
    for (const slug of ['all-pods-failing', 'high-error-rate', 'high-latency']) {
      expect(runbook(result, slug).phases.map((p) => p.kind)).toEqual(['symptoms', 'causes', 'mitigation']);
    }
    const pods = runbook(result, 'all-pods-failing');
    expect(pods.phases[0]!.steps[0]).toMatchObject({ kind: 'command', command: 'kubectl get pods -n inferadb', expect: 'All pods in CrashLoopBackOff or Error' });
    expect(pods.phases[1]!.steps).toHaveLength(4);
    expect(pods.related).toEqual(['[Service Outage Runbook](service-outage.md)']);
    expect(runbook(result, 'high-latency').phases[2]!.steps.map((s) => s.command)).toEqual([
      'kubectl scale deployment inferadb --replicas=10 -n inferadb',
      'kubectl top pods -n inferadb',
    ]);
  });

  it('keeps status, timeline, post-mortem and hand-off templates and the phase checklists', () => {
    expect(doc.templates.map((t) => t.kind)).toEqual(['status-update', 'timeline', 'postmortem', 'handoff']);
    expect(doc.templates[2]!.markdown).toContain('## Action Items');
    expect(doc.checklists.map((c) => [c.title, c.items.length, c.timebox?.maxSeconds])).toEqual([
      ['Detection & Initial Response', 4, 300],
      ['Investigation', 5, 900],
      ['Mitigation', 4, 1800],
      ['Resolution', 4, undefined],
      ['Post-Incident', 4, 172_800],
    ]);
    expect(doc.escalation!.rules.map((r) => [r.severity, r.actions.length])).toEqual([['SEV-1', 4], ['SEV-2', 3]]);
    expect(result.report.unclassified).toHaveLength(1);
    expect(doc.unclassifiedMarkdown[0]).toContain('[Scaling](scaling.md)');
  });
});

describe('pipeline-guard-runbook.md', () => {
  const result = load('pipeline-guard-runbook.md');
  const { document: doc } = result;

  it('reads P0–P3, incident types, on-call roles and escalation paths', () => {
    expect(doc.severityScheme!.levels.map((l) => [l.id, l.responseSeconds, l.examples])).toEqual([
      ['P0', 900, ['API completely down', 'database failure']],
      ['P1', 3600, ['Healing strategies not working', 'webhook failures']],
      ['P2', 14_400, ['Dashboard issues', 'delayed notifications']],
      ['P3', 86_400, ['UI glitches', 'documentation errors']],
    ]);
    expect(doc.incidentTypes).toHaveLength(6);
    expect(doc.incidentTypes[0]).toEqual({ name: 'Service Outage', description: 'Core services unavailable' });
    expect(doc.escalation!.roles[0]).toEqual({ role: 'Incident Commander', primary: 'John Doe', secondary: 'Jane Smith', contact: '+1-555-0100' });
    expect(doc.escalation!.paths.map((p) => p.stages.length)).toEqual([4, 4, 3]);
    expect(doc.escalation!.paths[1]!.stages).toEqual(['Security Issues', 'Security Lead', 'CISO', 'CEO']);
  });

  it('finds eight runbooks, severity inherited from their section', () => {
    expect(result.runbooks.map((r) => [r.slug, r.severity ?? null])).toEqual([
      ['p0-critical-incident-response', 'P0'],
      ['healing-strategies-not-working', 'P1'],
      ['webhook-processing-failures', 'P1'],
      ['high-response-times', null],
      ['memory-leaks', null],
      ['database-corruption', null],
      ['configuration-corruption', null],
      ['unauthorized-access', null],
    ]);
    expect(runbook(result, 'healing-strategies-not-working').targets.acknowledgeSeconds).toBe(3600);
  });

  it('steps through the P0 response with numbered items and their commands', () => {
    const rb = runbook(result, 'p0-critical-incident-response');
    expect(rb.phases.map((p) => [p.kind, p.timebox?.maxSeconds])).toEqual([
      ['immediate', 900], ['investigation', 1800], ['mitigation', undefined], ['verification', undefined],
    ]);
    const immediate = rb.phases[0]!.steps;
    expect(immediate).toHaveLength(10);
    expect(immediate[0]).toMatchObject({ kind: 'command', text: 'Acknowledge the incident', placeholders: ['$STATUS_PAGE_TOKEN'] });
    expect(immediate[1]).toMatchObject({ kind: 'check', text: 'Page incident commander', lead: 'Assemble incident response team' });
    expect(immediate.filter((s) => s.lead === 'Initial assessment').map((s) => s.command)).toEqual([
      'curl https://healing-guard.terragonlabs.com/health',
      'kubectl get pods -n healing-guard',
      'kubectl rollout history deployment/healing-guard -n healing-guard',
    ]);
    const containment = rb.phases[2]!.steps;
    expect(containment.every((s) => s.optional)).toBe(true);
    expect(containment.find((s) => s.command?.startsWith('kubectl delete pod -l app=postgres'))!.dangerous).toBe(true);
  });

  it('keeps a multi-line python -c command in one step', () => {
    const rb = runbook(result, 'memory-leaks');
    const py = steps(rb).find((s) => s.command?.includes('python -c'))!;
    expect(py.command!.split('\n')).toHaveLength(6);
    expect(py.placeholders).toEqual([]);
  });

  it('infers phases for flat procedures and flags a restore as dangerous', () => {
    const rb = runbook(result, 'database-corruption');
    expect(rb.phases.map((p) => p.kind)).toEqual(['investigation', 'recovery']);
    expect(rb.phases[1]!.steps.filter((s) => s.dangerous).map((s) => s.dangerReason)).toEqual([
      'scales the service to zero',
      'overwrites current data with a restore',
    ]);
  });

  it('keeps the three communication templates and post-incident checklists', () => {
    expect(doc.templates.map((t) => [t.kind, t.title])).toEqual([
      ['communication', 'Initial Incident Notification'],
      ['status-update', 'Status Updates'],
      ['communication', 'Resolution Notification'],
    ]);
    expect(doc.templates[0]!.placeholders).toContain('[Brief description]');
    expect(doc.checklists.map((c) => [c.title, c.items.length])).toEqual([['Immediate', 8], ['Short-term', 8], ['Long-term', 8]]);
    expect(doc.checklists[0]!.items[0]).toEqual({ text: 'Create incident report', checked: false, group: 'Document the incident' });
  });
});

describe('never drops text', () => {
  it.each(['grey-distributed-runbook.md', 'inferadb-runbook.md', 'pipeline-guard-runbook.md'])('%s: every line is kept somewhere', (name) => {
    const source = readFileSync(path.join(seeds, name), 'utf8');
    const result = load(name);
    const kept = [...result.runbooks.map((r) => r.sourceMarkdown), ...result.document.outline.map((o) => o.markdown ?? '')].join('\n');
    for (const line of source.split('\n')) if (line.trim()) expect(kept).toContain(line.trim());
  });
});
