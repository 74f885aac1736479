/// <reference lib="dom" />
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM, CHROMIUM_ARGS, openSignedInBrowser, requireBrowserPrerequisites, SHOTS, startUiServer, type UiServer } from '../helpers/browser.js';
import { DIALECTS } from '../helpers/dialects.js';

/**
 * The public status page in a real Chromium at phone width (390 px), with JavaScript off:
 * everything is there, nothing overflows sideways, landmarks and headings are in place.
 */
describe.each(DIALECTS)('public status page in Chromium on %s', (dialect) => {
  let ui: UiServer;
  let browser: Browser;

  beforeAll(async () => {
    requireBrowserPrerequisites();
    ui = await startUiServer(dialect, { keyName: 'status page test' });
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  });
  afterAll(async () => {
    await browser?.close();
    await ui?.stop();
  });

  it('renders status, components, the active incident and 90-day bars at 390 px without JavaScript', async () => {
    const { api } = ui;
    expect((await api('POST', '/services', { slug: 'checkout', name: 'Checkout' })).status).toBe(201);
    expect((await api('POST', '/status-pages', { slug: 'shop', name: 'Shop' })).status).toBe(201);
    expect((await api('POST', '/status-pages/shop/components', { name: 'Checkout and payments with a rather long component name', services: ['checkout'] })).status).toBe(201);
    expect((await api('POST', '/status-pages/shop/components', { name: 'Catalogue' })).status).toBe(201);
    const inc = await api('POST', '/incidents', { title: 'internal title', severity: 'SEV2', service: 'checkout' });
    expect((await api('POST', '/status-pages/shop/incidents', { incident: String(inc.body.number), name: 'Slow checkout', body: 'Some payments take longer than usual; we are on it. https://example.com/a-very-long-unbroken-link-that-must-wrap-instead-of-overflowing' })).status).toBe(201);

    const context = await browser.newContext({ viewport: { width: 390, height: 844 }, javaScriptEnabled: false });
    const page = await context.newPage();
    const res = await page.goto(`${ui.server.url}/status/shop`);
    expect(res?.status()).toBe(200);
    await page.getByRole('heading', { level: 1, name: 'Shop status' }).waitFor();
    expect(await page.getByRole('status').textContent()).toBe('Minor Service Outage');
    expect(await page.getByRole('heading', { level: 2, name: 'Active incidents' }).isVisible()).toBe(true);
    expect(await page.getByRole('heading', { level: 3, name: 'Slow checkout' }).isVisible()).toBe(true);
    expect(await page.getByText('Partial outage').isVisible()).toBe(true);
    expect(await page.getByRole('img', { name: /Catalogue: 100% uptime over the last 90 days/ }).isVisible()).toBe(true);
    expect(await page.locator('header').count()).toBe(1);
    expect(await page.locator('main').count()).toBe(1);
    expect(await page.locator('footer').count()).toBe(1);
    expect(await page.locator('script').count()).toBe(0);
    expect(await page.textContent('body')).not.toContain('internal title');
    await page.screenshot({ path: `${SHOTS}/firebreak-status-page-390-${dialect}.png`, fullPage: true });
    await context.close();

    // Layout checks need the evaluator (the page itself has no script either way).
    const measure = await browser.newContext({ viewport: { width: 390, height: 844 } });
    const p2 = await measure.newPage();
    await p2.goto(`${ui.server.url}/status/shop`);
    const { scrollWidth, bars, barHeights } = await p2.evaluate(() => ({
      scrollWidth: document.documentElement.scrollWidth,
      bars: document.querySelectorAll('.bars').length,
      barHeights: [...document.querySelectorAll('.bars span')].map((s) => s.getBoundingClientRect().height),
    }));
    expect(scrollWidth).toBeLessThanOrEqual(390);
    expect(bars).toBe(2);
    expect(barHeights).toHaveLength(180);
    expect(new Set(barHeights).size).toBe(1);
    await measure.close();
  });
});

