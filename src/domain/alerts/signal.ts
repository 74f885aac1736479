import type { FieldIssue } from '../../core/errors.js';
import type { AlertContext } from './alert-context.js';

/**
 * The normalized shapes every ingest format maps to. A format module only translates a vendor
 * payload into these; deciding what an alert *means* (which incident, who to page) happens later
 * in the domain, so nothing here knows about services, severities or the store.
 */

/** The formats Firebreak accepts. One Integration speaks exactly one of these. */
export type IngestFormat =
  | 'alertmanager-webhook'
  | 'pagerduty-events-v2'
  | 'opsgenie'
  | 'grafana-webhook'
  | 'alertmanager-api'
  | 'generic-webhook';

export const INGEST_FORMATS = [
  'alertmanager-webhook',
  'pagerduty-events-v2',
  'opsgenie',
  'grafana-webhook',
  'alertmanager-api',
  'generic-webhook',
] as const satisfies readonly IngestFormat[];

/** What the sender asks us to do with the alert identified by the signal's key. */
export type AlertAction = 'trigger' | 'acknowledge' | 'resolve';

/**
 * How `dedupKey` identifies the existing alert. Almost always the sender's dedup key; only the
 * Opsgenie API lets a caller address an alert by the id we returned (`identifierType=id|tiny`).
 */
export type AlertLookup = 'dedup-key' | 'alert-id' | 'tiny-id';

export interface AlertSignal {
  /**
   * Identity of the alert within its integration: repeats with the same key update one alert.
   * Sender-given when there is one (PD `dedup_key`, OG `alias`, AM `fingerprint`), else the
   * label-set fingerprint, else (PD trigger / OG create without one) a generated UUID.
   */
  dedupKey: string;
  /** What `dedupKey` names; see {@link AlertLookup}. */
  lookup: AlertLookup;
  action: AlertAction;
  /** One-line human title. Never empty: formats fall back to the alert name. */
  summary: string;
  /** Longer free text when the sender has one (AM `description` annotation, OG `description`). */
  description: string | null;
  /**
   * The sender's severity exactly as sent (`critical`, `P2`, `page`…). Mapping to a Firebreak
   * severity level is configuration, so it is not interpreted here.
   */
  severity: string | null;
  /** What the alert is about or came from: PD `payload.source`, OG `entity`, AM `instance`. */
  source: string | null;
  /** Identity-ish key/value pairs that routing and runbook matchers evaluate. */
  labels: Record<string, string>;
  /** Free-text key/value pairs (AM annotations); not used for identity. */
  annotations: Record<string, string>;
  /** Free-form tags (Opsgenie `tags`). */
  tags: string[];
  /** When the problem started, epoch ms UTC; null when the sender did not say. */
  startedAt: number | null;
  /** When the problem ended (resolved alerts, or an AM API alert's planned expiry), epoch ms. */
  endedAt: number | null;
  /** Link back to whatever generated the alert (AM `generatorURL`, PD `client_url`). */
  generatorUrl: string | null;
  /** Runbook link from `runbook_url`-like annotations or a PD link whose text says runbook. */
  runbookUrl: string | null;
  /**
   * The sender's grouping key (AM / Grafana `groupKey`) — signals sharing it belong to one
   * incident. Null when the sender does not group.
   */
  groupKey: string | null;
  /** The vendor's per-alert object, kept verbatim for display and exact round trips. */
  details: unknown;
  /**
   * What the incident page shows beyond the fields above (links, images, custom_details, tags),
   * bounded (alert-context.ts) and stored with the alert; absent or null when there is none.
   */
  context?: AlertContext | null;
  /**
   * Who acknowledged or closed it and what they said (Opsgenie `user` and `note`): written on
   * the incident's timeline.
   */
  note?: SenderNote;
  /**
   * Alertmanager API only: the firing alert resolves itself at this time (epoch ms) unless the
   * client posts it again, as in Alertmanager (its `endsAt`, else receipt + resolve_timeout).
   */
  expiresAt?: number;
  /**
   * Set on the resolve the expiry job sends: it applies only if the open alert's recorded
   * expiry has really passed (a re-post may have extended it since the job looked), and `note`
   * says why it resolved, for the alert's decision and the incident's timeline.
   */
  expiry?: { note: string };
  /**
   * Set on the trigger the release job sends for a stored alert whose silence or maintenance
   * window ended: it re-evaluates the open alert as if it had just arrived (pages unless
   * something else still holds it), is never counted as a repeat, and never creates an alert.
   * `note` says what ended, for the alert's decision.
   */
  release?: { note: string };
}

/** A sender's note on an alert (Opsgenie `note`, `user`, `source`). */
export interface SenderNote {
  user: string | null;
  text: string | null;
  /** `acknowledge`, `close` or `note`: what the sender did. */
  action: string;
}

/**
 * An edit to an existing alert's text without changing its state (Opsgenie PUT message/description),
 * or a note added to it (Opsgenie POST notes: `summary` and `description` null, `note` set).
 */
export interface AlertUpdate {
  dedupKey: string;
  lookup: AlertLookup;
  summary: string | null;
  description: string | null;
  note?: SenderNote;
}

/** A PagerDuty change event: a record for the timeline (deploys, config changes), never an alert. */
export interface ChangeEvent {
  summary: string;
  source: string | null;
  /** Epoch ms; the receive time when the sender gave none. */
  occurredAt: number;
  links: { href: string; text: string | null }[];
  details: unknown;
}

/** The HTTP answer the sender expects once the result is durably stored. */
export interface IngestReply {
  status: number;
  /** JSON body; `null` means an empty body (Alertmanager API's 200). */
  body: unknown;
}

export interface IngestResult {
  format: IngestFormat;
  signals: AlertSignal[];
  updates: AlertUpdate[];
  changes: ChangeEvent[];
  /** Alerts the sender dropped before sending (AM `truncatedAlerts`); they are not in `signals`. */
  truncated: number;
  /** Items rejected while the rest of the batch was accepted (Alertmanager API semantics). */
  rejected: FieldIssue[];
  /** Sender grouping key for the whole message, when there is one. */
  groupKey: string | null;
  /** Receiver / contact point name as the sender knows it (AM receiver, unescaped). */
  receiver: string | null;
  /** Reply to send after the signals are committed. */
  reply: IngestReply;
}

export interface IngestContext {
  /** Receive time, epoch ms: fills in timestamps the sender left out. */
  now: number;
  /**
   * Which endpoint of a multi-endpoint format received the body (PD `enqueue`|`change`,
   * OG `create`|`close`|`acknowledge`|`message`|`description`). Defaults to the main one.
   */
  endpoint?: string;
  /** Path `{identifier}` and `identifierType` query of the Opsgenie per-alert endpoints. */
  identifier?: string;
  identifierType?: string;
  /** UUID source for generated dedup keys and request ids; injected so tests are deterministic. */
  newUuid?: () => string;
  /** Integration settings the format validates itself (generic mapping, AM resolve timeout). */
  settings?: unknown;
}

/** A result with every list empty; formats spread their findings over it. */
export function emptyResult(format: IngestFormat, reply: IngestReply): IngestResult {
  return {
    format,
    signals: [],
    updates: [],
    changes: [],
    truncated: 0,
    rejected: [],
    groupKey: null,
    receiver: null,
    reply,
  };
}
