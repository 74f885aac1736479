import type { IntegrationSettings } from './settings.js';

/**
 * Dead man's switch. Pure: which heartbeat integrations have missed their ping at `now`.
 * A ping is due every `intervalSeconds`; after `graceSeconds` more without one, the
 * integration raises its "heartbeat missed" alert through the normal ingest pipeline.
 */
export interface HeartbeatState {
  id: string;
  lastHeartbeatAt: number | null;
  createdAt: number;
  disabled: boolean;
  settings: IntegrationSettings;
}

export function heartbeatDeadline(state: HeartbeatState): number | null {
  const hb = state.settings.heartbeat;
  if (!hb || state.disabled) return null;
  return (state.lastHeartbeatAt ?? state.createdAt) + (hb.intervalSeconds + hb.graceSeconds) * 1000;
}

/** The integrations whose deadline has passed, with the time since which they are silent. */
export function missedHeartbeats(states: readonly HeartbeatState[], now: number): { id: string; since: number }[] {
  const missed: { id: string; since: number }[] = [];
  for (const s of states) {
    const deadline = heartbeatDeadline(s);
    if (deadline !== null && now >= deadline) missed.push({ id: s.id, since: s.lastHeartbeatAt ?? s.createdAt });
  }
  return missed;
}
