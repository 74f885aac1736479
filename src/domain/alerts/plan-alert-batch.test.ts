import { describe, expect, it } from 'vitest';
import type { AlertSignal } from './signal.js';
import { planAlertBatch, type PlanIntegration, type PlanState } from './plan-alert-batch.js';
import { integrationSettingsSchema, type IntegrationSettingsInput } from './settings.js';

const NOW = Date.parse('2026-03-01T10:00:00Z');
const signal = (dedupKey: string, action: AlertSignal['action'] = 'trigger', labels: Record<string, string> = { alertname: 'A' }): AlertSignal => ({
  dedupKey, lookup: 'dedup-key', action, summary: dedupKey, description: null, severity: 'critical', source: null, labels, annotations: {}, tags: [],
  startedAt: null, endedAt: null, generatorUrl: null, runbookUrl: null, groupKey: null, details: null,
});
const integration = (settings: IntegrationSettingsInput = {}): PlanIntegration => ({ id: 'int_1', serviceId: 'svc_1', settings: integrationSettingsSchema.parse(settings) });
const emptyState = (patch: Partial<PlanState> = {}): PlanState => ({
  openAlerts: new Map(), closedAlerts: new Map(), groups: new Map(), groupsById: new Map(), recentResolves: new Map(), rules: [], silences: [], maintenance: [], severities: ['SEV1', 'SEV2', 'SEV3', 'SEV4'], ...patch,
});
let n = 0;
const options = { now: NOW, newId: (p: string) => `${p}_${++n}` };
const kinds = (plan: ReturnType<typeof planAlertBatch>) => plan.decisions.flat().map((d) => d.kind);

