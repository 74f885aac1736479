/// <reference lib="dom" />
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSignedInBrowser, SHOTS, startUiServer, type UiServer } from '../helpers/browser.js';
import { DIALECTS } from '../helpers/dialects.js';

/**
 * The incident page shows its alerts (issue 15), in a real Chromium at desktop and phone width:
 * the summary from the alert instead of "No summary yet", labels, links, images (http(s) only),
 * custom_details as a collapsible tree, counts, paging, nothing the sender wrote ever run as
 * HTML, and the error when the alerts cannot be loaded.
 */
describe.each(DIALECTS)('incident alerts in Chromium on %s', (dialect) => {
  let ui: UiServer;
  let incidentNumber = 0;

  const pdEvent = (routingKey: string, n: number, extra: Record<string, unknown> = {}) => ({
    routing_key: routingKey,
    event_action: 'trigger',
    dedup_key: `disk-${n}`,
    payload: {
      summary: n === 0 ? 'Disk almost full on db-1 <img src=x onerror="window.__pwned=1">' : `Disk almost full on db-${n + 1}`,
      source: `db-${n + 1}`,
      severity: 'critical',
      component: 'postgres',
      custom_details: { free: '3%', volumes: [{ name: '/data', used_gb: 970 }], nested: { deeper: { deepest: 'bottom value' } } },
    },
    links: [{ href: 'https://grafana.example/d/disk', text: 'Disk dashboard' }, { href: 'javascript:window.__pwned=2', text: 'Evil link' }],
    images: [{ src: 'https://img.example/disk.png', alt: 'Disk graph' }, { src: 'javascript:window.__pwned=3', alt: 'Evil image' }],
    client_url: 'https://monitoring.example/db-1',
    ...extra,
  });

  beforeAll(async () => {
    ui = await startUiServer(dialect, { keyName: 'incident alerts test' });
    // One incident per component, so the 23 alerts below group into one.
    const integration = await ui.api('POST', '/integrations', { name: 'pd', format: 'pagerduty-events-v2', settings: { grouping: 'labels', groupBy: ['component'] } });
    expect(integration.status).toBe(201);
    const key = integration.body.key as string;
    for (let n = 0; n < 23; n += 1) {
      const res = await fetch(`${ui.server.url}/v2/enqueue`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(pdEvent(key, n)) });
      expect(res.status).toBe(202);
    }
    const list = await ui.api('GET', '/incidents');
    const items = (list.body.items ?? list.body) as { number: number; title: string }[];
    expect(items).toHaveLength(1);
    incidentNumber = items[0]!.number;
    expect(items[0]!.title).toBe('component=postgres');
  });
  afterAll(async () => ui?.stop());

  const check = async (page: Page, width: number) => {
    await page.goto(`${ui.server.url}/incidents/${incidentNumber}`);
    const section = page.locator('section#alerts');
    await section.waitFor();
    // The summary comes from the first alert, as text.
    const summaryCard = page.locator('section', { has: page.locator('#summary-h') });
    await summaryCard.getByText('From the alert:').waitFor();
    expect(await summaryCard.textContent()).toContain('Disk almost full on db-1 <img src=x onerror="window.__pwned=1">');
    expect(await summaryCard.getByText('No summary yet').count()).toBe(0);

    expect(await section.locator('h2').textContent()).toContain('(23)');
    await section.getByText('23 firing').waitFor();
    await section.getByText(/First seen/).first().waitFor();

    const first = section.locator('details.alert-item').first();
    expect(await first.getAttribute('open')).not.toBeNull();
    await first.locator('.label-chip', { hasText: 'component' }).waitFor();
    const dashboard = first.getByRole('link', { name: 'Disk dashboard' });
    expect(await dashboard.getAttribute('href')).toBe('https://grafana.example/d/disk');
    expect(await dashboard.getAttribute('rel')).toBe('noopener noreferrer');
    expect(await first.getByRole('link', { name: 'Source' }).getAttribute('href')).toBe('https://monitoring.example/db-1');
    // Nothing but http(s) is ever a link or an image.
    const hrefs = await section.locator('a').evaluateAll((as) => as.map((a) => a.getAttribute('href') ?? ''));
    expect(hrefs.every((h) => /^https?:\/\//.test(h))).toBe(true);
    expect(await first.getByText('Evil link').count()).toBe(0);
    const srcs = await section.locator('img').evaluateAll((imgs) => imgs.map((i) => i.getAttribute('src') ?? ''));
    expect(srcs.length).toBeGreaterThan(0);
    expect(srcs.every((s) => s === 'https://img.example/disk.png')).toBe(true);
    expect(await first.locator('img').getAttribute('referrerpolicy')).toBe('no-referrer');

    // custom_details: a tree whose deeper levels open on a click.
    const tree = first.locator('.alert-custom-details');
    await tree.getByText('free').waitFor();
    const deeperSummary = tree.locator('summary').filter({ hasText: /^deeper/ });
    const deeper = deeperSummary.locator('xpath=..');
    expect(await deeper.getAttribute('open')).toBeNull();
    expect(await tree.getByText('bottom value').isVisible()).toBe(false);
    await deeperSummary.click();
    await tree.getByText('bottom value').waitFor();

    // 20 on the first page, the rest on demand.
    expect(await section.locator('details.alert-item').count()).toBe(20);
    await section.getByRole('button', { name: 'Show more alerts (3 more)' }).click();
    await expect.poll(() => section.locator('details.alert-item').count()).toBe(23);
    expect(await section.getByRole('button', { name: /Show more alerts/ }).count()).toBe(0);

    expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
    // Nothing wider than the screen at phone width.
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow, `page scrolls sideways at ${width}px`).toBeLessThanOrEqual(0);
    await page.screenshot({ path: `${SHOTS}/firebreak-incident-alerts-${width}-${dialect}.png`, fullPage: true });
  };

  it.each([1280, 390])('shows the alerts, summary, links, images and details tree at %i px', async (width) => {
    let browser: Browser | undefined;
    try {
      const opened = await openSignedInBrowser(ui, { width, height: 900 });
      browser = opened.browser;
      await check(opened.page, width);
      // The image host does not exist here: its load failure is the only acceptable console error.
      expect(opened.pageErrors).toEqual([]);
    } finally {
      await browser?.close();
    }
  });

  it('says so when the alerts cannot be loaded', async () => {
    const { browser, page } = await openSignedInBrowser(ui, { width: 390, height: 900 });
    try {
      await page.route(/\/api\/v1\/incidents\/\d+\/alerts\?limit=20$/, (route) =>
        route.fulfill({ status: 503, contentType: 'application/json', body: JSON.stringify({ code: 'UNAVAILABLE', message: 'the database is unavailable; retry shortly', requestId: 'req_test' }) }));
      await page.goto(`${ui.server.url}/incidents/${incidentNumber}`);
      await page.getByText('the database is unavailable; retry shortly').waitFor();
      expect(await page.locator('section#alerts').count()).toBe(0);
    } finally {
      await browser.close();
    }
  });
});
