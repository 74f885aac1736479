import { AppError } from '../../core/errors.js';

/**
 * One status column, one table of moves. `triggered` means nobody has it yet (paging runs);
 * every other open status means a human owns it. `resolved` is terminal until re-opened.
 */
export const INCIDENT_STATUSES = ['triggered', 'acknowledged', 'investigating', 'identified', 'monitoring', 'resolved'] as const;
export type IncidentStatus = (typeof INCIDENT_STATUSES)[number];

export const STATUS_EVENTS = ['acknowledge', 'investigate', 'identify', 'monitor', 'resolve', 'reopen', 'retrigger'] as const;
export type StatusEvent = (typeof STATUS_EVENTS)[number];

const OPEN_HANDLED: IncidentStatus[] = ['acknowledged', 'investigating', 'identified', 'monitoring'];

/** event → [statuses it may start from, status it leads to] */
const TRANSITIONS: Record<StatusEvent, { from: IncidentStatus[]; to: IncidentStatus }> = {
  acknowledge: { from: ['triggered'], to: 'acknowledged' },
  investigate: { from: ['triggered', 'acknowledged', 'identified', 'monitoring'], to: 'investigating' },
  identify: { from: ['triggered', 'acknowledged', 'investigating', 'monitoring'], to: 'identified' },
  monitor: { from: ['triggered', 'acknowledged', 'investigating', 'identified'], to: 'monitoring' },
  resolve: { from: ['triggered', ...OPEN_HANDLED], to: 'resolved' },
  // A human re-opening a resolved incident is already on it.
  reopen: { from: ['resolved'], to: 'investigating' },
  // An acknowledgement that timed out hands the incident back to paging.
  retrigger: { from: OPEN_HANDLED, to: 'triggered' },
};

export interface PlannedTransition {
  from: IncidentStatus[];
  to: IncidentStatus;
}

/** The move `event` makes from `current`, or a CONFLICT naming what is allowed. */
export function transition(current: IncidentStatus, event: StatusEvent): PlannedTransition {
  const rule = TRANSITIONS[event];
  if (!rule.from.includes(current)) {
    throw new AppError('CONFLICT', `cannot ${event} an incident that is ${current}; ${event} is allowed from ${rule.from.join(', ')}`);
  }
  return rule;
}

/** The event that moves an incident to `target`, so clients can ask for a status by name. */
export function eventForTarget(target: IncidentStatus, current: IncidentStatus): StatusEvent {
  if (target === 'investigating' && current === 'resolved') return 'reopen';
  if (target === 'triggered') return 'retrigger';
  const byTarget: Record<Exclude<IncidentStatus, 'triggered'>, StatusEvent> = {
    acknowledged: 'acknowledge',
    investigating: 'investigate',
    identified: 'identify',
    monitoring: 'monitor',
    resolved: 'resolve',
  };
  return byTarget[target];
}

export interface LifecycleTimes {
  acknowledged_at: number | null;
  mitigated_at: number | null;
  resolved_at: number | null;
}

/**
 * Which metric moments a move records. The first time a human takes an incident counts as the
 * acknowledgement, whatever status they pick, except resolving: an incident resolved without
 * ever being taken (an alert that cleared itself, a resolve straight from triggered) has no
 * acknowledgement time, so MTTA is not flattered by it (docs/metrics.md). The first move to
 * monitoring or resolved counts as mitigation. Re-opening clears only the resolve time.
 */
export function lifecycleTimesAfter(to: IncidentStatus, event: StatusEvent, times: LifecycleTimes, now: number): LifecycleTimes {
  const next: LifecycleTimes = { acknowledged_at: times.acknowledged_at, mitigated_at: times.mitigated_at, resolved_at: times.resolved_at };
  if (to !== 'triggered' && to !== 'resolved' && next.acknowledged_at === null) next.acknowledged_at = now;
  if ((to === 'monitoring' || to === 'resolved') && next.mitigated_at === null) next.mitigated_at = now;
  if (to === 'resolved') next.resolved_at = now;
  if (event === 'reopen') next.resolved_at = null;
  return next;
}

export function isOpen(status: IncidentStatus): boolean {
  return status !== 'resolved';
}
