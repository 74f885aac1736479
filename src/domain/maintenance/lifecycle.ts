/**
 * The pure life of a scheduled maintenance (no I/O; the clock comes in as `now`): which status
 * moves are allowed, what the durable timer does next, and whether a window holds its
 * components and alerts. Statuspage's statuses: scheduled → in_progress → verifying →
 * completed; `cancelled` is ours (a cancelled maintenance is no longer shown publicly).
 */
export const MAINTENANCE_STATUSES = ['scheduled', 'in_progress', 'verifying', 'completed', 'cancelled'] as const;
export type MaintenanceStatus = (typeof MAINTENANCE_STATUSES)[number];

/** What a request may ask for; `start`/`complete` also happen on their own at the scheduled times. */
export const MAINTENANCE_ACTIONS = ['start', 'verify', 'complete', 'cancel'] as const;
export type MaintenanceAction = (typeof MAINTENANCE_ACTIONS)[number];

const TARGET: Record<MaintenanceAction, MaintenanceStatus> = { start: 'in_progress', verify: 'verifying', complete: 'completed', cancel: 'cancelled' };
const FROM: Record<MaintenanceAction, readonly MaintenanceStatus[]> = {
  start: ['scheduled'],
  verify: ['in_progress'],
  complete: ['in_progress', 'verifying'],
  cancel: ['scheduled', 'in_progress', 'verifying'],
};

/** The status an action leads to, or an explanation why it cannot happen now. */
export function transition(from: MaintenanceStatus, action: MaintenanceAction): { to: MaintenanceStatus } | { error: string } {
  if (!FROM[action].includes(from)) return { error: `a maintenance that is ${from.replace('_', ' ')} cannot ${action}` };
  return { to: TARGET[action] };
}

/** In progress or verifying: components under maintenance, alerts held. */
export const isRunning = (status: string): boolean => status === 'in_progress' || status === 'verifying';
/** Over for good: nothing more happens to it. */
export const isOver = (status: string): boolean => status === 'completed' || status === 'cancelled';

/**
 * A schedule as given on create or edit: the start may not be in the past while the
 * maintenance is still only scheduled, and the end must come after the start and after now.
 * Returns the offending field and why, or null.
 */
export function scheduleProblem(s: { scheduledFor: number; scheduledUntil: number; status: MaintenanceStatus }, now: number): { field: string; message: string } | null {
  if (s.status === 'scheduled' && s.scheduledFor < now) return { field: 'scheduledFor', message: 'is in the past: a maintenance is scheduled ahead of time' };
  if (s.scheduledUntil <= s.scheduledFor) return { field: 'scheduledUntil', message: 'must be after scheduledFor' };
  if (s.scheduledUntil <= now) return { field: 'scheduledUntil', message: 'is in the past' };
  return null;
}

export type TimerStep = 'reminder' | 'start' | 'end';

export interface MaintenanceTimerPayload {
  maintenanceId: string;
  step: TimerStep;
  /** The time the step is for; a changed schedule makes an older payload stale. */
  at: number;
}

/**
 * The next thing the durable timer does for this maintenance, or null: the reminder (when one
 * is asked for and still ahead), then the start, then the end. Past times run at once.
 */
export function nextTimer(m: { id: string; status: string; scheduledFor: number; scheduledUntil: number; remindMinutes: number | null; reminded: boolean }, now: number): MaintenanceTimerPayload | null {
  if (m.status === 'scheduled') {
    const remindAt = m.remindMinutes === null ? null : m.scheduledFor - m.remindMinutes * 60_000;
    if (remindAt !== null && !m.reminded && remindAt > now) return { maintenanceId: m.id, step: 'reminder', at: remindAt };
    return { maintenanceId: m.id, step: 'start', at: m.scheduledFor };
  }
  if (isRunning(m.status)) return { maintenanceId: m.id, step: 'end', at: m.scheduledUntil };
  return null;
}

/**
 * Whether a fired timer still describes the maintenance: a step for another status or another
 * time (the schedule was edited, someone started or ended it by hand) is stale and does nothing.
 */
export function timerIsCurrent(p: MaintenanceTimerPayload, m: { status: string; scheduledFor: number; scheduledUntil: number; remindMinutes: number | null }): boolean {
  if (p.step === 'reminder') return m.status === 'scheduled' && m.remindMinutes !== null && p.at === m.scheduledFor - m.remindMinutes * 60_000;
  if (p.step === 'start') return m.status === 'scheduled' && p.at === m.scheduledFor;
  return isRunning(m.status) && p.at === m.scheduledUntil;
}
