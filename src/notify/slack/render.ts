import { cut, headline, pageSummary, type NotificationMessage } from '../message.js';

/** Slack mrkdwn escaping: only &, < and > are special. */
export function slackEscape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

const link = (url: string, label: string) => `<${url.replace(/[<>|]/g, encodeURIComponent)}|${slackEscape(label)}>`;

/**
 * An incoming-webhook message with Block Kit: a header line, the facts, then buttons. `text` is
 * the notification fallback Slack shows in pushes. Buttons are plain links to the one-click
 * confirm pages, and also carry `value` for an interactive Slack app (see slack/verify.ts).
 */
export function renderSlack(message: NotificationMessage): { text: string; blocks: unknown[] } {
  const title = headline(message);
  const i = message.incident;
  const blocks: unknown[] = [
    { type: 'section', text: { type: 'mrkdwn', text: `*${slackEscape(title)}*` } },
  ];
  if (message.update) {
    // A stakeholder update: its own words, not the page's facts (Slack caps a section at 3000).
    blocks.push({ type: 'section', text: { type: 'mrkdwn', text: slackEscape(message.update.body.slice(0, 2900)) } });
  } else if (i) {
    const fields = [
      `*Severity*\n${slackEscape(i.severity)}`,
      `*Status*\n${slackEscape(i.status)}`,
      `*Service*\n${i.service ? slackEscape(i.service.name) : '—'}`,
      `*Declared*\n<!date^${Math.floor(i.declaredAt / 1000)}^{date_short_pretty} {time}|${new Date(i.declaredAt).toISOString()}>`,
    ];
    if (message.alert && message.alert.count > 1) fields.push(`*Alerts*\n${message.alert.count}`);
    blocks.push({ type: 'section', fields: fields.map((text) => ({ type: 'mrkdwn', text })) });
    const summary = pageSummary(message);
    // A section's text holds at most 3000 characters; escaping can grow it, so cut before and after.
    if (summary.trim()) blocks.push({ type: 'section', text: { type: 'mrkdwn', text: cut(slackEscape(cut(summary, 2900)), 3000) } });
    if (message.alert?.labels.length) {
      // A context block holds at most 10 elements, each at most 3000 characters.
      blocks.push({ type: 'context', elements: message.alert.labels.slice(0, 10).map(([k, v]) => ({ type: 'mrkdwn', text: cut(`*${slackEscape(k)}*: ${slackEscape(v)}`, 3000) })) });
    }
  } else {
    blocks.push({ type: 'section', text: { type: 'mrkdwn', text: 'This is a test from Firebreak: this contact method works.' } });
  }
  if (message.reason) blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: slackEscape(message.reason.slice(0, 2000)) }] });
  const buttons: unknown[] = [];
  if (message.links.acknowledge) buttons.push({ type: 'button', style: 'primary', text: { type: 'plain_text', text: 'Acknowledge' }, url: message.links.acknowledge, action_id: 'firebreak_ack', value: tokenOf(message.links.acknowledge) });
  if (message.links.resolve) buttons.push({ type: 'button', text: { type: 'plain_text', text: 'Resolve' }, url: message.links.resolve, action_id: 'firebreak_resolve', value: tokenOf(message.links.resolve) });
  if (message.links.incident) buttons.push({ type: 'button', text: { type: 'plain_text', text: 'Open incident' }, url: message.links.incident, action_id: 'firebreak_open' });
  if (message.links.runbook) buttons.push({ type: 'button', text: { type: 'plain_text', text: 'Runbook' }, url: message.links.runbook, action_id: 'firebreak_runbook' });
  // The alert's own links (dashboard, runbook, source…): a button's text is at most 75
  // characters, its URL at most 3000, and action ids must be unique within the message.
  for (const [n, l] of (message.alert?.links ?? []).entries()) {
    if (buttons.length >= 25 || l.href.length > 3000) continue;
    buttons.push({ type: 'button', text: { type: 'plain_text', text: cut(l.text, 75) }, url: l.href, action_id: `firebreak_alert_link_${n}` });
  }
  if (buttons.length) blocks.push({ type: 'actions', elements: buttons });
  const fallbackLink = message.links.incident ? ` — ${link(message.links.incident, 'open incident')}` : '';
  return { text: `${slackEscape(title)}${fallbackLink}`, blocks };
}

function tokenOf(url: string): string {
  return url.slice(url.lastIndexOf('/') + 1);
}
