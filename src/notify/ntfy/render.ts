import { cut, headline, labelLine, pageSummary, type NotificationMessage } from '../message.js';

/** ntfy's default message size limit; a longer body arrives as an attachment, not a notification. */
export const NTFY_MAX_BYTES = 4096;

/** Whole lines while they fit in `max` UTF-8 bytes; the first line is cut if it alone does not. */
function fitBytes(lines: readonly string[], max: number): string {
  let out = '';
  for (const line of lines) {
    const next = out === '' ? line : `${out}\n${line}`;
    if (Buffer.byteLength(next, 'utf8') <= max) {
      out = next;
      continue;
    }
    if (out === '') {
      let text = line;
      while (Buffer.byteLength(`${text}…`, 'utf8') > max) text = text.slice(0, Math.floor(text.length * 0.9));
      out = `${text}…`;
    }
    break;
  }
  return out;
}

/** Header values must be Latin-1; ntfy decodes RFC 2047 encoded words for the rest. */
function headerValue(text: string): string {
  // eslint-disable-next-line no-control-regex
  const clean = text.replace(/[\r\n\u0000-\u001f]+/g, ' ');
  return /^[\x20-\x7e]*$/.test(clean) ? clean : `=?UTF-8?B?${Buffer.from(clean, 'utf8').toString('base64')}?=`;
}

/**
 * ntfy: a plain POST to the topic URL; the body is the message, the rest rides in headers.
 * The action buttons POST to the one-click ack/resolve links (a POST acts; a GET only shows).
 */
export function renderNtfy(message: NotificationMessage): { body: string; headers: Record<string, string> } {
  const i = message.incident;
  const summary = pageSummary(message);
  const alert = message.alert;
  const lines = message.update
    ? [message.update.body.slice(0, 3000)]
    : i
    ? [
        `${i.severity} · ${i.status}${i.service ? ` · ${i.service.name}` : ''}${alert && alert.count > 1 ? ` · ${alert.count} alerts` : ''}`,
        ...(summary.trim() ? [cut(summary, 1000)] : []),
        ...(alert?.labels.length ? [cut(labelLine(alert.labels), 500)] : []),
        ...(message.reason ? [message.reason] : []),
        // ntfy allows three action buttons (ack, resolve, runbook); the alert's links go in the text.
        ...(alert?.links ?? []).map((l) => `${l.text}: ${l.href}`),
      ]
    : ['This is a test from Firebreak: this contact method works.'];
  const headers: Record<string, string> = {
    Title: headerValue(headline(message)),
    Priority: message.purpose === 'test' ? '3' : i && /1|critical|p0/i.test(i.severity) ? '5' : '4',
    Tags: message.purpose === 'test' ? 'white_check_mark' : 'rotating_light',
  };
  if (message.links.incident) headers.Click = message.links.incident;
  const actions: string[] = [];
  if (message.links.acknowledge) actions.push(`http, Acknowledge, ${message.links.acknowledge}, method=POST, clear=true`);
  if (message.links.resolve) actions.push(`http, Resolve, ${message.links.resolve}, method=POST, clear=true`);
  if (message.links.runbook) actions.push(`view, Runbook, ${message.links.runbook}`);
  if (actions.length) headers.Actions = actions.join('; ');
  return { body: fitBytes(lines, NTFY_MAX_BYTES), headers };
}
