import { headline, type NotificationMessage } from '../message.js';

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
  const lines = message.update
    ? [message.update.body.slice(0, 3000)]
    : i
    ? [`${i.severity} · ${i.status}${i.service ? ` · ${i.service.name}` : ''}`, ...(i.summary.trim() ? [i.summary.slice(0, 1000)] : []), ...(message.reason ? [message.reason] : [])]
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
  return { body: lines.join('\n'), headers };
}
