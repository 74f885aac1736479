import { describe, expect, it } from 'vitest';
import { AppError } from '../../core/errors.js';
import { INCIDENT_STATUSES, STATUS_EVENTS, eventForTarget, lifecycleTimesAfter, transition, type IncidentStatus, type StatusEvent } from './status.js';

const allowed: [IncidentStatus, StatusEvent, IncidentStatus][] = [
  ['triggered', 'acknowledge', 'acknowledged'],
  ['triggered', 'investigate', 'investigating'],
  ['triggered', 'resolve', 'resolved'],
  ['acknowledged', 'identify', 'identified'],
  ['investigating', 'identify', 'identified'],
  ['identified', 'monitor', 'monitoring'],
  ['monitoring', 'investigate', 'investigating'],
  ['monitoring', 'resolve', 'resolved'],
  ['resolved', 'reopen', 'investigating'],
  ['acknowledged', 'retrigger', 'triggered'],
  ['monitoring', 'retrigger', 'triggered'],
];

const refused: [IncidentStatus, StatusEvent][] = [
  ['acknowledged', 'acknowledge'],
  ['investigating', 'acknowledge'],
  ['resolved', 'resolve'],
  ['resolved', 'acknowledge'],
  ['resolved', 'monitor'],
  ['triggered', 'reopen'],
  ['investigating', 'reopen'],
  ['triggered', 'retrigger'],
  ['resolved', 'retrigger'],
];

describe('transition', () => {
  it.each(allowed)('%s --%s--> %s', (from, event, to) => {
    expect(transition(from, event).to).toBe(to);
    expect(transition(from, event).from).toContain(from);
  });

  it.each(refused)('refuses %s --%s--> as a conflict', (from, event) => {
    expect(() => transition(from, event)).toThrow(AppError);
    try {
      transition(from, event);
    } catch (e) {
      expect((e as AppError).code).toBe('CONFLICT');
      expect((e as AppError).message).toContain(from);
    }
  });

  it('every event leads somewhere from at least one status, and resolved is reachable from every open status', () => {
    for (const event of STATUS_EVENTS) {
      expect(INCIDENT_STATUSES.some((s) => { try { transition(s, event); return true; } catch { return false; } })).toBe(true);
    }
    for (const s of INCIDENT_STATUSES.filter((s) => s !== 'resolved')) expect(transition(s, 'resolve').to).toBe('resolved');
  });

  it('maps a target status to its event', () => {
    expect(eventForTarget('investigating', 'resolved')).toBe('reopen');
    expect(eventForTarget('investigating', 'acknowledged')).toBe('investigate');
    expect(eventForTarget('resolved', 'monitoring')).toBe('resolve');
  });
});

describe('lifecycleTimesAfter', () => {
  const none = { acknowledged_at: null, mitigated_at: null, resolved_at: null };
  it('first human move counts as acknowledgement', () => {
    expect(lifecycleTimesAfter('investigating', 'investigate', none, 5)).toEqual({ acknowledged_at: 5, mitigated_at: null, resolved_at: null });
  });
  it('resolving straight from triggered records mitigation and resolve, but no acknowledgement', () => {
    expect(lifecycleTimesAfter('resolved', 'resolve', none, 9)).toEqual({ acknowledged_at: null, mitigated_at: 9, resolved_at: 9 });
  });
  it('a re-opened incident that was never acknowledged is acknowledged by the re-opening human', () => {
    expect(lifecycleTimesAfter('investigating', 'reopen', { acknowledged_at: null, mitigated_at: 9, resolved_at: 9 }, 12)).toEqual({ acknowledged_at: 12, mitigated_at: 9, resolved_at: null });
  });
  it('keeps the first acknowledgement and mitigation; reopen clears resolve only', () => {
    const t = { acknowledged_at: 1, mitigated_at: 2, resolved_at: 3 };
    expect(lifecycleTimesAfter('monitoring', 'monitor', t, 7)).toEqual({ acknowledged_at: 1, mitigated_at: 2, resolved_at: 3 });
    expect(lifecycleTimesAfter('investigating', 'reopen', t, 8)).toEqual({ acknowledged_at: 1, mitigated_at: 2, resolved_at: null });
  });
  it('retrigger keeps the old acknowledgement time for metrics', () => {
    expect(lifecycleTimesAfter('triggered', 'retrigger', { acknowledged_at: 1, mitigated_at: null, resolved_at: null }, 4).acknowledged_at).toBe(1);
  });
});
