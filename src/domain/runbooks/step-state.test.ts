import { describe, expect, it } from 'vitest';
import { stepTransition, type StepAction, type StepState } from './step-state.js';

describe('stepTransition', () => {
  it.each<[StepState, StepAction, StepState | 'CONFLICT']>([
    ['pending', 'start', 'started'],
    ['pending', 'done', 'done'],
    ['started', 'done', 'done'],
    ['started', 'skip', 'skipped'],
    ['started', 'fail', 'failed'],
    ['failed', 'start', 'started'],
    ['failed', 'skip', 'skipped'],
    ['done', 'start', 'CONFLICT'],
    ['skipped', 'done', 'CONFLICT'],
    ['failed', 'fail', 'CONFLICT'],
    ['started', 'start', 'CONFLICT'],
  ])('%s --%s--> %s', (from, action, to) => {
    if (to === 'CONFLICT') expect(() => stepTransition(from, action)).toThrowError(expect.objectContaining({ code: 'CONFLICT' }));
    else expect(stepTransition(from, action).to).toBe(to);
  });
});
