/**
 * What a notification says, independent of the channel. Built by the worker from the delivery
 * row; every channel's pure `render` turns it into its own format.
 */
export type ChannelKind = 'webhook' | 'slack' | 'email' | 'ntfy';
export const CHANNEL_KINDS: readonly ChannelKind[] = ['webhook', 'slack', 'email', 'ntfy'];

export interface NotificationMessage {
  /** Stable across retries: the Standard Webhooks `webhook-id`, the email Message-ID. */
  deliveryId: string;
  /**
   * `reminder`: a stakeholder update is overdue (the cadence contract), a communication deadline
   * is due, or a post-mortem's due date came; not a page. `update`: a stakeholder update to one
   * audience (`update`).
   */
  purpose: 'page' | 'test' | 'reminder' | 'update';
  /** What a reminder is about: a stakeholder update (default) or a post-mortem's due date. */
  reminderOf?: 'update' | 'postmortem';
  /** When the step that caused this notification fell due (epoch ms). */
  at: number;
  incident: {
    id: string;
    number: number;
    title: string;
    summary: string;
    severity: string;
    status: string;
    service: { slug: string; name: string } | null;
    declaredAt: number;
  } | null;
  recipient: { id: string; name: string; email: string } | null;
  /** Why this person is paged ("level 2 of 3: schedule Payments primary"). */
  reason: string | null;
  /** The stakeholder update this delivers (purpose `update`): its words for this audience. */
  update?: { id: string; kind: string; audience: string; body: string } | undefined;
  links: {
    incident?: string | undefined;
    runbook?: string | undefined;
    /** One-click pages that confirm before acting (mail scanners prefetch links). */
    acknowledge?: string | undefined;
    resolve?: string | undefined;
  };
  /**
   * A page for an alert-opened incident: what its first alert says, its key labels and links,
   * and how many alerts the incident has (worker/alert-facts.ts). Each channel fits it to its limits.
   */
  alert?: AlertFacts | undefined;
  /**
   * Follow-up traffic (domain/actions): an overdue action item, a post-incident task due, a
   * team's weekly digest. Its subject replaces the headline and its lines are the body.
   */
  followUp?: { kind: 'action_overdue' | 'task_due' | 'action_digest'; subject: string; lines: string[] } | undefined;
}

export interface AlertFacts {
  summary: string;
  description: string | null;
  /** Alerts in the incident, this one included. */
  count: number;
  /** The labels a responder reads first (alertname, severity, service…), in that order. */
  labels: [string, string][];
  links: { text: string; href: string }[];
}

export type SendOutcome =
  | { ok: true; status: number | null; latencyMs: number }
  | {
      ok: false;
      /** False for errors a retry cannot fix (bad address, 4xx, SSRF refusal). */
      retryable: boolean;
      status: number | null;
      /** The receiver's Retry-After, in ms from now. */
      retryAfterMs: number | null;
      error: string;
      latencyMs: number;
      /** The destination is gone for good (HTTP 410, Slack channel archived): stop using it. */
      disable?: boolean;
    };

/** Cuts to `max` UTF-16 units with `…`, never splitting a surrogate pair. */
export function cut(text: string, max: number): string {
  if (text.length <= max) return text;
  const end = /[\ud800-\udbff]/.test(text.charAt(max - 2)) ? max - 2 : max - 1;
  return `${text.slice(0, end)}…`;
}

/**
 * What a page says the problem is: the incident's own summary, else the alert's (its summary
 * when the title does not already say it, and its description), else nothing.
 */
export function pageSummary(message: NotificationMessage): string {
  const i = message.incident;
  if (!i) return '';
  if (i.summary.trim()) return i.summary;
  const a = message.alert;
  if (!a) return '';
  return [a.summary.trim() && !i.title.includes(a.summary.trim()) ? a.summary : '', a.description?.trim() ?? ''].filter(Boolean).join('\n');
}

/** `alertname=HighLatency · severity=critical`, for one-line channels. */
export function labelLine(labels: readonly [string, string][]): string {
  return labels.map(([k, v]) => `${k}=${v}`).join(' · ');
}

const UPDATE_WORD: Record<string, string> = { initial: 'Investigating', update: 'Update', resolution: 'Resolved' };

/** The first line of a page: `[SEV1] #42 Checkout 5xx` (or the test-send wording). */
export function headline(message: NotificationMessage): string {
  if (message.followUp) return message.followUp.subject;
  if (!message.incident) return 'Firebreak test notification';
  const i = message.incident;
  if (message.purpose === 'reminder' && message.reminderOf === 'postmortem') return `[${i.severity}] #${i.number} post-mortem due: ${i.title}`;
  if (message.purpose === 'reminder') return `[${i.severity}] #${i.number} ${message.reason?.startsWith('Due:') ? 'communication due' : 'update overdue'}: ${i.title}`;
  if (message.update) return `[${i.severity}] #${i.number} ${UPDATE_WORD[message.update.kind] ?? 'Update'}: ${i.title}`;
  return `[${i.severity}] #${i.number} ${i.title}`;
}
