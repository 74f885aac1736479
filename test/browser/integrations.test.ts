/// <reference lib="dom" />
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../src/app/server.js';
import { INTEGRATION_FORMATS as SERVER_FORMATS } from '../../src/domain/alerts/integrations.js';
import { INTEGRATION_FORMATS as UI_FORMATS } from '../../web/src/integrations/types.js';
import { openSignedInBrowser, SHOTS, startUiServer, type ApiCall, type UiServer } from '../helpers/browser.js';
import { DIALECTS } from '../helpers/dialects.js';

/**
 * Integrations in a real Chromium against a real server: an admin creates an Alertmanager webhook
 * integration, and the URL and key the page shows are then used, as they are, by a real
 * Alertmanager payload; a wrong URL or key on the page fails the test. Then the detail page:
 * placeholder snippet, disable/enable, rotate (the old key stops working), delete; a managed
 * integration; the server's message on a refused create; a phone-width layout.
 */
/** A webhook recorded from Alertmanager 0.27 (webhook_configs, version 4). */
const AM_PAYLOAD = readFileSync(fileURLToPath(new URL('../fixtures/ingest/alertmanager-webhook/firing-single.json', import.meta.url)), 'utf8');

/** What Alertmanager itself sends: POST, JSON, its user agent. */
async function sendAlertmanagerWebhook(url: string): Promise<Response> {
  return fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', 'user-agent': 'Alertmanager/0.27.0' }, body: AM_PAYLOAD });
}

describe('integration formats offered by the UI', () => {
  it('are exactly the formats the server accepts', () => {
    expect(UI_FORMATS.map((f) => f.format).sort()).toEqual([...SERVER_FORMATS].sort());
  });
});

