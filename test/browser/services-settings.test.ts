/// <reference lib="dom" />
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSignedInBrowser, SHOTS, startUiServer, type ApiCall, type UiServer } from '../helpers/browser.js';
import { DIALECTS } from '../helpers/dialects.js';

/**
 * The Services, Severities and Checklist templates pages in a real Chromium against a real
 * server, at 1280 px and at 390 px: create (a refused form first, its error shown), edit, delete
 * (refused while something depends on it, with the server's reason), then allowed. Also the
 * header at phone width, and the incident page's small fixes (custom roles, input widths,
 * "Page next level now" only with a policy).
 */
describe.each(DIALECTS)('services, severities and checklists in Chromium on %s', (dialect) => {
  let ui: UiServer;
  let api: ApiCall;
  let browser: Browser;
  let context: BrowserContext;
  let desktop: Page;
  let phone: Page;
  let pageErrors: string[] = [];

  beforeAll(async () => {
    ui = await startUiServer(dialect, { keyName: 'services test' });
    api = ui.api;
    ({ browser, context, page: desktop, pageErrors } = await openSignedInBrowser(ui));
    expect((await api('POST', '/teams', { slug: 'payments', name: 'Payments' })).status).toBe(201);
    expect((await api('POST', '/teams', { slug: 'storefront', name: 'Storefront' })).status).toBe(201);
    const me = (await api('GET', '/users')).body.items as { id: string; email: string }[];
    const adminId = me.find((u) => u.email === ui.admin.email)!.id;
    expect((await api('POST', '/escalation-policies', { name: 'Checkout on-call', repeat: 0, levels: [{ delaySeconds: 0, targets: [{ type: 'user', id: adminId }] }] })).status).toBe(201);
    const phoneContext = await browser.newContext({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true, storageState: await context.storageState() });
    phone = await phoneContext.newPage();
    phone.on('pageerror', (e) => pageErrors.push(e.message));
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await ui?.stop();
  });

  const noSideways = async (p: Page, where: string) => {
    const { scrollWidth, innerWidth } = await p.evaluate(() => ({ scrollWidth: document.scrollingElement!.scrollWidth, innerWidth: window.innerWidth }));
    expect(scrollWidth, `horizontal scroll on ${where}`).toBeLessThanOrEqual(innerWidth);
  };
  const alertText = async (p: Page) => (await p.getByRole('alert').first().textContent()) ?? '';
  const openMenuLink = async (p: Page, name: string) => {
    await p.getByRole('banner').getByRole('button', { name: /^(More|Menu)/ }).click();
    await p.getByRole('navigation', { name: 'More pages' }).getByRole('link', { name, exact: true }).click();
  };

  /** Create → edit → refused delete → delete, on whichever page size `p` has. */
  async function serviceFlow(p: Page, slug: string, width: number) {
    await p.goto(`${ui.server.url}/`);
    await openMenuLink(p, 'Services');
    await p.getByRole('heading', { name: 'Services', exact: true }).waitFor();
    await p.getByRole('button', { name: 'New service' }).click();
    await p.getByLabel('Service name').fill('Checkout API');
    await p.getByLabel('Service slug').fill('Checkout API');
    await p.getByLabel('Owner team').selectOption({ label: 'Payments' });
    await p.getByLabel('Escalation policy').selectOption({ label: 'Checkout on-call' });
    await p.getByRole('button', { name: 'Save service' }).click();
    // The server's field error, beside the field.
    await p.locator('.field-error', { hasText: 'lower-case letters' }).waitFor();
    await p.getByLabel('Service slug').fill(slug);
    await p.getByRole('button', { name: 'Save service' }).click();
    await p.getByRole('heading', { name: 'Checkout API' }).waitFor();
    expect(await p.getByTestId('service-team').textContent()).toBe('Payments');
    expect(await p.getByTestId('service-policy').textContent()).toBe('Checkout on-call');

    // Edit: rename, another team, back to the severity's policy.
    await p.getByRole('button', { name: 'Edit', exact: true }).click();
    await p.getByLabel('Service name').fill('Checkout');
    await p.getByLabel('Owner team').selectOption({ label: 'Storefront' });
    await p.getByLabel('Escalation policy').selectOption({ label: "The severity's default" });
    await p.getByRole('button', { name: 'Save service' }).click();
    await p.getByRole('heading', { name: 'Checkout', exact: true }).waitFor();
    expect(await p.getByTestId('service-team').textContent()).toBe('Storefront');
    expect(await p.getByTestId('service-policy').textContent()).toBe("the severity's default");

    // What it is wired to: an open incident and an integration.
    const incident = await api('POST', '/incidents', { title: `Card payments failing (${width})`, severity: 'SEV2', service: slug });
    expect(incident.status).toBe(201);
    expect((await api('POST', '/integrations', { name: `Checkout alerts ${width}`, format: 'alertmanager-webhook', service: slug })).status).toBe(201);
    await p.reload();
    await p.getByTestId('service-incidents').getByRole('link', { name: `#${incident.body.number} Card payments failing (${width})` }).waitFor();
    await p.getByTestId('service-integrations').getByRole('link', { name: `Checkout alerts ${width}` }).waitFor();
    await noSideways(p, `service page at ${width}`);
    await p.screenshot({ path: `${SHOTS}/firebreak-service-${width}-${dialect}.png`, fullPage: true });

    // Delete is refused while the incident is open, with the server's reason.
    await p.getByRole('button', { name: 'Delete', exact: true }).click();
    await p.getByRole('button', { name: 'Delete service' }).click();
    await p.getByRole('alert').waitFor();
    expect(await alertText(p)).toContain(`open incident (#${incident.body.number}) is on it`);
    await p.screenshot({ path: `${SHOTS}/firebreak-service-delete-refused-${width}-${dialect}.png`, fullPage: true });
    expect((await api('POST', `/incidents/${incident.body.number}/resolve`, {})).status).toBe(200);
    await p.getByRole('button', { name: 'Delete service' }).click();
    await p.getByRole('heading', { name: 'Services', exact: true }).waitFor();
    await expect.poll(async () => p.getByTestId('service-list').getByText(slug, { exact: true }).count()).toBe(0);
    expect((await api('GET', `/services/${slug}`)).status).toBe(404);
  }

  async function severityFlow(p: Page, key: string, width: number) {
    await p.goto(`${ui.server.url}/`);
    await openMenuLink(p, 'Severities');
    await p.getByRole('heading', { name: 'Severities', exact: true }).waitFor();
    await p.getByRole('button', { name: 'New level' }).click();
    await p.getByLabel('Severity key').fill(key);
    await p.getByLabel('Severity name').fill('Catastrophic');
    await p.getByLabel('Acknowledge target (minutes)').fill('10');
    await p.getByLabel('Resolve target (minutes)').fill('5');
    await p.getByLabel('Update cadence (minutes)').fill('15');
    await p.getByLabel('Place on the ladder').selectOption({ label: '1 (most severe)' });
    await p.getByRole('button', { name: 'Save level' }).click();
    await p.locator('.field-error', { hasText: 'resolve target is shorter than the acknowledge target' }).waitFor();
    await p.getByLabel('Resolve target (minutes)').fill('120');
    await p.getByRole('button', { name: 'Save level' }).click();
    const row = p.locator(`li.severity-level[data-key="${key}"]`);
    await row.waitFor();
    expect(await p.locator('li.severity-level').first().getAttribute('data-key')).toBe(key);
    expect(await row.textContent()).toContain('Resolve2 h 0 min');

    // Edit: the cadence, and move it below SEV1.
    await row.getByRole('button', { name: `Edit ${key}` }).click();
    await row.getByLabel('Update cadence (minutes)').fill('45');
    await row.getByLabel('Place on the ladder').selectOption({ label: '2' });
    await row.getByRole('button', { name: 'Save level' }).click();
    await expect.poll(async () => p.locator('li.severity-level').nth(1).getAttribute('data-key')).toBe(key);
    expect(await row.textContent()).toContain('Updates every45 min');
    expect((await api('GET', '/severities')).body.items).toContainEqual(expect.objectContaining({ key, rank: 1, updateCadenceSeconds: 2700, ackTargetSeconds: 600 }));
    // Every other page sees the new level (the declare form's severity choice).
    await noSideways(p, `severities at ${width}`);
    await p.screenshot({ path: `${SHOTS}/firebreak-severities-${width}-${dialect}.png`, fullPage: true });

    // Delete refused while an open incident uses it.
    const incident = await api('POST', '/incidents', { title: `Meteor strike (${width})`, severity: key });
    expect(incident.status).toBe(201);
    await row.getByRole('button', { name: `Delete ${key}…` }).click();
    await row.getByRole('button', { name: `Delete ${key}`, exact: true }).click();
    await p.getByRole('alert').waitFor();
    expect(await alertText(p)).toContain(`open incidents #${incident.body.number}`);
    expect((await api('POST', `/incidents/${incident.body.number}/resolve`, {})).status).toBe(200);
    await row.getByRole('button', { name: `Delete ${key}`, exact: true }).click();
    await expect.poll(async () => row.count()).toBe(0);
    expect(((await api('GET', '/severities')).body.items as { key: string }[]).map((s) => s.key)).toEqual(['SEV1', 'SEV2', 'SEV3', 'SEV4']);
  }

  async function checklistFlow(p: Page, slug: string, width: number) {
    await p.goto(`${ui.server.url}/`);
    await openMenuLink(p, 'Checklist templates');
    await p.getByRole('heading', { name: 'Checklist templates', exact: true }).waitFor();
    await p.getByRole('button', { name: 'New template' }).click();
    await p.getByLabel('Template name').fill('Post-incident follow-up');
    await p.getByLabel('Template slug').fill(slug);
    await p.getByLabel('When').selectOption('on_resolve');
    await p.getByLabel('Tasks', { exact: true }).fill('Thank the responders');
    await p.getByRole('button', { name: 'Save template' }).click();
    // No severity chosen: refused, naming the field.
    await p.getByRole('alert').waitFor();
    expect(await alertText(p)).toContain('severities');
    await p.getByRole('checkbox', { name: 'SEV1' }).check();
    await p.getByRole('button', { name: 'Add time window' }).click();
    await p.getByLabel('Window 1 name').fill('Short-term');
    await p.getByLabel('Window 1 due after hours').fill('24');
    await p.getByLabel('Window 1 tasks').fill('Draft the post-mortem\nFile action items');
    await p.getByRole('button', { name: 'Add time window' }).click();
    await p.getByLabel('Window 2 name').fill('Immediate');
    await p.getByLabel('Window 2 due after hours').fill('1');
    await p.getByLabel('Window 2 tasks').fill('Post the resolution update');
    // Order: Immediate first.
    await p.getByRole('button', { name: 'Move window 2 up' }).click();
    await p.getByRole('button', { name: 'Save template' }).click();
    const card = p.locator(`li.checklist-template-card[data-slug="${slug}"]`);
    await card.waitFor();
    expect(await card.textContent()).toMatch(/When the incident resolves · SEV1.*Thank the responders.*Immediate within 1 h.*Post the resolution update.*Short-term within 1 d.*Draft the post-mortem/);
    const stored = ((await api('GET', '/checklist-templates')).body.items as { slug: string; trigger: string; groups: { name: string; dueOffsetSeconds: number }[] }[]).find((t) => t.slug === slug)!;
    expect(stored).toMatchObject({ trigger: 'on_resolve', groups: [{ name: 'Immediate', dueOffsetSeconds: 3600 }, { name: 'Short-term', dueOffsetSeconds: 86_400 }] });

    // Edit: opens on open instead, for SEV2 as well.
    await card.getByRole('button', { name: 'Edit Post-incident follow-up' }).click();
    await card.getByLabel('When').selectOption('on_open');
    await card.getByRole('checkbox', { name: 'SEV2' }).check();
    await card.getByRole('button', { name: 'Save template' }).click();
    await expect.poll(async () => card.locator('.checklist-when').textContent()).toBe('When the incident opens · SEV1, SEV2');
    await noSideways(p, `checklists at ${width}`);
    await p.screenshot({ path: `${SHOTS}/firebreak-checklists-${width}-${dialect}.png`, fullPage: true });

    await card.getByRole('button', { name: 'Delete Post-incident follow-up…' }).click();
    await card.getByRole('button', { name: 'Delete template' }).click();
    await expect.poll(async () => card.count()).toBe(0);
  }

  it('services at 1280 px: create, edit, delete refused with the reason, then deleted', async () => {
    await serviceFlow(desktop, 'checkout-wide', 1280);
  }, 90_000);

  it('services at 390 px', async () => {
    await serviceFlow(phone, 'checkout-phone', 390);
  }, 90_000);

  it('severities at 1280 px and 390 px: add, edit and move, delete refused while in use', async () => {
    await severityFlow(desktop, 'SEV0', 1280);
    await severityFlow(phone, 'P0', 390);
  }, 120_000);

  it('checklist templates at 1280 px and 390 px: windows in order, edit, delete', async () => {
    await checklistFlow(desktop, 'follow-up-wide', 1280);
    await checklistFlow(phone, 'follow-up-phone', 390);
  }, 120_000);

  it('keeps every responder link in view in the header at 390 px, the rest in the menu', async () => {
    await phone.goto(`${ui.server.url}/oncall`);
    await phone.getByRole('heading', { name: /On call/ }).first().waitFor();
    await noSideways(phone, 'the header at 390');
    for (const name of ['Incidents', 'On call', 'My contacts', 'Declare']) {
      const box = await phone.getByRole('banner').getByRole('link', { name, exact: true }).boundingBox();
      expect(box, name).not.toBeNull();
      expect(box!.x, name).toBeGreaterThanOrEqual(0);
      expect(box!.x + box!.width, name).toBeLessThanOrEqual(390);
    }
    await phone.getByRole('banner').getByRole('button', { name: /^Menu/ }).click();
    const menu = phone.getByRole('navigation', { name: 'More pages' });
    for (const name of ['Runbooks', 'Integrations', 'Status pages', 'Metrics', 'Services', 'Severities', 'Checklist templates']) {
      const box = await menu.getByRole('link', { name, exact: true }).boundingBox();
      expect(box, name).not.toBeNull();
      expect(box!.x + box!.width, name).toBeLessThanOrEqual(390);
      expect(box!.y + box!.height, name).toBeLessThanOrEqual(844);
    }
    await menu.getByRole('button', { name: 'Sign out' }).waitFor();
    await noSideways(phone, 'the open menu at 390');
    await phone.screenshot({ path: `${SHOTS}/firebreak-header-menu-390-${dialect}.png` });
    await menu.getByRole('link', { name: 'Metrics' }).click();
    await phone.waitForURL(/\/reports$/);
    expect(await phone.getByRole('navigation', { name: 'More pages' }).count()).toBe(0);
    await phone.getByRole('banner').getByRole('link', { name: 'My contacts', exact: true }).click();
    await phone.getByRole('heading', { name: 'My contact methods' }).waitFor();
  }, 60_000);

  it('incident page: a custom role can be assigned, inputs are usable, Page next level only with a policy', async () => {
    const plain = await api('POST', '/incidents', { title: 'No policy pages this', severity: 'SEV3' });
    const n = plain.body.number as number;
    await desktop.goto(`${ui.server.url}/incidents/${n}`);
    await desktop.getByRole('heading', { name: 'Paging' }).waitFor();
    expect(await desktop.getByRole('button', { name: 'Page next level now' }).count()).toBe(0);
    expect(await desktop.getByTestId('escalation').textContent()).toContain('No escalation policy pages this incident');

    // The re-assign and page inputs take the card's width at 1280 px.
    for (const [button, label] of [['Re-assign', 'Re-assign to'], ['Page someone', 'Page now']] as const) {
      await desktop.getByRole('button', { name: button, exact: true }).click();
      const box = await desktop.getByLabel(label, { exact: true }).boundingBox();
      expect(box!.width, label).toBeGreaterThanOrEqual(200);
      await desktop.getByRole('button', { name: 'Cancel' }).first().click();
    }

    // A custom role: "Add role" opens its assign form, and assigning it shows the holder.
    await desktop.getByLabel('Other role').fill('Liaison');
    await desktop.getByRole('button', { name: 'Add role' }).click();
    const assign = desktop.getByLabel('Assign liaison to');
    await assign.waitFor();
    expect((await assign.boundingBox())!.width).toBeGreaterThanOrEqual(200);
    await assign.fill(ui.admin.email);
    await desktop.locator('li.role[data-role="liaison"]').getByRole('button', { name: 'Assign', exact: true }).click();
    await expect.poll(async () => desktop.locator('li.role[data-role="liaison"] .role-holder').textContent()).not.toBe('unassigned');
    const roles = (await api('GET', `/incidents/${n}`)).body.roles as { role: string }[];
    expect(roles.map((r) => r.role)).toContain('liaison');
    await desktop.screenshot({ path: `${SHOTS}/firebreak-incident-roles-${dialect}.png`, fullPage: true });

    // With a policy that has a level left to page, the button is there and works.
    const users = (await api('GET', '/users')).body.items as { id: string; email: string }[];
    const adminId = users.find((u) => u.email === ui.admin.email)!.id;
    expect((await api('POST', '/escalation-policies', { name: 'Two levels', repeat: 0, levels: [{ delaySeconds: 0, targets: [{ type: 'user', id: adminId }] }, { delaySeconds: 3600, targets: [{ type: 'user', id: adminId }] }] })).status).toBe(201);
    expect((await api('POST', '/services', { slug: 'paged-svc', name: 'Paged', escalationPolicy: 'Two levels' })).status).toBe(201);
    const withPolicy = await api('POST', '/incidents', { title: 'Service with a policy', severity: 'SEV3', service: 'paged-svc' });
    expect(withPolicy.status).toBe(201);
    await desktop.goto(`${ui.server.url}/incidents/${withPolicy.body.number}`);
    await desktop.getByTestId('escalation').getByText('Escalation policy Two levels').waitFor();
    await desktop.getByRole('button', { name: 'Page next level now' }).click();
    await desktop.getByRole('status').filter({ hasText: /Level \d+ (is being paged now|paged)/ }).waitFor();
    expect(pageErrors).toEqual([]);
  }, 60_000);
});
