/// <reference lib="dom" />
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSignedInBrowser, SHOTS, startUiServer, type ApiCall, type UiServer } from '../helpers/browser.js';
import { DIALECTS } from '../helpers/dialects.js';

/**
 * Action items in a real Chromium against a real server: added from a resolved incident's page,
 * closed there, listed on the Action items page (reached from Reports), and shown on a new
 * incident of the same service while still open.
 */
describe.each(DIALECTS)('action items in Chromium on %s', (dialect) => {
  let ui: UiServer;
  let api: ApiCall;
  let browser: Browser;
  let page: Page;
  let pageErrors: string[] = [];

  beforeAll(async () => {
    ui = await startUiServer(dialect, { keyName: 'action items test' });
    api = ui.api;
    ({ browser, page, pageErrors } = await openSignedInBrowser(ui));
  });
  afterAll(async () => {
    await browser?.close();
    await ui?.stop();
  });

  it('adds an action item from a resolved incident, closes one, lists them, and flags open ones on the next incident', async () => {
    expect((await api('POST', '/services', { slug: 'checkout', name: 'Checkout' })).status).toBe(201);
    const created = await api('POST', '/incidents', { title: 'Checkout errors', severity: 'SEV2', service: 'checkout' });
    expect(created.status).toBe(201);
    const n = created.body.number as number;
    expect((await api('POST', `/incidents/${n}/resolve`, {})).status).toBe(200);

    await page.goto(`${ui.server.url}/incidents/${n}`);
    const panel = page.locator('section[aria-labelledby="actions-h"]');
    await panel.getByText('No action items.').waitFor();
    const add = async (title: string, link?: string) => {
      await panel.getByRole('button', { name: 'Add action item' }).click();
      await panel.getByLabel('Action item title').fill(title);
      await panel.getByLabel('Priority').selectOption('high');
      if (link) await panel.getByLabel('Issue link').fill(link);
      await panel.getByRole('button', { name: 'Add', exact: true }).click();
      await panel.getByTestId('action-item').filter({ hasText: title }).waitFor();
    };
    await add('Add a circuit breaker to the card API', 'https://tracker.example/PAY-12');
    await add('Alert on queue depth');
    const first = panel.getByTestId('action-item').filter({ hasText: 'Add a circuit breaker' });
    expect(await first.getByRole('link').getAttribute('href')).toBe('https://tracker.example/PAY-12');
    expect(await first.textContent()).toMatch(/due \d{4}-\d\d-\d\d · high · open/);

    // A due date in the past is refused, naming the field.
    await panel.getByRole('button', { name: 'Add action item' }).click();
    await panel.getByLabel('Action item title').fill('Too late');
    await panel.getByLabel('Due date').fill('2020-01-01');
    await panel.getByRole('button', { name: 'Add', exact: true }).click();
    await panel.getByText(/dueAt/).first().waitFor();
    await panel.getByRole('button', { name: 'Cancel' }).click();

    await first.getByRole('button', { name: 'Done' }).click();
    await first.getByTestId('action-status').getByText('done').waitFor();
    await page.screenshot({ path: `${SHOTS}/firebreak-action-items-${dialect}.png` });

    // The list page, reached from Reports, filtered to open items.
    await page.goto(`${ui.server.url}/reports`);
    await page.getByRole('link', { name: 'action items' }).click();
    await page.getByRole('heading', { name: 'Action items' }).waitFor();
    await page.getByTestId('action-item').filter({ hasText: 'Alert on queue depth' }).waitFor();
    expect(await page.getByTestId('action-item').count()).toBe(2);
    await page.getByLabel('Status').selectOption('open');
    await expect.poll(() => page.getByTestId('action-item').count()).toBe(1);
    expect(new URL(page.url()).search).toBe('?status=open');
    const row = page.getByTestId('action-item').first();
    expect(await row.textContent()).toContain('Alert on queue depth');
    expect(await row.getByRole('link', { name: new RegExp(`#${n} Checkout errors`) }).getAttribute('href')).toBe(`/incidents/${n}`);

    // The simple checklist editor on the same page: a post-incident checklist with time windows.
    await page.getByRole('button', { name: 'New checklist' }).click();
    await page.getByRole('button', { name: 'Save checklist' }).click();
    const tpl = page.getByTestId('checklist-template').filter({ hasText: 'Post-incident follow-up' });
    await tpl.waitFor();
    expect(await tpl.textContent()).toContain('when resolved');
    expect(await tpl.textContent()).toContain('Immediate (0–1 h), due +1 h: Post the resolution update');

    // A new incident on the same service lists the open item from the earlier one.
    const next = await api('POST', '/incidents', { title: 'Checkout down again', severity: 'SEV2', service: 'checkout' });
    await page.goto(`${ui.server.url}/incidents/${next.body.number as number}`);
    const earlier = page.getByTestId('earlier-action-items');
    await earlier.getByText('Alert on queue depth').waitFor();
    expect(await earlier.textContent()).not.toContain('circuit breaker');
    expect(await earlier.getByRole('link', { name: `#${n}` }).getAttribute('href')).toBe(`/incidents/${n}`);
    await page.screenshot({ path: `${SHOTS}/firebreak-action-items-earlier-${dialect}.png` });
    // Resolving it applies the post-incident checklist: tasks in their windows, with due times.
    await page.getByRole('button', { name: 'Resolved' }).click();
    await page.locator('.task-due').first().waitFor();
    expect(await page.locator('.task-due').first().textContent()).toMatch(/^Immediate \(0–1 h\) · due /);
    expect(pageErrors).toEqual([]);
  });
});
