/// <reference lib="dom" />
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSignedInBrowser, SHOTS, startUiServer, type ApiCall, type UiServer } from '../helpers/browser.js';
import { DIALECTS } from '../helpers/dialects.js';

/** Issue 13: the Metrics page and an incident's targets, in a real Chromium against a real server. */
describe.each(DIALECTS)('metrics in Chromium on %s', (dialect) => {
  let ui: UiServer;
  let api: ApiCall;
  let browser: Browser;
  let page: Page;
  let pageErrors: string[] = [];

  beforeAll(async () => {
    ui = await startUiServer(dialect, { keyName: 'metrics test' });
    api = ui.api;
    ({ browser, page, pageErrors } = await openSignedInBrowser(ui));
  });
  afterAll(async () => {
    await browser?.close();
    await ui?.stop();
  });

  it('shows the incident against its targets and the report as tables', async () => {
    const created = await api('POST', '/incidents', { title: 'Checkout errors', severity: 'SEV1' });
    expect(created.status).toBe(201);
    const n = created.body.number as number;
    expect((await api('POST', `/incidents/${n}/acknowledge`, {})).status).toBe(200);
    const drill = await api('POST', '/incidents', { title: 'Game day', severity: 'SEV2', isDrill: true });
    expect(drill.status).toBe(201);

    await page.goto(`${ui.server.url}/incidents/${n}`);
    await page.locator('[data-target="Ack target"]').getByText('Ack target 5 min: met').waitFor();
    await page.locator('[data-target="Resolve target"]').getByText('Resolve target 4 h 0 min: pending').waitFor();

    await page.getByRole('link', { name: 'Metrics' }).click();
    const bySeverity = page.locator('table', { has: page.locator('caption', { hasText: 'By severity' }) });
    const row = bySeverity.locator('tbody tr', { hasText: 'SEV1' });
    await row.waitFor();
    expect(await row.locator('td').allTextContents()).toEqual(expect.arrayContaining(['1', '1 / 0', '0 / 0']));
    const all = page.locator('table', { has: page.locator('caption', { hasText: 'All incidents' }) });
    expect(await all.locator('tbody tr', { hasText: 'drills' }).locator('td').first().textContent()).toBe('1');
    expect(await page.locator('.definitions').textContent()).toContain('start to start');
    await page.screenshot({ path: `${SHOTS}/firebreak-metrics-${dialect}.png`, fullPage: true });
    expect(pageErrors).toEqual([]);
  });
  it.each([1280, 390])('draws the charts at %i px: canvases, legends naming the series, nothing wider than the window', async (width) => {
    await page.setViewportSize({ width, height: 900 });
    await page.goto(`${ui.server.url}/reports`);
    const charts = page.locator('.charts figure.chart');
    await charts.first().locator('canvas').first().waitFor();
    expect(await charts.count()).toBe(3);
    for (const name of ['times', 'severity-counts', 'tta-histogram']) {
      const chart = page.locator(`figure[data-chart="${name}"]`);
      expect(await chart.locator('canvas').count(), name).toBeGreaterThan(0);
      const box = await chart.locator('canvas').first().boundingBox();
      expect(box!.width, name).toBeGreaterThan(100);
      expect(box!.x + box!.width, name).toBeLessThanOrEqual(width);
    }
    const legend = (name: string) => page.locator(`figure[data-chart="${name}"] .u-legend`).textContent();
    expect(await legend('times')).toMatch(/TTA median[\s\S]*TTA p90[\s\S]*TTR median[\s\S]*TTR p90/);
    expect(await legend('severity-counts')).toContain('SEV1');
    expect(await legend('tta-histogram')).toContain('Time to acknowledge');
    // The text alternative: the histogram's table counts the one acknowledged non-drill incident.
    const histogram = page.locator('figure[data-chart="tta-histogram"] details table');
    expect((await histogram.locator('tbody td').allTextContents()).map(Number).reduce((a, b) => a + b, 0)).toBe(1);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(width);
    await page.screenshot({ path: `${SHOTS}/firebreak-metrics-charts-${width}-${dialect}.png`, fullPage: true });
    expect(pageErrors).toEqual([]);
  });
});
