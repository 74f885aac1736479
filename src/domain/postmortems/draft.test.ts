import { describe, expect, it } from 'vitest';
import { draftPostmortem } from './draft.js';
import type { IncidentRecord } from './record.js';
import { BUILT_IN_TEMPLATES, checkPostmortemTemplate, renderPostmortemTemplate, variablesFromDraft } from './templates.js';

const T0 = Date.parse('2026-03-01T10:00:00Z');
const MIN = 60_000;

/** A SEV1: the problem began at 10:00, the alert arrived 10:03, paged, acked 10:06, escalated, resolved 11:10. */
function record(overrides: Partial<IncidentRecord> = {}): IncidentRecord {
  return {
    incident: {
      id: 'inc_1', number: 42, title: 'Checkout errors', summary: 'Card payments fail for 30% of users', severity: 'SEV1', status: 'resolved', service: 'Checkout', isDrill: false,
      detectedAt: T0 + 3 * MIN, declaredAt: T0 + 3 * MIN, acknowledgedAt: T0 + 6 * MIN, mitigatedAt: T0 + 40 * MIN, resolvedAt: T0 + 70 * MIN,
    },
    severity: { name: 'Critical', ackTargetSeconds: 5 * 60, resolveTargetSeconds: 4 * 3600, updateCadenceSeconds: 30 * 60 },
    alerts: [{ summary: 'HighErrorRate checkout', source: 'prometheus', integration: 'Prod Alertmanager', format: 'alertmanager', startedAt: T0, firstSeenAt: T0 + 3 * MIN }],
    pages: [{ userName: 'Alice', at: T0 + 3 * MIN, purpose: 'page', channels: ['email', 'slack'], sent: true }],
    timeline: [
      { id: 'evt_1', at: T0 + 3 * MIN, kind: 'declared', actorName: 'Prod Alertmanager', body: 'Opened by alert HighErrorRate', data: {} },
      { id: 'evt_2', at: T0 + 6 * MIN, kind: 'status_changed', actorName: 'Alice', body: 'Acknowledged', data: { from: 'triggered', to: 'acknowledged', event: 'acknowledge' } },
      { id: 'evt_3', at: T0 + 20 * MIN, kind: 'handoff', actorName: 'Alice', body: 'Handed off to Bob | night shift', data: {} },
      { id: 'evt_4', at: T0 + 40 * MIN, kind: 'note', actorName: 'Bob', body: 'Rolled back release 1.4.2\nmore detail', data: {} },
      { id: 'evt_5', at: T0 + 70 * MIN, kind: 'status_changed', actorName: 'Bob', body: 'Resolved', data: { from: 'monitoring', to: 'resolved', event: 'resolve' } },
    ],
    stars: [{ eventId: 'evt_4', tag: 'mitigation', starredBy: 'Bob' }, { eventId: 'evt_1', tag: 'detection', starredBy: 'Alice' }],
    runbooks: [{ title: 'Checkout 5xx', steps: [
      { text: 'Check the error dashboard', state: 'done', by: 'Alice', at: T0 + 10 * MIN, startedAt: T0 + 8 * MIN, reason: null },
      { text: 'Roll back the last deploy', state: 'done', by: 'Bob', at: T0 + 40 * MIN, startedAt: T0 + 35 * MIN, reason: null },
      { text: 'Scale out', state: 'skipped', by: 'Bob', at: T0 + 41 * MIN, startedAt: null, reason: 'not needed' },
      { text: 'Tell finance', state: 'pending', by: null, at: null, startedAt: null, reason: null },
    ] }],
    updates: [
      { kind: 'initial', audiences: ['internal'], author: 'Alice', postedAt: T0 + 7 * MIN, nextUpdateBy: T0 + 37 * MIN },
      { kind: 'update', audiences: ['internal', 'public'], author: 'Alice', postedAt: T0 + 45 * MIN, nextUpdateBy: T0 + 75 * MIN },
      { kind: 'resolution', audiences: ['internal'], author: 'Bob', postedAt: T0 + 71 * MIN, nextUpdateBy: null },
    ],
    statusPages: [{ page: 'acme', name: 'Acme Status', impact: 'major', updates: [{ status: 'investigating', body: 'We are looking into failed payments.', at: T0 + 8 * MIN }, { status: 'resolved', body: 'Fixed.', at: T0 + 71 * MIN }] }],
    ...overrides,
  };
}

