import { describe, expect, it } from 'vitest';
import { deriveComponentStatus, rollUp, uptimeBars, type ComponentStatus } from '../../src/domain/statuspages/status.js';

describe('component status derivation', () => {
  const open = [{ serviceId: 'svc_pay', severity: 'SEV2' }, { serviceId: 'svc_pay', severity: 'SEV3' }, { serviceId: 'svc_api', severity: 'SEV1' }];
  it.each([
    ['no services', [], undefined, null, 'operational'],
    ['a service without incidents', ['svc_web'], undefined, null, 'operational'],
    ['SEV1 by default is a major outage', ['svc_api'], undefined, null, 'major_outage'],
    ['the worst of several incidents', ['svc_pay'], undefined, null, 'partial_outage'],
    ['the worst across services', ['svc_pay', 'svc_api'], undefined, null, 'major_outage'],
    ['a page map over the default', ['svc_api'], { SEV1: 'partial_outage' }, null, 'partial_outage'],
    ['an unmapped severity degrades', ['svc_pay'], { SEV2: 'operational' }, null, 'degraded_performance'],
    ['the override wins', ['svc_api'], undefined, 'under_maintenance', 'under_maintenance'],
  ] as const)('%s', (_name, services, severityMap, override, expected) => {
    expect(deriveComponentStatus({ services, openIncidents: open, severityMap, override })).toBe(expected);
  });
});

describe('top-level roll-up (Statuspage texts)', () => {
  it.each<[ComponentStatus[], string, string]>([
    [[], 'none', 'All Systems Operational'],
    [['operational', 'operational'], 'none', 'All Systems Operational'],
    [['under_maintenance'], 'maintenance', 'Service Under Maintenance'],
    [['degraded_performance'], 'minor', 'Partially Degraded Service'],
    [['partial_outage'], 'major', 'Partial System Outage'],
    [['major_outage'], 'critical', 'Major System Outage'],
    [['major_outage', 'major_outage'], 'critical', 'Major System Outage'],
    [['major_outage', 'operational'], 'major', 'Partial System Outage'],
    [['partial_outage', 'partial_outage'], 'major', 'Partial System Outage'],
    [['partial_outage', 'operational'], 'minor', 'Minor Service Outage'],
    [['degraded_performance', 'degraded_performance'], 'minor', 'Degraded System Service'],
    [['degraded_performance', 'under_maintenance'], 'minor', 'Partially Degraded Service'],
    [['under_maintenance', 'operational'], 'maintenance', 'Service Under Maintenance'],
  ])('%j → %s %s', (statuses, indicator, description) => {
    expect(rollUp(statuses)).toEqual({ indicator, description });
  });
});

describe('uptime bars', () => {
  const DAY = 86_400_000;
  const now = Date.parse('2026-03-10T12:00:00Z');
  it('covers 90 UTC days ending today, oldest first, all clear without incidents', () => {
    const { days, uptimePercent } = uptimeBars([], now);
    expect(days).toHaveLength(90);
    expect(days[89]!.date).toBe('2026-03-10');
    expect(days[0]!.date).toBe(new Date(now - 89 * DAY).toISOString().slice(0, 10));
    expect(uptimePercent).toBe(100);
  });
  it('marks each day with the worst overlapping impact and counts overlaps once', () => {
    const start = Date.parse('2026-03-08T23:00:00Z');
    const { days } = uptimeBars([
      { startedAt: start, resolvedAt: start + 2 * 3_600_000, impact: 'minor' },
      { startedAt: start + 1_800_000, resolvedAt: start + 3_600_000, impact: 'critical' },
      { startedAt: Date.parse('2026-03-10T11:00:00Z'), resolvedAt: null, impact: 'major' },
    ], now);
    const byDate = Object.fromEntries(days.map((d) => [d.date, d]));
    expect(byDate['2026-03-08']).toEqual({ date: '2026-03-08', worst: 'critical', downMinutes: 60, maintenanceMinutes: 0 });
    expect(byDate['2026-03-09']).toEqual({ date: '2026-03-09', worst: 'minor', downMinutes: 60, maintenanceMinutes: 0 });
    expect(byDate['2026-03-10']).toEqual({ date: '2026-03-10', worst: 'major', downMinutes: 60, maintenanceMinutes: 0 });
    expect(byDate['2026-03-07']!.worst).toBe('none');
  });
});
