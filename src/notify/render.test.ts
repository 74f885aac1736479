import { describe, expect, it } from 'vitest';
import { renderEmail } from './email/render.js';
import type { NotificationMessage } from './message.js';
import { renderNtfy } from './ntfy/render.js';
import { renderSlack } from './slack/render.js';
import { renderWebhook } from './webhook/render.js';

const page: NotificationMessage = {
  deliveryId: 'dlv_01j000000000000000000000aa',
  purpose: 'page',
  at: Date.parse('2026-03-01T10:00:00Z'),
  incident: {
    id: 'inc_01j000000000000000000000bb', number: 42, title: 'Checkout <5xx> & timeouts', summary: 'Errors at 40%', severity: 'SEV1', status: 'triggered',
    service: { slug: 'checkout', name: 'Checkout' }, declaredAt: Date.parse('2026-03-01T09:59:30Z'),
  },
  recipient: { id: 'usr_1', name: 'Alice Ng', email: 'alice@example.test' },
  reason: 'level 1 of 2: user Alice Ng',
  links: {
    incident: 'https://fb.example/incidents/42',
    runbook: 'https://fb.example/runbooks/checkout',
    acknowledge: 'https://fb.example/ack/a.x.inc.usr.mac',
    resolve: 'https://fb.example/ack/r.x.inc.usr.mac',
  },
};
const test: NotificationMessage = { ...page, purpose: 'test', incident: null, reason: null, links: {} };

describe('channel renderings', () => {
  it.each([['page', page], ['test', test]])('webhook %s', (_n, m) => expect(JSON.parse(renderWebhook(m))).toMatchSnapshot());
  it.each([['page', page], ['test', test]])('slack %s', (_n, m) => expect(renderSlack(m)).toMatchSnapshot());
  it.each([['page', page], ['test', test]])('email %s', (_n, m) => expect(renderEmail(m)).toMatchSnapshot());
  it.each([['page', page], ['test', test]])('ntfy %s', (_n, m) => expect(renderNtfy(m)).toMatchSnapshot());

  it('an update reminder says so in every channel, without acknowledge or resolve links', () => {
    const reminder: NotificationMessage = { ...page, purpose: 'reminder', reason: 'The next stakeholder update is overdue: post one from the incident page.', links: { incident: page.links.incident } };
    const hook = JSON.parse(renderWebhook(reminder));
    expect(hook.type).toBe('incident.update_due');
    expect(hook.data.links.acknowledge).toBeNull();
    expect(renderEmail(reminder).subject).toBe('[SEV1] #42 update overdue: Checkout <5xx> & timeouts');
    expect(renderSlack(reminder).text).toContain('update overdue');
    expect(JSON.stringify(renderNtfy(reminder))).toContain('update overdue');
  });

  it('escapes Slack mrkdwn and HTML, and keeps ntfy headers Latin-1', () => {
    expect(renderSlack(page).text).toContain('Checkout &lt;5xx&gt; &amp; timeouts');
    expect(renderEmail(page).html).toContain('Checkout &lt;5xx&gt; &amp; timeouts');
    const n = renderNtfy({ ...page, incident: { ...page.incident!, title: 'Zahlungen – Ausfall' } });
    expect(n.headers.Title).toMatch(/^=\?UTF-8\?B\?/);
  });
  it('the webhook body is byte-identical across renders (retries sign the same bytes)', () => {
    expect(renderWebhook(page)).toBe(renderWebhook(page));
  });
});