describe.each(DIALECTS)('integrations in Chromium on %s', (dialect) => {
  let ui: UiServer;
  let server: RunningServer;
  let api: ApiCall;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let pageErrors: string[] = [];
  const name = `prod-am-${dialect}`;
  let integrationId = '';
  let shownKey = '';
  let shownUrl = '';

  beforeAll(async () => {
    // On a free port (not 0): the URL the page shows is built from PORT and must really work.
    ui = await startUiServer(dialect, { keyName: 'integrations test' });
    ({ server, api } = ui);
    expect((await api('POST', '/services', { slug: 'checkout', name: 'Checkout' })).status).toBe(201);
    ({ browser, context, page, pageErrors } = await openSignedInBrowser(ui));
  });

  afterAll(async () => {
    await browser?.close();
    await ui?.stop();
  });

  it('creates an Alertmanager webhook integration; the URL and key shown accept a real Alertmanager webhook', async () => {
    await page.getByRole('navigation').getByRole('link', { name: 'Integrations' }).click();
    await page.waitForURL(/\/integrations$/);
    await page.getByRole('heading', { name: 'Integrations', exact: true }).waitFor();
    await page.getByText('No integrations yet').waitFor();

    const form = page.locator('form.int-create');
    await form.getByLabel('Name').fill(name);
    await form.getByLabel('Format').selectOption('alertmanager-webhook');
    await form.getByLabel('Service (optional)').selectOption({ label: 'Checkout' });
    await form.getByRole('button', { name: 'Create integration' }).click();

    const panel = page.locator('section.int-created');
    await panel.waitFor();
    expect(await panel.textContent()).toContain('Copy the key now');
    shownKey = (await panel.getByTestId('integration-key').textContent())!.trim();
    shownUrl = (await panel.getByTestId('sender-url').textContent())!.trim();
    const snippet = (await panel.getByTestId('sender-snippet').textContent())!;
    integrationId = (await panel.getByRole('link', { name: 'Open the integration' }).getAttribute('href'))!.split('/').pop()!;
    await page.screenshot({ path: `${SHOTS}/firebreak-ui-integration-created-${dialect}.png`, fullPage: true });

    expect(shownKey).toMatch(/^[0-9a-f]{32}$/);
    expect(snippet).toContain('webhook_configs:');
    expect(snippet).toContain(`url: ${shownUrl}`);
    expect(snippet).toContain('send_resolved: true');
    // The copy button copies exactly what the box shows.
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.url });
    await panel.getByRole('button', { name: 'Copy config snippet' }).click();
    await panel.getByRole('button', { name: 'Copy config snippet' }).filter({ hasText: 'Copied' }).waitFor();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(snippet);

    // What an operator does next: paste the URL into Alertmanager, which posts to it.
    const accepted = await sendAlertmanagerWebhook(shownUrl);
    expect(accepted.status, await accepted.text()).toBeGreaterThanOrEqual(200);
    expect(accepted.status).toBeLessThan(300);
    const alerts = await api('GET', `/alerts?integration=${integrationId}`);
    expect((alerts.body.alerts as { labels: Record<string, string> }[]).map((a) => a.labels.alertname)).toEqual(['HighLatency']);
    // The same URL with another key is refused: the page's key is the one that works.
    const wrongKey = shownUrl.replace(shownKey, shownKey.replace(/.$/, (c) => (c === '0' ? '1' : '0')));
    expect(wrongKey).not.toBe(shownUrl);
    expect((await sendAlertmanagerWebhook(wrongKey)).status).toBe(401);

    await panel.getByRole('button', { name: 'I have copied the key' }).click();
    await panel.waitFor({ state: 'detached' });
    const row = page.getByTestId('integration-row').filter({ hasText: name });
    await row.waitFor();
    expect(await row.textContent()).toContain('Checkout');
    expect(await row.textContent()).toContain(`…${shownKey.slice(-4)}`);
    expect(await row.textContent()).toContain('Enabled');
    // The key is never on the page again.
    expect(await page.content()).not.toContain(shownKey);
  });

  it('shows the URL with a placeholder key; disable, enable, rotate (the old key stops) and delete with a confirm', async () => {
    await page.getByTestId('integration-row').filter({ hasText: name }).getByRole('link', { name }).click();
    await page.waitForURL(new RegExp(`/integrations/${integrationId}$`));
    await page.getByRole('heading', { name, exact: true }).waitFor();
    expect(await page.getByTestId('sender-snippet').textContent()).toContain('<integration key>');
    expect(await page.content()).not.toContain(shownKey);

    await page.getByRole('button', { name: 'Disable' }).click();
    await page.locator('.badge.int-disabled').waitFor();
    expect((await sendAlertmanagerWebhook(shownUrl)).status).toBe(401);
    await page.getByRole('button', { name: 'Enable' }).click();
    await page.locator('.badge.int-enabled').waitFor();
    expect((await sendAlertmanagerWebhook(shownUrl)).status).toBe(200);

    await page.getByRole('button', { name: 'Rotate key' }).click();
    await page.getByRole('button', { name: 'Rotate now' }).click();
    const newKey = (await page.getByTestId('integration-key').textContent())!.trim();
    const newUrl = (await page.getByTestId('sender-url').textContent())!.trim();
    expect(newKey).toMatch(/^[0-9a-f]{32}$/);
    expect(newKey).not.toBe(shownKey);
    expect(await page.getByTestId('sender-snippet').textContent()).toContain(newUrl);
    await page.screenshot({ path: `${SHOTS}/firebreak-ui-integration-rotated-${dialect}.png`, fullPage: true });
    expect((await sendAlertmanagerWebhook(shownUrl)).status).toBe(401);
    expect((await sendAlertmanagerWebhook(newUrl)).status).toBe(200);

    await page.getByRole('button', { name: 'Delete', exact: true }).click();
    await page.getByRole('group', { name: 'Confirm delete' }).getByRole('button', { name: 'Delete integration' }).click();
    await page.waitForURL(/\/integrations$/);
    await page.getByText('No integrations yet').waitFor();
    expect((await sendAlertmanagerWebhook(newUrl)).status).toBe(401);
  });

  it('shows the server\'s message when a create is refused', async () => {
    const form = page.locator('form.int-create');
    await form.getByLabel('Name').fill(`generic-${dialect}`);
    await form.getByLabel('Format').selectOption('generic-webhook');
    await form.getByRole('button', { name: 'Create integration' }).click();
    const alert = form.getByRole('alert');
    await alert.waitFor();
    expect(await alert.textContent()).toContain('a generic webhook needs a field mapping');
    expect(await page.locator('section.int-created').count()).toBe(0);
  });

  it('marks an integration declared in firebreak.yaml and offers only disabling', async () => {
    const created = await api('POST', '/integrations', { name: `from-yaml-${dialect}`, format: 'grafana-webhook' });
    expect(created.status).toBe(201);
    const id = created.body.id as string;
    // As the config loader leaves it (src/domain/config): managed rows are marked, nothing else differs.
    await server.store.db.updateTable('integrations').set({ managed_by: 'config' }).where('id', '=', id).execute();
    await page.goto(`${server.url}/integrations`);
    const row = page.getByTestId('integration-row').filter({ hasText: `from-yaml-${dialect}` });
    await row.waitFor();
    expect(await row.textContent()).toContain('managed by firebreak.yaml');
    await row.getByRole('link').click();
    await page.getByRole('heading', { name: `from-yaml-${dialect}`, exact: true }).waitFor();
    expect(await page.getByRole('button', { name: 'Disable' }).count()).toBe(1);
    expect(await page.getByRole('button', { name: 'Rotate key' }).count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Delete', exact: true }).count()).toBe(0);
    expect(await page.getByTestId('sender-url').textContent()).toBe(`${server.url}/ingest/grafana/<integration key>`);
  });

  it('fits a phone screen (390×844) without horizontal scrolling, the created panel included', async () => {
    const phone = await browser.newContext({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true, colorScheme: 'dark', storageState: await context.storageState() });
    const fits = async (p: Page, what: string) => {
      const { scrollWidth, innerWidth } = await p.evaluate(() => ({ scrollWidth: document.scrollingElement!.scrollWidth, innerWidth: window.innerWidth }));
      expect(scrollWidth, `horizontal scroll on ${what}`).toBeLessThanOrEqual(innerWidth);
    };
    try {
      const p = await phone.newPage();
      await p.goto(`${server.url}/integrations`);
      await p.locator('main h1').first().waitFor();
      const form = p.locator('form.int-create');
      await form.getByLabel('Name').fill(`phone-prometheus-with-a-rather-long-integration-name-${dialect}`);
      await form.getByLabel('Format').selectOption('alertmanager-api');
      await form.getByRole('button', { name: 'Create integration' }).click();
      await p.locator('section.int-created').waitFor();
      await fits(p, 'the created panel');
      await p.screenshot({ path: `${SHOTS}/firebreak-ui-phone-integration-created-${dialect}.png`, fullPage: true });
      const href = (await p.getByRole('link', { name: 'Open the integration' }).getAttribute('href'))!;
      await p.goto(`${server.url}${href}`);
      await p.getByTestId('sender-snippet').waitFor();
      await fits(p, 'the integration page');
      await p.screenshot({ path: `${SHOTS}/firebreak-ui-phone-integration-${dialect}.png`, fullPage: true });
    } finally {
      await phone.close();
    }
    expect(pageErrors).toEqual([]);
  });
});
