import { describe, expect, it } from 'vitest';
import { cadenceAdherence } from './cadence-adherence.js';
import { followUpCompletion } from './follow-up-completion.js';
import { withTimeAcknowledged } from './on-call-load.js';

describe('cadenceAdherence', () => {
  it('counts kept, missed and late per severity; keptShare is kept of kept + missed', () => {
    const r = cadenceAdherence([
      { severity: 'SEV1', kind: 'update_deadline_kept', count: 3 },
      { severity: 'SEV1', kind: 'update_deadline_missed', count: 1 },
      { severity: 'SEV1', kind: 'update_posted_late', count: 1 },
      { severity: 'SEV2', kind: 'update_deadline_missed', count: 2 },
    ]);
    expect(r.bySeverity).toEqual([
      { severity: 'SEV1', kept: 3, missed: 1, late: 1, keptShare: 0.75 },
      { severity: 'SEV2', kept: 0, missed: 2, late: 0, keptShare: 0 },
    ]);
    expect(r.overall).toEqual({ severity: null, kept: 3, missed: 3, late: 1, keptShare: 0.5 });
  });
  it('no deadline in the range: keptShare null, not 0', () => {
    expect(cadenceAdherence([]).overall).toEqual({ severity: null, kept: 0, missed: 0, late: 0, keptShare: null });
  });
});

describe('followUpCompletion', () => {
  it('says "not available" without counts, never 0', () => {
    expect(followUpCompletion({ postMortems: null, actionItems: null })).toMatchObject({
      postMortems: { available: false, note: 'not available' }, actionItems: { available: false, note: 'not available' },
    });
  });
  it('shows counts when given', () => {
    expect(followUpCompletion({ postMortems: { total: 4, completed: 3, overdue: 1 }, actionItems: { total: 0, completed: 0, overdue: 0 } })).toMatchObject({
      postMortems: { available: true, total: 4, completed: 3, overdue: 1, completedShare: 0.75 },
      actionItems: { available: true, total: 0, completedShare: null },
    });
  });
});

describe('withTimeAcknowledged', () => {
  it('adds acknowledgements to paged people and rows for people who acknowledged without a page', () => {
    const paged = { userId: 'u1', name: 'Ann', timeZone: 'UTC', pages: 2, outOfHours: 0, night: 0, drillPages: 0, incidents: 1 };
    const rows = withTimeAcknowledged([paged], [
      { userId: 'u1', userName: 'Ann', timeZone: 'UTC', acknowledgements: 1, acknowledgedMs: 90_400 },
      { userId: 'u2', userName: 'Bob', timeZone: 'Not/AZone', acknowledgements: 2, acknowledgedMs: 7_200_000 },
    ]);
    expect(rows).toEqual([
      { ...paged, acknowledgements: 1, acknowledgedSeconds: 90 },
      { userId: 'u2', name: 'Bob', timeZone: 'UTC', pages: 0, outOfHours: 0, night: 0, drillPages: 0, incidents: 0, acknowledgements: 2, acknowledgedSeconds: 7200 },
    ]);
  });
});
