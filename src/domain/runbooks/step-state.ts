import { AppError } from '../../core/errors.js';

/**
 * A runbook step's state machine. `failed` can be retried (started again) or given up on
 * (skipped); `done` and `skipped` are final, so the record of what happened stays honest.
 */
export const STEP_STATES = ['pending', 'started', 'done', 'skipped', 'failed'] as const;
export type StepState = (typeof STEP_STATES)[number];

export const STEP_ACTIONS = ['start', 'done', 'skip', 'fail'] as const;
export type StepAction = (typeof STEP_ACTIONS)[number];

const MOVES: Record<StepAction, { from: StepState[]; to: StepState }> = {
  start: { from: ['pending', 'failed'], to: 'started' },
  done: { from: ['pending', 'started', 'failed'], to: 'done' },
  skip: { from: ['pending', 'started', 'failed'], to: 'skipped' },
  fail: { from: ['pending', 'started'], to: 'failed' },
};

export function stepTransition(current: StepState, action: StepAction): { from: StepState[]; to: StepState } {
  const move = MOVES[action];
  if (!move.from.includes(current)) {
    throw new AppError('CONFLICT', `cannot ${action} a step that is ${current}; ${action} is allowed from ${move.from.join(', ')}`);
  }
  return move;
}
