/// <reference lib="dom" />
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSignedInBrowser, SHOTS, startUiServer, type ApiCall, type UiServer } from '../helpers/browser.js';
import { DIALECTS } from '../helpers/dialects.js';
import { startReceiver } from '../paging/receivers.js';

/**
 * In a real Chromium against a real server: the update-template editor (live preview, a broken
 * template shown with line and column and not saveable), and an update posted to an internal
 * audience group made in the Audiences view, arriving at a real webhook receiver.
 */
describe.each(DIALECTS)('audiences and update templates in Chromium on %s', (dialect) => {
  let ui: UiServer;
  let api: ApiCall;
  let browser: Browser;
  let page: Page;
  let pageErrors: string[] = [];
  let receiver: Awaited<ReturnType<typeof startReceiver>>;

  beforeAll(async () => {
    receiver = await startReceiver();
    ui = await startUiServer(dialect, { keyName: 'audiences test', env: { FIREBREAK_OUTBOUND_ALLOW: '127.0.0.1/32' } });
    api = ui.api;
    ({ browser, page, pageErrors } = await openSignedInBrowser(ui));
  });
  afterAll(async () => {
    await browser?.close();
    await ui?.stop();
    await receiver?.close();
  });

  it('edits a template with a live preview; a broken one shows line and column and cannot be saved', async () => {
    expect((await api('POST', '/incidents', { title: 'Checkout errors', severity: 'SEV1', summary: 'Card payments fail' })).status).toBe(201);
    await page.goto(`${ui.server.url}/status-pages`);
    await page.getByRole('link', { name: 'Update templates' }).click();
    await page.getByRole('heading', { name: 'Update templates' }).waitFor();
    // The built-in templates are listed; opening one fills the editor.
    await page.getByTestId('template-list').getByRole('button', { name: 'initial · any audience' }).click();
    expect(await page.getByLabel('Template body').inputValue()).toContain('**Investigating**');
    await page.getByTestId('template-preview').getByText('Checkout errors', { exact: false }).first().waitFor();

    await page.getByLabel('Template kind').selectOption('update');
    await page.getByLabel('Template audience').selectOption('internal');
    await page.getByLabel('Template body').fill('Current status for executives:\n{{ incident.titel }}');
    const error = page.getByTestId('template-error');
    await error.waitFor();
    expect(await error.textContent()).toContain('line 2, column 4');
    expect(await page.getByRole('button', { name: 'Save template' }).isDisabled()).toBe(true);
    await page.screenshot({ path: `${SHOTS}/firebreak-template-error-${dialect}.png` });

    await page.getByLabel('Template body').fill('**Current status** for executives: {{ incident.title }} ({{ incident.severity }})');
    await page.getByTestId('template-preview').locator('strong', { hasText: 'Current status' }).waitFor();
    expect(await page.getByTestId('template-preview').textContent()).toContain('for executives: Checkout errors (SEV1)');
    expect(await error.count()).toBe(0);
    await page.getByRole('button', { name: 'Save template' }).click();
    await page.getByText('Saved the update template for internal.').waitFor();
    const stored = (await api('GET', '/update-templates')).body.items as { kind: string; audience: string | null; source: string }[];
    expect(stored).toContainEqual(expect.objectContaining({ kind: 'update', audience: 'internal', source: 'api' }));
  });

  it('makes a group and a rule in the Audiences view, then posts an update to internal that reaches it', async () => {
    await page.goto(`${ui.server.url}/status-pages`);
    await page.getByRole('link', { name: 'Audiences' }).click();
    await page.getByRole('heading', { name: 'Audiences', exact: true }).waitFor();
    await page.getByRole('button', { name: 'New group' }).click();
    await page.getByLabel('Group name').fill('Executives');
    await page.getByLabel('Group slug').fill('executives');
    await page.getByLabel('Webhook URL', { exact: true }).fill('http://169.254.169.254/hook');
    await page.getByRole('button', { name: 'Save group' }).click();
    // The SSRF guard refuses it, naming the field.
    await page.getByRole('alert').getByText('webhookUrl').first().waitFor();
    await page.getByLabel('Webhook URL', { exact: true }).fill(`${receiver.url}/exec`);
    await page.getByRole('button', { name: 'Save group' }).click();
    await page.getByTestId('webhook-secret').waitFor();
    await page.getByTestId('audience-groups').getByText('Executives', { exact: true }).waitFor();
    await page.getByLabel('SEV1').check();
    await page.getByRole('button', { name: 'Add rule' }).click();
    await page.getByTestId('audience-rules').getByText('SEV1 on any service').waitFor();

    const created = await api('POST', '/incidents', { title: 'Payments down', severity: 'SEV1' });
    const n = created.body.number as number;
    await page.goto(`${ui.server.url}/incidents/${n}`);
    const panel = page.locator('section.updates-panel');
    await panel.getByRole('button', { name: 'Post update' }).click();
    await expect.poll(() => panel.getByLabel('Update text').inputValue(), { timeout: 10_000 }).toContain('Payments down');
    await panel.getByLabel('Kind').selectOption('update');
    // Internal gets its own text, from its own template (saved in the first test).
    await panel.getByRole('button', { name: 'Own text for internal' }).click();
    const own = panel.getByLabel('Text for internal');
    await expect.poll(() => own.inputValue(), { timeout: 10_000 }).toBe('**Current status** for executives: Payments down (SEV1)');
    await panel.getByLabel('Update text').fill('Responders: rolling back.');
    await panel.getByRole('button', { name: 'Post update' }).click();

    await expect.poll(() => receiver.received.filter((r) => r.path === '/exec').length, { timeout: 15_000 }).toBe(1);
    const sent = JSON.parse(receiver.received.find((r) => r.path === '/exec')!.body) as { type: string; data: { update: { body: string; audience: string } } };
    expect(sent.type).toBe('incident.update_posted');
    expect(sent.data.update).toMatchObject({ audience: 'internal', body: '**Current status** for executives: Payments down (SEV1)' });
    expect(receiver.received[0]!.headers['webhook-signature']).toMatch(/^v1,/);
    await page.reload();
    await page.getByTestId('update-deliveries').getByText('internal: 1 of 1 sent').waitFor({ timeout: 10_000 });
    await page.screenshot({ path: `${SHOTS}/firebreak-update-internal-${dialect}.png` });
    expect(pageErrors).toEqual([]);
  });
});
