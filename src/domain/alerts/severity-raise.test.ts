import { describe, expect, it } from 'vitest';
import type { AlertSignal } from './signal.js';
import { planAlertBatch, type GroupState, type PlanState } from './plan-alert-batch.js';
import { groupMapKey, isMoreSevere } from './plan-rules.js';
import { integrationSettingsSchema } from './settings.js';

const NOW = Date.parse('2026-03-01T10:00:00Z');
const SEVERITIES = ['SEV1', 'SEV2', 'SEV3', 'SEV4'];
const signal = (dedupKey: string, severity: string): AlertSignal => ({
  dedupKey, lookup: 'dedup-key', action: 'trigger', summary: `alert ${dedupKey}`, description: null, severity, source: null, labels: { alertname: 'A' }, annotations: {}, tags: [],
  startedAt: null, endedAt: null, generatorUrl: null, runbookUrl: null, groupKey: null, details: null,
});
const integration = { id: 'int_1', serviceId: 'svc_1', settings: integrationSettingsSchema.parse({}) };
let n = 0;
const options = { now: NOW, newId: (p: string) => `${p}_${++n}` };

function stateWithOpenIncident(incidentSeverity: string, incidentOpen = true): PlanState {
  const group: GroupState = {
    id: 'agr_1', scope: 'svc_1', groupKey: 'alertname:A', serviceId: 'svc_1', integrationId: 'int_1', state: 'open', incidentId: 'inc_1',
    incidentOpen, incidentStatus: incidentOpen ? 'triggered' : 'resolved', incidentSeverity, windowStartAt: NOW - 60_000, windowCount: 1, openAlerts: 1,
  };
  return {
    openAlerts: new Map(), closedAlerts: new Map(), groups: new Map([[groupMapKey(group.scope, group.groupKey), group]]), groupsById: new Map([[group.id, group]]),
    recentResolves: new Map(), rules: [], silences: [], maintenance: [], severities: SEVERITIES,
  };
}

const plan = (state: PlanState, signals: AlertSignal[]) => planAlertBatch([{ integration, signals, updates: [], rawPayloadId: 'raw_1' }], state, options);

describe('a more severe alert joining an open incident raises it', () => {
  it.each([
    ['critical joins a SEV3 incident: raised to SEV1', 'SEV3', ['critical'], [{ incidentId: 'inc_1', severity: 'SEV1' }]],
    ['warning (SEV3) joins a SEV2 incident: never lowered', 'SEV2', ['warning'], []],
    ['same level: nothing', 'SEV1', ['critical'], []],
    ['error then critical in one batch: one raise, to the most severe', 'SEV4', ['error', 'critical'], [{ incidentId: 'inc_1', severity: 'SEV1' }]],
    ['critical then error in one batch: stays at the most severe', 'SEV4', ['critical', 'error'], [{ incidentId: 'inc_1', severity: 'SEV1' }]],
    ['incident on a level the scheme no longer has: left alone', 'P0', ['critical'], []],
  ] as const)('%s', (_name, incidentSeverity, severities, expected) => {
    const result = plan(stateWithOpenIncident(incidentSeverity), severities.map((s, i) => signal(`k${i}`, s)));
    expect(result.decisions.flat().map((d) => d.kind).every((k) => k === 'joined-incident')).toBe(true);
    expect(result.incidentsToRaise.map(({ incidentId, severity }) => ({ incidentId, severity }))).toEqual(expected);
  });

  it('a resolved incident is not raised: the alert opens a new one', () => {
    const result = plan(stateWithOpenIncident('SEV3', false), [signal('k', 'critical')]);
    expect(result.incidentsToRaise).toEqual([]);
    expect(result.incidentsToOpen).toHaveLength(1);
  });

  it('isMoreSevere compares ranks in the scheme only', () => {
    expect(isMoreSevere('SEV1', 'SEV2', SEVERITIES)).toBe(true);
    expect(isMoreSevere('SEV2', 'SEV1', SEVERITIES)).toBe(false);
    expect(isMoreSevere(null, 'SEV1', SEVERITIES)).toBe(false);
    expect(isMoreSevere('SEV1', 'X', SEVERITIES)).toBe(false);
  });
});
