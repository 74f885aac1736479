/// <reference lib="dom" />
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSignedInBrowser, SHOTS, startUiServer, type ApiCall, type UiServer } from '../helpers/browser.js';
import { DIALECTS } from '../helpers/dialects.js';

/**
 * Incident roles in a real Chromium: the Incident roles page (a refused key shown beside its
 * field, then a role added and described), and the incident page offering that catalogue role,
 * assigned from its row, with a custom role still addable.
 */
describe.each(DIALECTS)('incident roles in Chromium on %s', (dialect) => {
  let ui: UiServer;
  let api: ApiCall;
  let browser: Browser;
  let page: Page;
  let pageErrors: string[] = [];
  let incidentNumber = 0;

  beforeAll(async () => {
    ui = await startUiServer(dialect, { keyName: 'roles test' });
    api = ui.api;
    ({ browser, page, pageErrors } = await openSignedInBrowser(ui));
    page.setDefaultTimeout(10_000);
    const incident = await api('POST', '/incidents', { title: 'Suspicious logins', severity: 'SEV2' });
    expect(incident.status).toBe(201);
    incidentNumber = incident.body.number as number;
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await ui?.stop();
  });

  it('adds a role on the Incident roles page, the server\'s field error shown first', async () => {
    await page.getByRole('banner').getByRole('button', { name: /^(More|Menu)/ }).click();
    await page.getByRole('navigation', { name: 'More pages' }).getByRole('link', { name: 'Incident roles', exact: true }).click();
    await page.getByRole('heading', { name: 'Incident roles', exact: true }).waitFor();
    const list = page.getByTestId('incident-roles');
    await list.locator('li[data-key="scribe"]').waitFor();
    expect(await list.locator('li').evaluateAll((els) => els.map((e) => e.getAttribute('data-key')))).toEqual(['commander', 'communications', 'scribe']);

    await page.getByRole('button', { name: 'New role' }).click();
    await page.getByLabel('Role name').fill('Security lead');
    await page.getByLabel('Role key').fill('Security Lead');
    await page.getByLabel('Responsibilities').fill('Preserves evidence; decides on containment.');
    await page.getByRole('button', { name: 'Save role' }).click();
    await page.locator('.field-error', { hasText: 'lower-case letters' }).waitFor();
    await page.getByLabel('Role key').fill('security-lead');
    await page.getByRole('button', { name: 'Save role' }).click();
    const added = list.locator('li[data-key="security-lead"]');
    await added.waitFor();
    expect(await added.locator('.role-description').textContent()).toBe('Preserves evidence; decides on containment.');
    await page.screenshot({ path: `${SHOTS}/incident-roles-${dialect}.png`, fullPage: true });
  });

  it('offers the catalogue on the incident page: a catalogue role assigned from its row, a custom one still addable', async () => {
    await page.goto(`${ui.server.url}/incidents/${incidentNumber}`);
    const security = page.locator('li.role[data-role="security-lead"]');
    await security.waitFor();
    expect(await security.locator('.role-name').textContent()).toBe('Security lead');
    expect(await page.locator('li.role[data-role="commander"] .role-name').textContent()).toBe('Incident commander');
    await security.getByRole('button', { name: 'Assign', exact: true }).click();
    await security.getByLabel('Assign security-lead to').fill(ui.admin.email);
    await security.getByRole('button', { name: 'Assign', exact: true }).click();
    await security.locator('.role-holder', { hasText: 'Administrator' }).waitFor();

    // Typing a catalogue role's name picks that role; anything else is a custom role, as a name the server takes.
    await page.getByLabel('Other role').fill('security LEAD');
    await page.getByRole('button', { name: 'Add role' }).click();
    expect(await page.locator('li.role[data-role="security-lead"]').count()).toBe(1);
    await page.getByRole('button', { name: 'Cancel' }).click();
    await page.getByLabel('Other role').fill('Customer liaison');
    await page.getByRole('button', { name: 'Add role' }).click();
    const liaison = page.locator('li.role[data-role="customer-liaison"]');
    await liaison.getByLabel('Assign customer-liaison to').fill(ui.admin.email);
    await liaison.getByRole('button', { name: 'Assign', exact: true }).click();
    await liaison.locator('.role-holder', { hasText: 'Administrator' }).waitFor();

    const roles = (await api('GET', `/incidents/${incidentNumber}`)).body.roles as { role: string }[];
    expect(roles.map((r) => r.role).sort()).toEqual(['customer-liaison', 'security-lead']);
    expect(pageErrors).toEqual([]);
  });
});
