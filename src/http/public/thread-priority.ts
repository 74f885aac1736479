import { readlinkSync } from 'node:fs';
import { setPriority } from 'node:os';

/**
 * Raises the calling thread's nice value (lowers its CPU priority) and returns true, or returns
 * false where the thread cannot be named. Linux keeps a nice value per thread and `setpriority`
 * takes a thread id; Node gives no thread id, but `/proc/thread-self` names it. Raising one's
 * own nice value needs no privilege.
 */
export function lowerThisThreadsPriority(nice: number): boolean {
  let tid: number;
  try {
    tid = Number(readlinkSync('/proc/thread-self').split('/').pop());
  } catch {
    return false; // not Linux, or no /proc
  }
  if (!Number.isInteger(tid) || tid <= 0) return false;
  try {
    setPriority(tid, nice);
    return true;
  } catch {
    return false;
  }
}
