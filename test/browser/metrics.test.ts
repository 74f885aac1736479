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
});
