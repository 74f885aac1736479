import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { startMemoryTrim } from './memory-trim.js';

describe('startMemoryTrim', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  const setup = () => {
    const state = { committed: 0, idle: true, collections: 0 };
    const stop = startMemoryTrim({ committedAlerts: () => state.committed, isIdle: () => state.idle, minAlerts: 1000, intervalMs: 100, collect: () => void (state.collections += 1) });
    return { state, stop };
  };

  it('collects twice once a burst is over, and never during it', () => {
    const { state, stop } = setup();
    state.idle = false;
    for (let i = 0; i < 10; i++) {
      state.committed += 500;
      vi.advanceTimersByTime(100);
    }
    // A batch that took a whole interval is not the end of the burst.
    vi.advanceTimersByTime(300);
    expect(state.collections).toBe(0);
    state.idle = true;
    vi.advanceTimersByTime(100);
    expect(state.collections).toBe(0);
    vi.advanceTimersByTime(100);
    expect(state.collections).toBe(1);
    vi.advanceTimersByTime(100);
    expect(state.collections).toBe(2);
    vi.advanceTimersByTime(1000);
    expect(state.collections).toBe(2);
    stop();
  });

  it('leaves a quiet server and small bursts alone', () => {
    const { state, stop } = setup();
    vi.advanceTimersByTime(1000);
    state.committed += 999;
    vi.advanceTimersByTime(1000);
    expect(state.collections).toBe(0);
    state.committed += 1;
    vi.advanceTimersByTime(400);
    expect(state.collections).toBe(2);
    stop();
  });
});
