import type { AppError } from '../../core/errors.js';
import type { IngestReply } from '../../domain/alerts/signal.js';

/**
 * PagerDuty's exact response bodies. Clients (go-pagerduty, Alertmanager) parse them: AM logs
 * `message` and `errors[]` from a 400, go-pagerduty reads `dedup_key` from the 202.
 */

export function pagerDutyAccepted(dedupKey: string): IngestReply {
  return { status: 202, body: { status: 'success', message: 'Event processed', dedup_key: dedupKey } };
}

/** Change events answer without a dedup key. The message text is not pinned by PD's schema. */
export function pagerDutyChangeAccepted(): IngestReply {
  return { status: 202, body: { status: 'success', message: 'Change event processed' } };
}

export function pagerDutyInvalidEvent(errors: readonly string[]): IngestReply {
  return { status: 400, body: { status: 'invalid event', message: 'Event object is invalid', errors: [...errors] } };
}

/** For a body that is not JSON at all (the HTTP layer detects that before parsing). */
export function pagerDutyUnrecognized(): IngestReply {
  return {
    status: 400,
    body: { status: 'Unrecognized object', message: 'Event object format is unrecognized', errors: ['JSON parse error'] },
  };
}

/** A VALIDATION AppError from the PD parser as PD's 400; other errors are not PD's to shape. */
export function pagerDutyErrorReply(error: AppError): IngestReply | null {
  if (error.code !== 'VALIDATION') return null;
  const errors = error.issues.length > 0 ? error.issues.map((i) => `${i.field}: ${i.message}`) : [error.message];
  return pagerDutyInvalidEvent(errors);
}
