import { describe, expect, it } from 'vitest';
import { countedPaths } from './run-view.js';
import type { StepState } from './step-state.js';

const draft = { alternatives: [{ title: 'Node failure', options: ['worker', 'coordinator', 'many'], line: 1 }] };
const step = (option: number | null, state: StepState) => ({ ...(option === null ? {} : { path: { set: 0, option } }), state });

describe('countedPaths', () => {
  it.each([
    ['nothing done, nobody chose: the first path', [step(0, 'pending'), step(1, 'pending')], new Map(), 0, null],
    ['the path most acted on', [step(0, 'pending'), step(1, 'done'), step(1, 'started'), step(2, 'done')], new Map(), 1, null],
    ['a tie goes to the earlier path', [step(1, 'skipped'), step(2, 'failed')], new Map(), 1, null],
    ['a choice beats what was done', [step(1, 'done'), step(1, 'done')], new Map([[0, 2]]), 2, 2],
    ['a choice out of range is ignored', [step(1, 'done')], new Map([[0, 7]]), 1, null],
    ['steps outside the set do not vote', [step(null, 'done'), step(null, 'done')], new Map(), 0, null],
  ])('%s', (_name, steps, chosen, counted, chosenOut) => {
    const [view] = countedPaths(draft, steps, chosen as Map<number, number>);
    expect(view).toEqual({ set: 0, title: 'Node failure', options: ['worker', 'coordinator', 'many'], chosen: chosenOut, counted });
  });

  it('no alternatives, no choices', () => {
    expect(countedPaths({}, [], new Map())).toEqual([]);
  });
});
