import type { IncidentStatus } from '../api/types.js';

/**
 * Which statuses the UI offers from each status: a mirror of the server's transition table
 * (src/domain/incidents/status.ts), used only to grey out buttons. The server still decides
 * and answers 409 to an impossible move. Going back to `triggered` is left to the API.
 */
const OPEN: IncidentStatus[] = ['triggered', 'acknowledged', 'investigating', 'identified', 'monitoring'];

const ALLOWED_FROM: Record<Exclude<IncidentStatus, 'triggered'>, IncidentStatus[]> = {
  acknowledged: ['triggered'],
  investigating: ['triggered', 'acknowledged', 'identified', 'monitoring', 'resolved'],
  identified: ['triggered', 'acknowledged', 'investigating', 'monitoring'],
  monitoring: ['triggered', 'acknowledged', 'investigating', 'identified'],
  resolved: OPEN,
};

export const STATUS_STEPS = Object.keys(ALLOWED_FROM) as Exclude<IncidentStatus, 'triggered'>[];

export function canMove(from: IncidentStatus, to: Exclude<IncidentStatus, 'triggered'>): boolean {
  return ALLOWED_FROM[to].includes(from);
}
