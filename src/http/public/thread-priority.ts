import { readlinkSync } from 'node:fs';
import { getPriority, setPriority } from 'node:os';

/**
 * Raises the calling thread's nice value by `steps` (lowers its CPU priority below the thread
 * that started it; at most 19) and returns true, or returns false where the thread cannot be
 * named. Linux keeps a nice value per thread and `setpriority` takes a thread id; Node gives no
 * thread id, but `/proc/thread-self` names it. Relative, so that a process started under `nice`
 * keeps its threads in the same order; raising one's own nice value needs no privilege.
 */
export function lowerThisThreadsPriority(steps: number): boolean {
  let tid: number;
  try {
    tid = Number(readlinkSync('/proc/thread-self').split('/').pop());
  } catch {
    return false; // not Linux, or no /proc
  }
  if (!Number.isInteger(tid) || tid <= 0) return false;
  try {
    setPriority(tid, Math.min(19, getPriority(tid) + steps));
    return true;
  } catch {
    return false;
  }
}
