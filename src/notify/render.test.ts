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
/** A page for an alert-opened incident: no summary of its own, so the alert's words. */
const alertPage: NotificationMessage = {
  ...page,
  incident: { ...page.incident!, title: 'HighLatency (job=api)', summary: '' },
  alert: {
    summary: 'p99 latency above 2s on api-2', description: 'p99 is 2.7s for 10m', count: 3,
    labels: [['alertname', 'HighLatency'], ['severity', 'critical'], ['instance', 'api-2:9090'], ['job', 'api']],
    links: [{ text: 'Runbook', href: 'https://runbooks.example.com/high-latency' }, { text: 'Dashboard', href: 'https://grafana.example/d/api' }, { text: 'Source', href: 'http://prom:9090/graph?g0.expr=up' }],
  },
};

describe('channel renderings', () => {
  it.each([['alert page', alertPage]])('webhook %s', (_n, m) => expect(JSON.parse(renderWebhook(m))).toMatchSnapshot());
  it.each([['alert page', alertPage]])('slack %s', (_n, m) => expect(renderSlack(m)).toMatchSnapshot());
  it.each([['alert page', alertPage]])('email %s', (_n, m) => expect(renderEmail(m)).toMatchSnapshot());
  it.each([['alert page', alertPage]])('ntfy %s', (_n, m) => expect(renderNtfy(m)).toMatchSnapshot());

  it('every channel carries the alert summary, severity, service, key labels and links', () => {
    const texts: [string, string][] = [
      ['webhook', renderWebhook(alertPage)],
      ['slack', JSON.stringify(renderSlack(alertPage))],
      ['email text', renderEmail(alertPage).text],
      ['email html', renderEmail(alertPage).html],
      ['ntfy', JSON.stringify(renderNtfy(alertPage))],
    ];
    for (const [channel, text] of texts) {
      for (const expected of ['p99 latency above 2s on api-2', 'SEV1', 'Checkout', 'HighLatency', 'api-2:9090', 'https://runbooks.example.com/high-latency', 'https://grafana.example/d/api']) {
        expect(text, `${channel} lacks ${expected}`).toContain(expected);
      }
    }
  });

  it.each<[string, (m: NotificationMessage) => void]>([
    ['slack: sections at most 3000 characters, buttons at most 75, at most 25 per actions block, at most 50 blocks', (m) => {
      const { blocks } = renderSlack(m) as { blocks: { type: string; text?: { text: string }; elements?: { type: string; text: string | { text: string } }[]; fields?: { text: string }[] }[] };
      expect(blocks.length).toBeLessThanOrEqual(50);
      for (const b of blocks) {
        if (b.text) expect(b.text.text.length).toBeLessThanOrEqual(3000);
        for (const f of b.fields ?? []) expect(f.text.length).toBeLessThanOrEqual(2000);
        if (b.type === 'actions') expect(b.elements!.length).toBeLessThanOrEqual(25);
        if (b.type === 'context') expect(b.elements!.length).toBeLessThanOrEqual(10);
        for (const e of b.elements ?? []) {
          if (e.type === 'button') expect((e.text as { text: string }).text.length).toBeLessThanOrEqual(75);
          else expect((e.text as string).length).toBeLessThanOrEqual(3000);
        }
      }
    }],
    ['ntfy: the body fits its 4096-byte message limit', (m) => {
      expect(Buffer.byteLength(renderNtfy(m).body, 'utf8')).toBeLessThanOrEqual(4096);
      expect(renderNtfy(m).headers.Actions!.split(';').length).toBeLessThanOrEqual(3);
    }],
    ['email: the summary is cut, not dropped', (m) => {
      expect(renderEmail(m).text).toContain('ü'.repeat(100));
      expect(renderEmail(m).text.length).toBeLessThan(20_000);
    }],
    ['webhook: the description is cut to 4000 characters', (m) => {
      expect(JSON.parse(renderWebhook(m)).data.alert.description.length).toBeLessThanOrEqual(4000);
    }],
  ])('limits with an oversized alert: %s', (_name, check) => {
    const huge: NotificationMessage = {
      ...alertPage,
      alert: {
        summary: 'ü'.repeat(5000), description: '<&>'.repeat(5000), count: 9000,
        labels: Array.from({ length: 8 }, (_, i) => [`label${i}`, 'v'.repeat(200)] as [string, string]),
        links: Array.from({ length: 40 }, (_, i) => ({ text: `A very long link text that goes on and on and on past the limit ${i}`, href: `https://l.example/${'p'.repeat(300)}/${i}` })),
      },
    };
    check(huge);
  });

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