describe.each(DIALECTS)('status page editor in Chromium on %s', (dialect) => {
  let ui: UiServer;
  let signedIn: Awaited<ReturnType<typeof openSignedInBrowser>>;

  beforeAll(async () => {
    ui = await startUiServer(dialect, { keyName: 'status page editor test' });
    expect((await ui.api('POST', '/services', { slug: 'api', name: 'Public API' })).status).toBe(201);
    signedIn = await openSignedInBrowser(ui);
  });
  afterAll(async () => {
    await signedIn?.browser.close();
    await ui?.stop();
  });

  it('creates a page and edits it with a live preview that follows every edit before save', async () => {
    const { page, pageErrors } = signedIn;
    await page.getByRole('link', { name: 'Status pages' }).click();
    await page.getByRole('heading', { name: 'Status pages' }).waitFor({ timeout: 5000 });
    await page.getByLabel('Name').fill('Acme');
    await page.getByLabel('Slug').fill('acme');
    await page.getByRole('button', { name: 'Create page' }).click();
    await page.getByRole('heading', { name: 'Acme: All Systems Operational' }).waitFor({ timeout: 5000 });
    const preview = page.frameLocator('iframe[title="Preview of Acme"]');
    await preview.getByRole('heading', { level: 1, name: 'Acme status' }).waitFor({ timeout: 5000 });

    // Unsaved edits show in the preview at once; the public page does not change.
    await page.getByLabel('Page name').fill('Acme Cloud');
    await preview.getByRole('heading', { level: 1, name: 'Acme Cloud status' }).waitFor({ timeout: 5000 });
    await page.getByLabel('Component name').fill('API');
    await page.getByLabel('Services').selectOption({ label: 'Public API' });
    await page.getByRole('button', { name: 'Add to page' }).click();
    await preview.getByRole('heading', { level: 3, name: 'API' }).waitFor({ timeout: 5000 });
    expect((await ui.api('GET', '/status-pages/acme')).body.components).toEqual([]);
    expect(await (await fetch(`${ui.server.url}/status/acme`)).text()).not.toContain('Acme Cloud');

    // An open SEV2 on the service: the mapping chosen in the editor shows before save.
    const inc = await ui.api('POST', '/incidents', { title: 'internal', severity: 'SEV2', service: 'api' });
    expect(inc.status).toBe(201);
    await page.getByLabel('Status for SEV2').selectOption('major_outage');
    await preview.getByText('Major outage').waitFor({ timeout: 5000 });
    expect(await preview.getByRole('status').textContent()).toBe('Major System Outage');
    await page.getByLabel('Auto-publish for SEV1').selectOption('draft');
    await page.getByRole('button', { name: 'Save page' }).click();
    await page.getByRole('heading', { name: 'Acme Cloud: Major System Outage' }).waitFor({ timeout: 5000 });
    expect(await page.getByTestId('sp-component-list').textContent()).toContain('major outage · api');
    const saved = (await ui.api('GET', '/status-pages/acme')).body as { severityMap: Record<string, string>; autoPublish: { severities: Record<string, string> } };
    expect(saved.severityMap.SEV2).toBe('major_outage');
    expect(saved.autoPublish.severities).toEqual({ SEV1: 'draft' });
    // Down with no public incident: flagged.
    expect(await page.getByTestId('sp-mismatches').textContent()).toContain('API is shown as major outage but no public incident says why');
    await page.screenshot({ path: `${SHOTS}/firebreak-status-page-editor-${dialect}.png`, fullPage: true });
    expect(pageErrors).toEqual([]);
  });

  it('shows an auto-publish draft that goes public with one click', async () => {
    const { page, pageErrors } = signedIn;
    const inc = await ui.api('POST', '/incidents', { title: 'internal secret', severity: 'SEV1', service: 'api' });
    expect(inc.status).toBe(201);
    await page.reload();
    const button = page.getByRole('button', { name: /Publish draft “API: service outage”/ });
    await button.waitFor({ timeout: 5000 });
    expect(await page.getByTestId('sp-mismatches').textContent()).toContain('a draft is waiting to be published');
    expect(await (await fetch(`${ui.server.url}/status/acme/api/v2/incidents/unresolved.json`)).json()).toMatchObject({ incidents: [] });
    await button.click();
    await button.waitFor({ state: 'detached', timeout: 5000 });
    expect(await page.getByTestId('sp-public-incidents').textContent()).toContain('“API: service outage”');
    expect(await page.getByTestId('sp-mismatches').count()).toBe(0);
    const unresolved = await (await fetch(`${ui.server.url}/status/acme/api/v2/incidents/unresolved.json`)).json() as { incidents: { name: string }[] };
    expect(unresolved.incidents.map((i) => i.name)).toEqual(['API: service outage']);
    expect(pageErrors).toEqual([]);
  });

  it('renames, regroups, reorders and removes saved components, previewed before save and kept by id after', async () => {
    const { page, pageErrors } = signedIn;
    for (const body of [{ name: 'Web' }, { name: 'Platform', isGroup: true }, { name: 'Database', group: 'Platform' }, { name: 'Docs' }]) {
      expect((await ui.api('POST', '/status-pages/acme/components', body)).status).toBe(201);
    }
    type Component = { id: string; name: string; groupId: string | null };
    const components = async () => ((await ui.api('GET', '/status-pages/acme')).body.components as Component[]);
    const before = await components();
    expect(before.map((c) => c.name)).toEqual(['API', 'Web', 'Platform', 'Database', 'Docs']);
    const idOf = (name: string) => before.find((c) => c.name === name)!.id;
    await page.reload();
    await page.getByLabel('Name of Web', { exact: true }).waitFor({ timeout: 5000 });
    const preview = page.frameLocator('iframe[title="Preview of Acme Cloud"]');
    const topLevel = () => preview.locator('ul.components > li > .row h3').allTextContents();
    const members = () => preview.locator('ul.members h3').allTextContents();
    await expect.poll(topLevel, { timeout: 5000 }).toEqual(['API', 'Web', 'Platform', 'Docs']);
    expect(await page.getByRole('button', { name: 'Move API up', exact: true }).isDisabled()).toBe(true);

    await page.getByLabel('Name of Web', { exact: true }).fill('Website');
    await page.getByLabel('Group of Docs', { exact: true }).selectOption({ label: 'Platform' });
    await expect.poll(members, { timeout: 5000 }).toEqual(['Database', 'Docs']);
    await page.getByRole('button', { name: 'Move Docs up', exact: true }).click();
    await page.getByRole('button', { name: 'Move Website up', exact: true }).click();
    await expect.poll(topLevel, { timeout: 5000 }).toEqual(['Website', 'API', 'Platform']);
    await expect.poll(members, { timeout: 5000 }).toEqual(['Docs', 'Database']);

    // Removing a group shows its members at the top level until undone; a renamed group keeps its members.
    await page.getByRole('button', { name: 'Remove Platform', exact: true }).click();
    await expect.poll(topLevel, { timeout: 5000 }).toEqual(['Website', 'API', 'Docs', 'Database']);
    expect(await page.getByTestId('sp-editor-components').textContent()).toContain('(removed on save)');
    await page.getByRole('button', { name: 'Undo removing Platform', exact: true }).click();
    await page.getByLabel('Name of Platform', { exact: true }).fill('Core platform');
    await page.getByRole('button', { name: 'Remove Database', exact: true }).click();
    await page.getByRole('button', { name: 'Undo removing Database', exact: true }).waitFor({ timeout: 5000 });
    await expect.poll(topLevel, { timeout: 5000 }).toEqual(['Website', 'API', 'Core platform']);
    await expect.poll(members, { timeout: 5000 }).toEqual(['Docs']);
    expect(await preview.locator('ul.components').textContent()).not.toContain('Database');

    // Nothing is saved yet: neither the API nor the public page changed.
    expect((await components()).map((c) => c.name)).toEqual(['API', 'Web', 'Platform', 'Database', 'Docs']);
    const publicBefore = await (await fetch(`${ui.server.url}/status/acme`)).text();
    expect(publicBefore).toContain('Database');
    expect(publicBefore).not.toContain('Website');
    expect(publicBefore).not.toContain('Core platform');
    await page.getByTestId('sp-editor-components').screenshot({ path: `${SHOTS}/firebreak-status-page-components-${dialect}.png` });

    await page.getByRole('button', { name: 'Save page' }).click();
    await page.getByLabel('Name of Website', { exact: true }).waitFor({ timeout: 5000 });
    await expect.poll(async () => page.getByTestId('sp-component-list').textContent(), { timeout: 5000 }).not.toContain('Database');
    const after = await components();
    const group = after.find((c) => c.name === 'Core platform')!;
    expect(after.filter((c) => c.groupId === null).map((c) => c.name)).toEqual(['Website', 'API', 'Core platform']);
    expect(after.filter((c) => c.groupId === group.id).map((c) => c.name)).toEqual(['Docs']);
    expect(after.map((c) => c.name).sort()).toEqual(['API', 'Core platform', 'Docs', 'Website']);
    expect(after.find((c) => c.name === 'Website')!.id).toBe(idOf('Web'));
    expect(group.id).toBe(idOf('Platform'));
    expect(after.find((c) => c.name === 'Docs')!.id).toBe(idOf('Docs'));
    const publicAfter = await (await fetch(`${ui.server.url}/status/acme`)).text();
    expect(publicAfter).toContain('Website');
    expect(publicAfter).not.toContain('Database');
    await expect.poll(topLevel, { timeout: 5000 }).toEqual(['Website', 'API', 'Core platform']);
    expect(pageErrors).toEqual([]);
  });
});
