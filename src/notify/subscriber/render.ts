import type { SubscriberPayload } from '../../domain/subscribers/notify-subscribers.js';

/**
 * What a subscriber receives, built by the worker from the delivery, the subscriber and the
 * notification's snapshot. `links` carry the subscriber's own token: confirm (double opt-in) and
 * one-click unsubscribe, which works without an account.
 */
export interface SubscriberMessage {
  /** Stable across retries: the `webhook-id`, the mail's Message-ID. */
  deliveryId: string;
  purpose: 'confirm' | 'notify';
  channel: 'email' | 'webhook';
  address: string;
  secret: string | null;
  page: { name: string; url: string };
  links: { unsubscribe: string; confirm: string; documentation: string };
  /** Absent for a confirmation. */
  payload?: SubscriberPayload;
}

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

const html = (paragraphs: string[], links: [string, string][]) =>
  `<!doctype html><html><body style="font-family:system-ui,sans-serif;line-height:1.5;max-width:40rem">`
  + paragraphs.map((p) => `<p style="white-space:pre-wrap">${esc(p)}</p>`).join('')
  + `<p>${links.map(([label, href]) => `<a href="${esc(href)}">${esc(label)}</a>`).join(' · ')}</p></body></html>`;

/** The mail: a confirmation, or the announcement with the page link and the unsubscribe link. */
export function renderSubscriberEmail(m: SubscriberMessage): { subject: string; text: string; html: string; headers: Record<string, string> } {
  // RFC 8058: a mail client's one-click unsubscribe POSTs "List-Unsubscribe=One-Click" to this URL.
  const headers = { 'List-Unsubscribe': `<${m.links.unsubscribe}>`, 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' };
  if (m.purpose === 'confirm') {
    const intro = `Someone, hopefully you, asked to receive status updates of ${m.page.name} at this address.`;
    const ask = 'Confirm the subscription with the link below. If it was not you, ignore this mail: nothing will be sent to you.';
    return {
      subject: `Confirm your subscription to ${m.page.name} status`,
      text: `${intro}\n\n${ask}\n\nConfirm: ${m.links.confirm}\n`,
      html: html([intro, ask], [['Confirm subscription', m.links.confirm]]),
      headers,
    };
  }
  const p = m.payload!;
  return {
    subject: p.subject,
    text: `${p.text}\n\nStatus page: ${m.page.url}\nUnsubscribe: ${m.links.unsubscribe}\n`,
    html: html(p.text.split('\n\n'), [['Status page', m.page.url], ['Unsubscribe', m.links.unsubscribe]]),
    headers,
  };
}

/**
 * Statuspage's webhook subscriber body: `{meta, page, incident}` or `{meta, page,
 * component_update, component}`. Key order is fixed, so every retry sends the same bytes.
 */
export function renderSubscriberWebhook(m: SubscriberMessage): string {
  const p = m.payload!;
  const event = { ...p.event };
  if (event.incident && typeof event.incident === 'object') {
    const incident = event.incident as Record<string, unknown>;
    event.incident = { ...incident, shortlink: `${m.page.url}#incident-${String(incident.id)}` };
  }
  return JSON.stringify({
    meta: { unsubscribe: m.links.unsubscribe, documentation: m.links.documentation },
    page: { id: p.page.id, status_indicator: p.page.status_indicator, status_description: p.page.status_description },
    ...event,
  });
}