describe('draftPostmortem', () => {
  const draft = draftPostmortem([record()], T0 + 200 * MIN);

  it('spans the impact window from the first alert start to the resolution', () => {
    expect(draft.impactWindow).toEqual({ start: T0, end: T0 + 70 * MIN, durationMs: 70 * MIN });
    expect(draft.sections.impact).toContain('2026-03-01 10:00 UTC → 2026-03-01 11:10 UTC (1 h 10 min)');
  });

  it('says which alert detected it, from where, and how long after the problem began', () => {
    expect(draft.sections.detection).toContain('**HighErrorRate checkout** from Prod Alertmanager (alertmanager) source `prometheus`');
    expect(draft.sections.detection).toContain('received the alert at 2026-03-01 10:03 UTC, 3 min later');
  });

  it('lists who was paged, who acknowledged, hand-offs and the resolution in time order', () => {
    const r = draft.sections.response;
    expect(r).toContain('| 2026-03-01 10:03 UTC | Paged: **Alice** (email, slack) |');
    expect(r).toContain('| 2026-03-01 10:06 UTC | Acknowledged by **Alice** (acknowledged) |');
    // A pipe in the body would break the table row: escaped.
    expect(r).toContain('Hand-off: Handed off to Bob \\| night shift');
    expect(r.indexOf('Paged')).toBeLessThan(r.indexOf('Acknowledged'));
    expect(draft.facts.acknowledgements).toBe(1);
    expect(draft.facts.pages).toBe(1);
  });

  it('shows runbook steps taken with times and results', () => {
    expect(draft.sections.runbooks).toContain('**Checkout 5xx**: 3 of 4 steps taken.');
    expect(draft.sections.runbooks).toContain('| 2026-03-01 10:40 UTC | Roll back the last deploy | done (5 min) | Bob |');
    expect(draft.sections.runbooks).toContain('skipped: not needed');
  });

  it('judges targets with the metrics rules, measured from detection', () => {
    expect(draft.sections.targets).toContain('Acknowledge: target 5 min, took 3 min: **met**');
    expect(draft.sections.targets).toContain('Resolve: target 4 h, took 1 h 7 min: **met**');
    expect(draft.facts.targetsMissed).toBe(0);
    const late = draftPostmortem([record({ severity: { name: 'Critical', ackTargetSeconds: 60, resolveTargetSeconds: 3600, updateCadenceSeconds: null } })], T0 + 200 * MIN);
    expect(late.facts.targetsMissed).toBe(2);
  });

  it('says whether the update cadence was kept', () => {
    // The first promise (10:37) was answered at 10:45: 8 min late; the second was kept by the resolution.
    expect(draft.sections.updates).toContain('Promises kept: 1, missed: 1.');
    expect(draft.sections.updates).toContain('next one **8 min late**');
    expect(draft.facts).toMatchObject({ updates: 3, cadenceKept: 1, cadenceMissed: 1 });
  });

  it('includes the status-page history and only the starred moments, in time order, with a link to the full timeline', () => {
    expect(draft.sections.statusPage).toContain('**Acme Status** (impact major)');
    expect(draft.sections.statusPage).toContain('**investigating**: We are looking into failed payments.');
    const tl = draft.sections.timeline;
    expect(tl).toContain('| 2026-03-01 10:03 UTC | detection | Opened by alert HighErrorRate | Prod Alertmanager |');
    expect(tl).toContain('| 2026-03-01 10:40 UTC | mitigation | Rolled back release 1.4.2 | Bob |');
    expect(tl).not.toContain('Acknowledged');
    expect(tl.indexOf('detection')).toBeLessThan(tl.indexOf('mitigation'));
    expect(draft.facts.starred).toBe(2);
    expect(draft.sections.fullTimeline).toBe('[Full timeline of #42](/incidents/42#timeline)');
  });

  it('drafts an open incident as ongoing, one without alerts as declared by hand, and several incidents under headings', () => {
    const open = record({ incident: { ...record().incident, status: 'investigating', resolvedAt: null }, alerts: [] });
    const d = draftPostmortem([open], T0 + 10 * MIN);
    expect(d.impactWindow.end).toBeNull();
    expect(d.sections.impact).toContain('ongoing');
    expect(d.sections.detection).toContain('Declared by hand');
    const other = record({ incident: { ...record().incident, id: 'inc_2', number: 43, title: 'Payments queue', resolvedAt: T0 + 90 * MIN }, stars: [] });
    const both = draftPostmortem([record(), other], T0 + 200 * MIN);
    expect(both.impactWindow).toEqual({ start: T0, end: T0 + 90 * MIN, durationMs: 90 * MIN });
    expect(both.sections.detection).toContain('**#43 Payments queue**');
    expect(both.incidents.map((i) => i.number)).toEqual([42, 43]);
  });
});

describe('post-mortem templates', () => {
  it('renders both built-in templates with their sections', () => {
    const vars = variablesFromDraft(draftPostmortem([record()], T0 + 200 * MIN));
    const blameless = renderPostmortemTemplate(BUILT_IN_TEMPLATES.find((t) => t.slug === 'blameless')!.body, vars);
    for (const h of ['Summary', 'Impact', 'Contributing factors', 'Mitigators', 'Risks', 'Detection', 'Response', 'What went well', 'What went wrong', 'Action items', 'Timeline']) {
      expect(blameless).toContain(`## ${h}`);
    }
    expect(blameless).toContain('[#42 Checkout errors](/incidents/42)');
    const sre = renderPostmortemTemplate(BUILT_IN_TEMPLATES.find((t) => t.slug === 'google-sre')!.body, vars);
    for (const h of ['## Root causes', '## Trigger', '## Resolution', '## Lessons learned', '### Where we got lucky', '## Timeline']) expect(sre).toContain(h);
  });

  it('refuses an unknown variable with its line and column', () => {
    expect(() => checkPostmortemTemplate('# {{ title }}\n\n{{ draft.rootCause }}')).toThrowError(/body: template error at line 3, column 4: undefined variable: draft.rootCause/);
    expect(() => checkPostmortemTemplate('{{ title | shout }}')).toThrowError(/body: template error at line 1/);
  });
});
