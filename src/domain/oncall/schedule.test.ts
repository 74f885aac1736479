import { describe, expect, it } from 'vitest';
import { AppError } from '../../core/errors.js';
import { parseOverride, parseSchedule } from './schedule.js';

const valid = {
  timeZone: 'Europe/Berlin',
  layers: [
    {
      id: 'l1',
      name: 'Primary',
      rotation: { type: 'daily', handoffTime: '09:00', startDate: '2026-03-02', members: ['u1', 'u2'] },
      restrictions: [{ type: 'daily', from: '09:00', to: '17:00', days: ['mon', 'fri'] }],
    },
  ],
  overrides: [{ id: 'o1', userId: 'u3', start: 1000, end: 2000, replacesUserId: 'u1' }],
};

function issueFields(input: unknown): string[] {
  try {
    parseSchedule(input);
  } catch (error) {
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe('VALIDATION');
    return (error as AppError).issues.map((i) => i.field);
  }
  throw new Error('expected a validation error');
}

const withLayer = (patch: Record<string, unknown>) => ({ ...valid, layers: [{ ...valid.layers[0], ...patch }] });
const withRotation = (patch: Record<string, unknown>) => withLayer({ rotation: { ...valid.layers[0]?.rotation, ...patch } });

describe('parseSchedule', () => {
  it('accepts a valid schedule and defaults overrides', () => {
    expect(parseSchedule(valid).layers[0]?.rotation.members).toEqual(['u1', 'u2']);
    expect(parseSchedule({ timeZone: 'UTC', layers: [] }).overrides).toEqual([]);
  });

  it.each([
    ['unknown zone', { ...valid, timeZone: 'Europe/Atlantis' }, 'timeZone'],
    ['bad hand-off', withRotation({ handoffTime: '25:00' }), 'layers.0.rotation.handoffTime'],
    ['bad start date', withRotation({ startDate: '2026-02-30' }), 'layers.0.rotation.startDate'],
    ['no members', withRotation({ members: [] }), 'layers.0.rotation.members'],
    ['custom without length', withRotation({ type: 'custom' }), 'layers.0.rotation.shiftLengthSeconds'],
    ['length on a daily rotation', withRotation({ shiftLengthSeconds: 3600 }), 'layers.0.rotation.shiftLengthSeconds'],
    ['too short custom shift', withRotation({ type: 'custom', shiftLengthSeconds: 10 }), 'layers.0.rotation.shiftLengthSeconds'],
    ['bad rotation type', withRotation({ type: 'hourly' }), 'layers.0.rotation.type'],
    ['bad restriction day', withLayer({ restrictions: [{ type: 'daily', from: '09:00', to: '17:00', days: ['funday'] }] }), 'layers.0.restrictions.0.days.0'],
    ['weekly restriction without days', withLayer({ restrictions: [{ type: 'weekly', from: '09:00', to: '17:00' }] }), 'layers.0.restrictions.0.days'],
    ['weekly restriction with 3 days', withLayer({ restrictions: [{ type: 'weekly', from: '09:00', to: '17:00', days: ['mon', 'tue', 'wed'] }] }), 'layers.0.restrictions.0.days'],
    ['override ending before it starts', { ...valid, overrides: [{ id: 'o1', userId: 'u', start: 5, end: 5 }] }, 'overrides.0.end'],
    ['duplicate layer ids', { ...valid, layers: [valid.layers[0], valid.layers[0]] }, 'layers.1.id'],
    ['duplicate override ids', { ...valid, overrides: [valid.overrides[0], valid.overrides[0]] }, 'overrides.1.id'],
  ])('names the bad field: %s', (_name, input, field) => {
    expect(issueFields(input)).toContain(field);
  });

  it('validates a lone override', () => {
    expect(parseOverride({ id: 'o', userId: 'u', start: 1, end: 2 }).userId).toBe('u');
    expect(() => parseOverride({ id: 'o', userId: 'u', start: 2, end: 1 })).toThrow(/end: must be after start/);
  });
});
