import { markdownToText, renderMarkdown } from '../../core/markdown.js';
import { cut, headline, pageSummary, type NotificationMessage } from '../message.js';

const html = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/**
 * A plain page by email: subject = the headline, a text part and a minimal HTML part. The ack
 * and resolve links open a confirm page; nothing happens on GET, so mail scanners that prefetch
 * links cannot acknowledge for you.
 */
export function renderEmail(message: NotificationMessage): { subject: string; text: string; html: string } {
  const title = headline(message);
  if (message.followUp) return renderFollowUpEmail(message, message.followUp, title);
  if (message.update) return renderUpdateEmail(message, title, message.update.body);
  const i = message.incident;
  const facts: [string, string][] = i
    ? [
        ['Severity', i.severity],
        ['Status', i.status],
        ['Service', i.service?.name ?? '—'],
        ['Declared', new Date(i.declaredAt).toISOString()],
        ...(message.alert && message.alert.count > 1 ? [['Alerts', String(message.alert.count)] as [string, string]] : []),
        ...(message.alert?.labels ?? []),
      ]
    : [];
  const summary = cut(pageSummary(message), 8000);
  const links: [string, string | undefined][] = [
    ['Acknowledge', message.links.acknowledge],
    ['Resolve', message.links.resolve],
    ['Open incident', message.links.incident],
    ['Runbook', message.links.runbook],
  ];
  const present = [...links, ...(message.alert?.links ?? []).slice(0, 10).map((l): [string, string] => [l.text, l.href])].filter((l): l is [string, string] => typeof l[1] === 'string');
  const text = [
    title,
    '',
    ...(i ? facts.map(([k, v]) => `${k}: ${v}`) : ['This is a test from Firebreak: this contact method works.']),
    ...(summary.trim() ? ['', summary] : []),
    ...(message.reason ? ['', `Why you: ${message.reason}`] : []),
    ...(present.length ? ['', ...present.map(([k, v]) => `${k}: ${v}`)] : []),
    '',
    `Delivery ${message.deliveryId}`,
  ].join('\n');
  const body = [
    `<h2>${html(title)}</h2>`,
    i ? `<table>${facts.map(([k, v]) => `<tr><th align="left">${html(k)}</th><td>${html(v)}</td></tr>`).join('')}</table>` : '<p>This is a test from Firebreak: this contact method works.</p>',
    summary.trim() ? `<p>${html(summary).replace(/\n/g, '<br>')}</p>` : '',
    message.reason ? `<p><small>Why you: ${html(message.reason)}</small></p>` : '',
    present.length ? `<p>${present.map(([k, v]) => `<a href="${html(v)}">${html(k)}</a>`).join(' · ')}</p>` : '',
    `<p><small>Delivery ${html(message.deliveryId)}</small></p>`,
  ].filter(Boolean).join('\n');
  return { subject: title, text, html: body };
}

/** Follow-ups (overdue action items, tasks due, the weekly digest): the lines, then the link. */
function renderFollowUpEmail(message: NotificationMessage, followUp: NonNullable<NotificationMessage['followUp']>, title: string): { subject: string; text: string; html: string } {
  const link = message.links.incident;
  const text = [title, '', ...followUp.lines, ...(link ? ['', `Open: ${link}`] : []), '', `Delivery ${message.deliveryId}`].join('\n');
  const body = [
    `<h2>${html(title)}</h2>`,
    `<ul>${followUp.lines.map((l) => `<li>${html(l)}</li>`).join('')}</ul>`,
    link ? `<p><a href="${html(link)}">Open in Firebreak</a></p>` : '',
    `<p><small>Delivery ${html(message.deliveryId)}</small></p>`,
  ].filter(Boolean).join('\n');
  return { subject: title, text, html: body };
}

/** A stakeholder update by email: the update's own words (Markdown) and a link to the incident. */
function renderUpdateEmail(message: NotificationMessage, title: string, body: string): { subject: string; text: string; html: string } {
  const link = message.links.incident;
  const text = [markdownToText(body), ...(link ? ['', `Incident: ${link}`] : []), '', `Delivery ${message.deliveryId}`].join('\n');
  const htmlBody = [
    renderMarkdown(body, { headingOffset: 1 }),
    link ? `<p><a href="${html(link)}">Open incident</a></p>` : '',
    `<p><small>Delivery ${html(message.deliveryId)}</small></p>`,
  ].filter(Boolean).join('\n');
  return { subject: title, text, html: htmlBody };
}
