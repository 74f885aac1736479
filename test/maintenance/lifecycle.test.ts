import { describe, expect, it } from 'vitest';
import { isRunning, nextTimer, scheduleProblem, timerIsCurrent, transition } from '../../src/domain/maintenance/lifecycle.js';
import { deriveComponentStatus, rollUp, uptimeBars } from '../../src/domain/statuspages/status.js';

const MIN = 60_000;
const now = Date.parse('2026-03-01T10:00:00Z');

describe('maintenance transitions (pure)', () => {
  it.each([
    ['scheduled', 'start', 'in_progress'], ['in_progress', 'verify', 'verifying'], ['in_progress', 'complete', 'completed'],
    ['verifying', 'complete', 'completed'], ['scheduled', 'cancel', 'cancelled'], ['in_progress', 'cancel', 'cancelled'], ['verifying', 'cancel', 'cancelled'],
  ] as const)('%s --%s--> %s', (from, action, to) => {
    expect(transition(from, action)).toEqual({ to });
  });
  it.each([
    ['scheduled', 'complete'], ['scheduled', 'verify'], ['in_progress', 'start'], ['completed', 'start'], ['completed', 'cancel'], ['cancelled', 'complete'], ['verifying', 'verify'],
  ] as const)('%s cannot %s', (from, action) => {
    expect(transition(from, action)).toEqual({ error: expect.stringContaining(`cannot ${action}`) });
  });
  it('runs while in progress or verifying only', () => {
    expect(['scheduled', 'in_progress', 'verifying', 'completed', 'cancelled'].map(isRunning)).toEqual([false, true, true, false, false]);
  });
});

describe('schedule checks', () => {
  it('refuses a start in the past, an end before the start, an end in the past', () => {
    expect(scheduleProblem({ scheduledFor: now - 1, scheduledUntil: now + 60 * MIN, status: 'scheduled' }, now)?.field).toBe('scheduledFor');
    expect(scheduleProblem({ scheduledFor: now + 60 * MIN, scheduledUntil: now + 30 * MIN, status: 'scheduled' }, now)?.field).toBe('scheduledUntil');
    expect(scheduleProblem({ scheduledFor: now + 60 * MIN, scheduledUntil: now + 60 * MIN, status: 'scheduled' }, now)?.field).toBe('scheduledUntil');
    expect(scheduleProblem({ scheduledFor: now - 60 * MIN, scheduledUntil: now - 1, status: 'in_progress' }, now)?.field).toBe('scheduledUntil');
    expect(scheduleProblem({ scheduledFor: now, scheduledUntil: now + 1, status: 'scheduled' }, now)).toBeNull();
    // A running maintenance started in the past; only its end must lie ahead.
    expect(scheduleProblem({ scheduledFor: now - 60 * MIN, scheduledUntil: now + 1, status: 'in_progress' }, now)).toBeNull();
  });
});

describe('the durable timer steps', () => {
  const m = { id: 'm1', status: 'scheduled', scheduledFor: now + 120 * MIN, scheduledUntil: now + 180 * MIN, remindMinutes: 60, reminded: false };
  it('reminds first, then starts, then ends; nothing after', () => {
    expect(nextTimer(m, now)).toEqual({ maintenanceId: 'm1', step: 'reminder', at: now + 60 * MIN });
    expect(nextTimer({ ...m, reminded: true }, now + 60 * MIN)).toEqual({ maintenanceId: 'm1', step: 'start', at: now + 120 * MIN });
    expect(nextTimer({ ...m, status: 'in_progress' }, now + 120 * MIN)).toEqual({ maintenanceId: 'm1', step: 'end', at: now + 180 * MIN });
    expect(nextTimer({ ...m, status: 'verifying' }, now + 130 * MIN)?.step).toBe('end');
    expect(nextTimer({ ...m, status: 'completed' }, now)).toBeNull();
    expect(nextTimer({ ...m, status: 'cancelled' }, now)).toBeNull();
  });
  it('skips a reminder that is not asked for or already past', () => {
    expect(nextTimer({ ...m, remindMinutes: null }, now)?.step).toBe('start');
    expect(nextTimer({ ...m, remindMinutes: 180 }, now)?.step).toBe('start');
  });
  it('treats a timer for another time or status as stale', () => {
    const row = { status: 'scheduled', scheduledFor: m.scheduledFor, scheduledUntil: m.scheduledUntil, remindMinutes: 60 };
    expect(timerIsCurrent({ maintenanceId: 'm1', step: 'start', at: m.scheduledFor }, row)).toBe(true);
    expect(timerIsCurrent({ maintenanceId: 'm1', step: 'start', at: m.scheduledFor - MIN }, row)).toBe(false);
    expect(timerIsCurrent({ maintenanceId: 'm1', step: 'start', at: m.scheduledFor }, { ...row, status: 'in_progress' })).toBe(false);
    expect(timerIsCurrent({ maintenanceId: 'm1', step: 'reminder', at: m.scheduledFor - 60 * MIN }, row)).toBe(true);
    expect(timerIsCurrent({ maintenanceId: 'm1', step: 'reminder', at: m.scheduledFor - 60 * MIN }, { ...row, remindMinutes: 30 })).toBe(false);
    expect(timerIsCurrent({ maintenanceId: 'm1', step: 'end', at: m.scheduledUntil }, { ...row, status: 'verifying' })).toBe(true);
    expect(timerIsCurrent({ maintenanceId: 'm1', step: 'end', at: m.scheduledUntil }, { ...row, status: 'completed' })).toBe(false);
  });
});

describe('maintenance in component statuses, the roll-up and the uptime bars', () => {
  it('a component in a running maintenance is under maintenance; an incident on it is worse', () => {
    expect(deriveComponentStatus({ services: ['s'], openIncidents: [], inMaintenance: true })).toBe('under_maintenance');
    expect(deriveComponentStatus({ services: ['s'], openIncidents: [{ serviceId: 's', severity: 'SEV1' }], inMaintenance: true })).toBe('major_outage');
    expect(deriveComponentStatus({ services: ['s'], openIncidents: [], inMaintenance: true, override: 'operational' })).toBe('operational');
  });
  it('a page with only maintenance reports the maintenance indicator, as Statuspage does', () => {
    expect(rollUp(['under_maintenance', 'operational'])).toEqual({ indicator: 'maintenance', description: 'Service Under Maintenance' });
  });
  it('counts maintenance as maintenance, not downtime', () => {
    const start = Date.parse('2026-03-01T02:00:00Z');
    const { days, uptimePercent } = uptimeBars([{ startedAt: start, resolvedAt: start + 120 * MIN, impact: 'none', maintenance: true }], now);
    expect(days.at(-1)).toEqual({ date: '2026-03-01', worst: 'none', downMinutes: 0, maintenanceMinutes: 120 });
    expect(uptimePercent).toBe(100);
  });
});
