import { useSyncExternalStore } from 'react';

// One shared ticker so every relative timestamp on the page moves together, cheaply.
let now = Date.now();
const listeners = new Set<() => void>();
let timer: ReturnType<typeof setInterval> | null = null;

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  if (!timer) {
    timer = setInterval(() => {
      now = Date.now();
      listeners.forEach((l) => l());
    }, 15_000);
  }
  return () => {
    listeners.delete(listener);
    if (listeners.size === 0 && timer) {
      clearInterval(timer);
      timer = null;
    }
  };
}

/** The current time, refreshed every 15 s while anything is listening. */
export function useNow(): number {
  return useSyncExternalStore(subscribe, () => now);
}

/** Call after fetching fresh data so "just now" is right at once. */
export function touchNow(): void {
  now = Date.now();
}