describe('planAlertBatch', () => {
  it.each([
    ['two alerts of one group open one incident', [signal('a'), signal('b')], {}, ['opened-incident', 'joined-incident'], 1],
    ['trigger then resolve in one batch resolves the incident', [signal('a'), signal('a', 'resolve')], {}, ['opened-incident', 'resolved'], 1],
    ['resolve of an unknown key is a no-op', [signal('x', 'resolve')], {}, ['no-open-alert'], 0],
    ['N-in-M holds the incident until the Nth alert', [signal('a'), signal('b'), signal('c')], { openAfter: { count: 3, withinMinutes: 5 } }, ['pending-threshold', 'pending-threshold', 'opened-incident'], 1],
    ['grouping=alert opens one incident per alert', [signal('a'), signal('b')], { grouping: 'alert' }, ['opened-incident', 'opened-incident'], 2],
  ] as const)('%s', (_name, signals, settings, expected, incidents) => {
    const plan = planAlertBatch([{ integration: integration(settings), signals: [...signals], updates: [], rawPayloadId: 'raw_1' }], emptyState(), options);
    expect(kinds(plan)).toEqual(expected);
    expect(plan.incidentsToOpen).toHaveLength(incidents);
    if (_name.startsWith('trigger then resolve')) expect(plan.incidentsToResolve).toHaveLength(1);
  });

  it('maps severity critical to the most severe level and routes by rule, first match wins', () => {
    const state = emptyState({ rules: [
      { id: 'rr_1', integrationId: null, matchers: [{ name: 'team', type: '=', value: 'db' }], setServiceId: 'svc_db', setSeverity: 'SEV3', drop: false },
      { id: 'rr_2', integrationId: null, matchers: [{ name: 'team', type: '=~', value: 'd.*' }], setServiceId: null, setSeverity: null, drop: true },
    ] });
    const plan = planAlertBatch([{ integration: integration(), signals: [signal('a'), signal('b', 'trigger', { alertname: 'B', team: 'db' }), signal('c', 'trigger', { alertname: 'C', team: 'dev' })], updates: [], rawPayloadId: 'raw_1' }], state, options);
    expect(plan.newAlerts.map((a) => [a.dedupKey, a.severity, a.serviceId])).toEqual([['a', 'SEV1', 'svc_1'], ['b', 'SEV3', 'svc_db']]);
    expect(kinds(plan)).toEqual(['opened-incident', 'opened-incident', 'dropped']);
  });

  it('records silenced and maintenance alerts without an incident', () => {
    const state = emptyState({
      silences: [{ id: 'sil_1', matchers: [{ name: 'alertname', type: '=', value: 'S' }], startsAt: NOW - 1, endsAt: NOW + 1 }],
      maintenance: [{ id: 'mw_1', serviceIds: ['svc_1'], startsAt: NOW - 1, endsAt: NOW + 1 }],
    });
    const plan = planAlertBatch([{ integration: integration(), signals: [signal('s', 'trigger', { alertname: 'S' }), signal('m')], updates: [], rawPayloadId: 'raw_1' }], state, options);
    expect(kinds(plan)).toEqual(['silenced', 'maintenance']);
    expect(plan.incidentsToOpen).toHaveLength(0);
    expect(plan.newAlerts.map((a) => a.suppressedBy)).toEqual(['sil_1', 'mw_1']);
  });

  it('a note on a resolved alert goes to its incident: one resolved before, or in the same batch', () => {
    const note = { user: 'carol', text: 'root cause found', action: 'note' as const };
    const noteOn = (dedupKey: string) => ({ dedupKey, lookup: 'dedup-key' as const, summary: null, description: null, note });
    const before = emptyState({ closedAlerts: new Map([['int_1\u0000old', { id: 'alr_old', incidentId: 'inc_old' }], ['int_1\u0000bare', { id: 'alr_bare', incidentId: null }]]) });
    const plan = planAlertBatch([{ integration: integration(), signals: [], updates: [noteOn('old'), noteOn('bare'), noteOn('never')], rawPayloadId: 'raw_1' }], before, options);
    expect(kinds(plan)).toEqual(['updated', 'no-open-alert', 'no-open-alert']);
    expect(plan.incidentNotes).toEqual([{ incidentId: 'inc_old', alertId: 'alr_old', note }]);

    const open = { id: 'alr_1', integrationId: 'int_1', dedupKey: 'a', status: 'firing' as const, groupId: null, incidentId: 'inc_1', suppressedBy: null, startedAt: 5, count: 1, summary: 'a' };
    const sameBatch = planAlertBatch([
      { integration: integration(), signals: [signal('a', 'resolve')], updates: [], rawPayloadId: 'raw_1' },
      { integration: integration(), signals: [], updates: [noteOn('a')], rawPayloadId: 'raw_2' },
    ], emptyState({ openAlerts: new Map([['int_1\u0000a', open]]) }), options);
    expect(kinds(sameBatch)).toEqual(['resolved', 'updated']);
    expect(sameBatch.incidentNotes).toEqual([{ incidentId: 'inc_1', alertId: 'alr_1', note }]);
  });

  it('marks a flapping alert and does not page again', () => {
    const state = emptyState({ recentResolves: new Map([['int_1\u0000f', 3]]) });
    const plan = planAlertBatch([{ integration: integration(), signals: [signal('f')], updates: [], rawPayloadId: 'raw_1' }], state, options);
    expect(kinds(plan)).toEqual(['flapping']);
    expect(plan.newAlerts[0]?.flapping).toBe(true);
    expect(plan.incidentsToOpen).toHaveLength(0);
  });

  it('a repeat from an Alertmanager-family sender with the same start is a no-op; PD repeats count', () => {
    const open = { id: 'alr_1', integrationId: 'int_1', dedupKey: 'a', status: 'firing' as const, groupId: null, incidentId: null, suppressedBy: null, startedAt: 5, count: 1, summary: 'a' };
    const repeat = { ...signal('a'), startedAt: 5 };
    const am = planAlertBatch([{ integration: { ...integration(), repeatsAreNoops: true }, signals: [repeat], updates: [], rawPayloadId: 'raw_1' }], emptyState({ openAlerts: new Map([['int_1\u0000a', { ...open }]]) }), options);
    expect(kinds(am)).toEqual(['duplicate']);
    expect(am.alertChanges).toHaveLength(0);
    const pd = planAlertBatch([{ integration: integration(), signals: [repeat, repeat], updates: [], rawPayloadId: 'raw_1' }], emptyState({ openAlerts: new Map([['int_1\u0000a', { ...open }]]) }), options);
    expect(pd.alertChanges).toEqual([expect.objectContaining({ id: 'alr_1', countDelta: 2 })]);
  });

  describe('an open alert a silence held (issue 11)', () => {
    const held = { id: 'alr_h', integrationId: 'int_1', dedupKey: 'h', status: 'firing' as const, groupId: null, incidentId: null, suppressedBy: 'sil_1', startedAt: 5, count: 1, summary: 'h' };
    const silence = (id: string, endsAt: number) => ({ id, matchers: [{ name: 'alertname', type: '=' as const, value: 'A' }], startsAt: NOW - 10, endsAt });
    const stateWith = (silences: PlanState['silences']) => emptyState({ openAlerts: new Map([['int_1\u0000h', { ...held }]]), silences });
    const am = (signals: AlertSignal[], state: PlanState) => planAlertBatch([{ integration: { ...integration(), repeatsAreNoops: true }, signals, updates: [], rawPayloadId: 'raw_1' }], state, options);
    const repeat = { ...signal('h'), startedAt: 5 };
    const release: AlertSignal = { ...signal('h'), startedAt: 5, release: { note: 'silence sil_1 ended' } };

    it.each([
      ['an unchanged repeat while its silence holds is a no-op', [repeat], [silence('sil_1', NOW + 1)], ['duplicate'], 0, 'sil_1'],
      ['an unchanged repeat once its silence ended opens an incident', [repeat], [silence('sil_1', NOW)], ['opened-incident'], 1, null],
      ['an unchanged repeat while another silence holds it is recorded under that one', [repeat], [silence('sil_2', NOW + 1)], ['silenced'], 0, 'sil_2'],
      ['a release once its silence ended opens an incident', [release], [], ['opened-incident'], 1, null],
      ['a release while another silence holds it is recorded under that one', [release], [silence('sil_2', NOW + 1)], ['silenced'], 0, 'sil_2'],
      ['a release while its own silence still holds it changes nothing', [release], [silence('sil_1', NOW + 1)], ['duplicate'], 0, 'sil_1'],
      ['a release then a repeat in one batch opens one incident', [release, repeat], [], ['opened-incident', 'duplicate'], 1, null],
    ] as const)('%s', (_name, signals, silences, expected, incidents, suppressedBy) => {
      const state = stateWith([...silences]);
      const plan = am([...signals], state);
      expect(kinds(plan)).toEqual(expected);
      expect(plan.incidentsToOpen).toHaveLength(incidents);
      expect(state.openAlerts.get('int_1\u0000h')?.suppressedBy).toBe(suppressedBy);
      if (incidents) expect(plan.incidentsToOpen[0]!.alertIds).toEqual(['alr_h']);
    });

    it('a release is not a repeat: no count, no last-seen; for an alert no longer open it creates nothing', () => {
      const plan = am([release], stateWith([]));
      expect(plan.alertChanges).toEqual([expect.objectContaining({ id: 'alr_h', suppressedBy: null })]);
      expect(plan.alertChanges[0]).not.toHaveProperty('countDelta');
      expect(plan.alertChanges[0]).not.toHaveProperty('lastSeenAt');
      const gone = am([{ ...release, dedupKey: 'gone' }], stateWith([]));
      expect(kinds(gone)).toEqual(['no-open-alert']);
      expect(gone.newAlerts).toHaveLength(0);
    });
  });

  it('storm guard: past N new incidents in the window, new alerts open one storm incident and then join it', () => {
    const storm = integration({ grouping: 'alert', storm: { maxIncidents: 3, withinMinutes: 1 } });
    const signals = Array.from({ length: 10 }, (_, i) => signal(`s${i}`));
    const state = emptyState();
    const plan = planAlertBatch([{ integration: storm, signals, updates: [], rawPayloadId: 'raw_1' }], state, options);
    expect(kinds(plan)).toEqual([...Array(4).fill('opened-incident'), ...Array(6).fill('joined-incident')]);
    expect(plan.incidentsToOpen).toHaveLength(4);
    const stormIncident = plan.incidentsToOpen[3]!;
    expect(stormIncident.storm).toEqual({ maxIncidents: 3, withinMinutes: 1 });
    expect(stormIncident.alertIds).toHaveLength(7);
    expect(plan.newAlerts.slice(3).every((a) => a.incidentId === stormIncident.id && a.groupId === stormIncident.groupId)).toBe(true);

    // A later batch: the storm incident is open, so a new alert joins it and the timeline counts it.
    const meter = state.groupsById.get(stormIncident.groupId)!;
    const later = planAlertBatch([{ integration: storm, signals: [signal('late')], updates: [], rawPayloadId: 'raw_2' }], { ...state, groups: new Map(state.groups) }, { ...options, now: NOW + 10 * 60_000 });
    expect(kinds(later)).toEqual(['joined-incident']);
    expect(later.incidentsToOpen).toHaveLength(0);
    expect(later.stormJoins).toEqual([{ incidentId: stormIncident.id, joined: 1, group: meter }]);

    // Without the guard (null), every alert opens its own.
    const off = planAlertBatch([{ integration: integration({ grouping: 'alert', storm: null }), signals, updates: [], rawPayloadId: 'raw_3' }], emptyState(), options);
    expect(off.incidentsToOpen).toHaveLength(10);
  });

  it('storm guard: the count of new incidents restarts after the window', () => {
    const storm = integration({ grouping: 'alert', storm: { maxIncidents: 2, withinMinutes: 1 } });
    const state = emptyState();
    const first = planAlertBatch([{ integration: storm, signals: [signal('a'), signal('b')], updates: [], rawPayloadId: 'raw_1' }], state, options);
    expect(first.incidentsToOpen).toHaveLength(2);
    const next = planAlertBatch([{ integration: storm, signals: [signal('c'), signal('d')], updates: [], rawPayloadId: 'raw_2' }], state, { ...options, now: NOW + 61_000 });
    expect(next.incidentsToOpen.map((o) => o.storm === undefined)).toEqual([true, true]);
  });
});
