/** Shapes of the on-call and notification API (src/domain/paging, src/http/routes/paging.ts), as the browser sees them. */

/** One entry of GET /oncall's `explanation`: the layer turn or override that decided. Times are epoch ms. */
export interface OnCallExplanation {
  layerId?: string;
  layerName?: string;
  overrideId?: string;
  shiftStart: number;
  shiftEnd: number;
  reason: string;
}

export interface OnCallSchedule {
  id: string;
  name: string;
  users: { id: string; name: string }[];
  reason: string;
  explanation: OnCallExplanation[];
}

export interface OnCallAnswer {
  at: string;
  schedules: OnCallSchedule[];
}

/** GET /schedules items; `warnings` are the gaps and overlaps of the next two weeks. */
export interface ScheduleSummary {
  id: string;
  name: string;
  teamId: string | null;
  timeZone: string;
  warnings: string[];
}

export type ContactKind = 'webhook' | 'slack' | 'email' | 'ntfy';

export interface ContactMethod {
  id: string;
  userId: string;
  kind: ContactKind;
  label: string;
  address: string;
  verified: boolean;
  hasSecret: boolean;
  disabledReason: string | null;
  createdAt: string;
}

export interface NotificationRule {
  id: string;
  contactMethodId: string;
  delaySeconds: number;
}

export interface ContactList {
  items: ContactMethod[];
  rules: NotificationRule[];
}

export interface Delivery {
  id: string;
  channel: string;
  purpose: string;
  status: 'pending' | 'sending' | 'sent' | 'failed' | 'cancelled' | string;
  attempts: number;
  lastStatusCode: number | null;
  lastError: string | null;
  latencyMs: number | null;
  sentAt: string | null;
}
