/// <reference lib="dom" />
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSignedInBrowser, SHOTS, startUiServer, type ApiCall, type UiServer } from '../helpers/browser.js';
import { DIALECTS } from '../helpers/dialects.js';

/**
 * Posting a stakeholder update from the incident page in a real Chromium against a real server:
 * the composer pre-filled from the template, the rendered preview, audiences, the countdown to
 * the next update, and "overdue" once it passes.
 */
describe.each(DIALECTS)('stakeholder updates in Chromium on %s', (dialect) => {
  let ui: UiServer;
  let api: ApiCall;
  let browser: Browser;
  let page: Page;
  let pageErrors: string[] = [];

  beforeAll(async () => {
    ui = await startUiServer(dialect, { keyName: 'updates test' });
    api = ui.api;
    ({ browser, page, pageErrors } = await openSignedInBrowser(ui));
  });
  afterAll(async () => {
    await browser?.close();
    await ui?.stop();
  });

  it('posts an update pre-filled from the template, then counts down to the next one and shows it overdue', async () => {
    const created = await api('POST', '/incidents', { title: 'Checkout errors', severity: 'SEV1', summary: 'Card payments fail for some users' });
    expect(created.status).toBe(201);
    const n = created.body.number as number;
    await page.goto(`${ui.server.url}/incidents/${n}`);
    const panel = page.locator('section.updates-panel');
    await panel.getByText('No update posted yet; SEV1 expects one every 30 min.').waitFor();

    await panel.getByRole('button', { name: 'Post update' }).click();
    const text = panel.getByLabel('Update text');
    // The built-in initial template, rendered for this incident.
    await expect.poll(() => text.inputValue(), { timeout: 10_000 }).toContain('**Investigating**: Checkout errors');
    expect(await text.inputValue()).toContain('Impact: Card payments fail for some users');
    expect(await panel.getByLabel('Next update by').inputValue()).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d$/);
    await text.fill(`${await text.inputValue()}\n\nWe rolled back the 14:02 deploy.`);
    await panel.getByLabel('public').check();
    await panel.getByRole('button', { name: 'Preview' }).click();
    const preview = panel.getByTestId('update-preview');
    await preview.locator('strong', { hasText: 'Investigating' }).waitFor();
    expect(await preview.textContent()).toContain('We rolled back the 14:02 deploy.');
    await page.screenshot({ path: `${SHOTS}/firebreak-update-compose-${dialect}.png` });
    await panel.getByRole('button', { name: 'Post update' }).click();

    await panel.getByTestId('update-countdown').getByText(/^(29|30):\d\d$/).waitFor();
    expect(await panel.getByTestId('update-countdown').textContent()).toMatch(/^Next update due in (29|30):\d\d \(by /);
    await page.locator('ol.timeline').getByText('We rolled back the 14:02 deploy.').first().waitFor();
    const list = await api('GET', `/incidents/${n}/updates`);
    const items = list.body.items as { kind: string; audiences: string[]; body: string }[];
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({ kind: 'initial', audiences: ['responders', 'internal', 'public'] });
    expect(items[0]!.body).toContain('We rolled back the 14:02 deploy.');

    // Another responder promises the next update in a moment; the page shows it overdue once it passes.
    const soon = await api('POST', `/incidents/${n}/updates`, { kind: 'update', body: 'Still rolling back.', nextUpdateBy: new Date(Date.now() + 1_500).toISOString() });
    expect(soon.status).toBe(201);
    await panel.getByText('Update overdue by').waitFor({ timeout: 10_000 });
    expect(await panel.getByTestId('update-countdown').textContent()).toMatch(/^Update overdue by 0:\d\d \(by /);
    await page.screenshot({ path: `${SHOTS}/firebreak-update-overdue-${dialect}.png` });
    expect(pageErrors).toEqual([]);
  });
});
