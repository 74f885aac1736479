/// <reference lib="dom" />
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../src/app/server.js';
import { openSignedInBrowser, SHOTS, startUiServer, type ApiCall, type UiServer } from '../helpers/browser.js';
import { DIALECTS } from '../helpers/dialects.js';
import { startReceiver } from '../paging/receivers.js';

/**
 * The on-call page and "My contact methods" in a real Chromium against a real server: who is on
 * call now (and at another time) with the layer that decided it, coverage warnings and the
 * calendar feed; adding a webhook that points at a local receiver, test-sending it through the
 * real worker and seeing "Delivered"; the SSRF refusal naming its setting; both pages at 390 px.
 */
const DAY = 86_400_000;

describe.each(DIALECTS)('on call and contact methods in Chromium on %s', (dialect) => {
  let ui: UiServer;
  let server: RunningServer;
  let api: ApiCall;
  let admin: UiServer['admin'];
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let pageErrors: string[] = [];
  let dana = '';

  beforeAll(async () => {
    receiver = await startReceiver();
    // Loopback is refused by the SSRF guard; the admin allow-list lets the test's receiver through.
    ui = await startUiServer(dialect, { keyName: 'oncall test', env: { FIREBREAK_OUTBOUND_ALLOW: '127.0.0.1/32' } });
    ({ server, api, admin } = ui);

    const user = await api('POST', '/users', { email: 'dana.oncall@example.com', name: 'Dana Oncall' });
    expect(user.status).toBe(201);
    dana = user.body.id as string;
    // A daily rotation of one person that started yesterday: Dana is on call now, whatever the hour.
    const yesterday = new Date(Date.now() - DAY).toISOString().slice(0, 10);
    const primary = await api('POST', '/schedules', {
      name: 'Checkout primary', timeZone: 'UTC',
      layers: [{ id: 'base', name: 'Weekday crew', rotation: { type: 'daily', handoffTime: '00:00', startDate: yesterday, members: [dana] } }],
    });
    expect(primary.status).toBe(201);
    // Business hours only: nobody covers the nights, which the page must warn about.
    const daytime = await api('POST', '/schedules', {
      name: 'Daytime only', timeZone: 'UTC',
      layers: [{ id: 'day', name: 'Office hours', rotation: { type: 'daily', handoffTime: '09:00', startDate: yesterday, members: [dana] }, restrictions: [{ type: 'daily', from: '09:00', to: '17:00' }] }],
    });
    expect(daytime.status).toBe(201);

    ({ browser, context, page, pageErrors } = await openSignedInBrowser(ui));
  });

  afterAll(async () => {
    await browser?.close();
    await ui?.stop();
    await receiver?.close();
  });

  it('shows who is on call now and why, coverage warnings and the calendar feed', async () => {
    await page.getByRole('link', { name: 'On call', exact: true }).click();
    await page.waitForURL(/\/oncall$/);
    const primary = page.locator('li.oncall-card', { hasText: 'Checkout primary' });
    await primary.waitFor();
    expect(await primary.locator('.oncall-label').textContent()).toBe('On call now');
    const who = await primary.locator('.oncall-users').textContent();
    expect(who).toContain('Dana Oncall');
    expect(who).toContain('dana.oncall@example.com');
    // The server's explanation names the deciding layer.
    const why = await primary.locator('.oncall-explanation').first().textContent();
    expect(why).toContain('Layer');
    expect(why).toContain('Weekday crew');
    // People by name, not by id.
    expect(why).toContain('Dana Oncall');
    expect(why).not.toContain(dana);

    const daytime = page.locator('li.oncall-card', { hasText: 'Daytime only' });
    expect(await daytime.locator('.oncall-warnings').textContent()).toMatch(/nobody is on call from .+ to .+/);
    expect(await primary.locator('.oncall-warnings').count()).toBe(0);

    const feed = await primary.getByLabel('Calendar feed (iCalendar)').inputValue();
    expect(feed.startsWith(`${server.url}/`)).toBe(true);
    const ics = await fetch(feed);
    expect(ics.status).toBe(200);
    expect(await ics.text()).toContain('BEGIN:VCALENDAR');
    await page.screenshot({ path: `${SHOTS}/firebreak-ui-oncall-${dialect}.png`, fullPage: true });
  });

  const pad = (n: number) => String(n).padStart(2, '0');
  /** The value a datetime-local input takes, in the browser's (and this process's) zone. */
  const localInput = (d: Date) => `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;

  it('answers "at time T" with the override that decided it', async () => {
    const schedules = (await api('GET', '/schedules')).body as { items: { id: string; name: string }[] };
    const primaryId = schedules.items.find((s) => s.name === 'Checkout primary')!.id;
    const start = Date.now() + 2 * DAY;
    const override = await api('POST', `/schedules/${primaryId}/overrides`, { user: admin.email, start, end: start + DAY });
    expect(override.status).toBe(201);
    await page.getByLabel('At time').fill(localInput(new Date(start + DAY / 2)));
    await page.getByRole('button', { name: 'Show', exact: true }).click();
    await page.waitForURL(/\/oncall\?at=/);
    const primary = page.locator('li.oncall-card', { hasText: 'Checkout primary' });
    await primary.locator('.oncall-users', { hasText: admin.email }).waitFor();
    expect(await primary.locator('.oncall-label').textContent()).toBe('On call then');
    expect(await primary.locator('.oncall-users').textContent()).not.toContain('Dana Oncall');
    expect(await primary.locator('.oncall-explanation.oncall-override .tag').textContent()).toBe('Override');
  });

  it('answers "at time T": before the rotation started nobody was on call', async () => {
    const before = new Date(Date.now() - 3 * DAY);
    before.setHours(12, 0, 0, 0);
    await page.getByLabel('At time').fill(localInput(before));
    await page.getByRole('button', { name: 'Show', exact: true }).click();
    await page.waitForURL(/\/oncall\?at=/);
    const primary = page.locator('li.oncall-card', { hasText: 'Checkout primary' });
    await primary.locator('.oncall-nobody').waitFor();
    expect(await primary.locator('.oncall-label').textContent()).toBe('On call then');
    expect(await primary.locator('.oncall-reason').textContent()).toMatch(/nobody is on call/);
    await page.getByRole('button', { name: 'Now' }).click();
    await page.waitForURL(/\/oncall$/);
    await primary.locator('.oncall-users', { hasText: 'Dana Oncall' }).waitFor();
  });

  it('adds a webhook, test-sends it through the worker to a real receiver and shows it delivered', async () => {
    await page.getByRole('link', { name: 'My contacts' }).click();
    await page.waitForURL(/\/me\/contacts$/);
    await page.getByRole('heading', { name: 'My contact methods' }).waitFor();
    await page.getByLabel('Channel').selectOption('webhook');
    await page.getByLabel('URL').fill(`${receiver.url}/pager`);
    await page.getByLabel('Label (optional)').fill('Pager relay');
    await page.getByRole('button', { name: 'Add contact method' }).click();
    const card = page.locator('li.contact-card', { hasText: 'Pager relay' });
    await card.waitFor();
    expect(await page.locator('.contact-secret-value').textContent()).toMatch(/^whsec_/);

    receiver.received.length = 0;
    await card.getByRole('button', { name: 'Send test' }).click();
    const result = card.locator('.contact-test [data-delivery]');
    await result.waitFor({ timeout: 20_000 });
    expect(await result.textContent()).toMatch(/^Delivered \(HTTP 200, \d+ ms\)$/);
    const hits = receiver.received.filter((r) => r.path === '/pager');
    expect(hits).toHaveLength(1);
    expect(JSON.parse(hits[0]!.body).type).toBe('firebreak.test');
    expect(hits[0]!.headers['webhook-id']).toBeTruthy();

    // A failing receiver: the UI reports the attempt's status rather than "Delivered".
    receiver.setMode(() => ({ status: 500 }));
    await card.getByRole('button', { name: 'Send test' }).click();
    await card.locator('.contact-test .warn-text', { hasText: 'HTTP 500' }).waitFor({ timeout: 20_000 });
    receiver.setMode(() => ({ status: 200 }));

    await card.getByLabel(/Delay in seconds/).fill('120');
    await card.getByRole('button', { name: 'Add rule' }).click();
    await card.locator('.contact-rule', { hasText: '120 s' }).waitFor();
    const listed = (await api('GET', `/contact-methods?user=${encodeURIComponent(admin.email)}`)).body as { rules: { delaySeconds: number }[] };
    expect(listed.rules.map((r) => r.delaySeconds)).toEqual([120]);
    await page.screenshot({ path: `${SHOTS}/firebreak-ui-contacts-${dialect}.png`, fullPage: true });
  });

  it('shows the SSRF refusal with the setting to change, and removes a contact method', async () => {
    await page.getByLabel('Channel').selectOption('webhook');
    await page.getByLabel('URL').fill('http://169.254.169.254/latest/meta-data');
    await page.getByLabel('Label (optional)').fill('Metadata');
    await page.getByRole('button', { name: 'Add contact method' }).click();
    const alert = page.locator('.contact-add [role="alert"]');
    await alert.waitFor();
    expect(await alert.textContent()).toContain('FIREBREAK_OUTBOUND_ALLOW');
    expect(await page.locator('li.contact-card', { hasText: 'Metadata' }).count()).toBe(0);

    const card = page.locator('li.contact-card', { hasText: 'Pager relay' });
    page.once('dialog', (d) => void d.accept());
    await card.getByRole('button', { name: 'Remove', exact: true }).click();
    await card.waitFor({ state: 'detached' });
    expect(((await api('GET', `/contact-methods?user=${encodeURIComponent(admin.email)}`)).body as { items: unknown[] }).items).toHaveLength(0);
    await page.getByText('You have no contact methods').waitFor();
  });

  it("gives the signed-in user the calendar feed of their own shifts", async () => {
    const users = (await api('GET', '/users')).body as { items: { id: string; email: string }[] };
    const me = users.items.find((u) => u.email === admin.email)!;
    const yesterday = new Date(Date.now() - DAY).toISOString().slice(0, 10);
    const mine = await api('POST', '/schedules', {
      name: 'Admin weekends', timeZone: 'UTC',
      layers: [{ id: 'base', name: 'Admin alone', rotation: { type: 'daily', handoffTime: '00:00', startDate: yesterday, members: [me.id] } }],
    });
    expect(mine.status).toBe(201);
    await page.goto(`${server.url}/me/contacts`);
    await page.getByRole('heading', { name: 'My shifts in my calendar' }).waitFor();
    const feed = await page.getByLabel('My on-call shifts (iCalendar)').inputValue();
    expect(feed).toMatch(new RegExp(`^${server.url}/ical/users/${me.id}\\.ics\\?token=\\S+$`));
    expect(await page.getByRole('link', { name: 'Subscribe' }).getAttribute('href')).toBe(feed.replace(/^http:/, 'webcal:'));
    const ics = await fetch(feed);
    expect(ics.status).toBe(200);
    const body = await ics.text();
    expect(body).toContain('BEGIN:VCALENDAR');
    expect(body).toMatch(/SUMMARY:On call: [^\r\n]*\(Admin weekends\)/);
    // The override an earlier test gave this user on Checkout primary is theirs too; Dana's own
    // schedule is not.
    expect(body).toMatch(/SUMMARY:On call: [^\r\n]*\(Checkout primary\)/);
    expect(body).not.toContain('Daytime only');
  });

  it('fits a narrow desktop window (720–840 px) with every header link visible', async () => {
    // Just above the phone breakpoint the header shows all its links; they must not widen the page.
    const narrow = await browser.newContext({ viewport: { width: 720, height: 900 }, storageState: await context.storageState() });
    try {
      const p = await narrow.newPage();
      for (const width of [720, 780, 840]) {
        await p.setViewportSize({ width, height: 900 });
        await p.goto(`${server.url}/oncall`);
        await p.locator('li.oncall-card').first().waitFor();
        const { scrollWidth, innerWidth } = await p.evaluate(() => ({ scrollWidth: document.scrollingElement!.scrollWidth, innerWidth: window.innerWidth }));
        expect(scrollWidth, `horizontal scroll at ${width} px`).toBeLessThanOrEqual(innerWidth);
        // Every link is inside the window, not pushed off its right edge or clipped.
        for (const name of ['Incidents', 'On call', 'My contacts', 'Declare']) {
          const box = await p.getByRole('banner').getByRole('link', { name, exact: true }).boundingBox();
          expect(box, `${name} at ${width} px`).not.toBeNull();
          expect(box!.x + box!.width, `${name} at ${width} px`).toBeLessThanOrEqual(width);
          // …and on one line: a two-line "On / call" is squeezed, not fitted.
          expect(box!.height, `${name} wraps at ${width} px`).toBeLessThan(34);
        }
        await p.screenshot({ path: `${SHOTS}/firebreak-ui-narrow-${width}-${dialect}.png` });
        await p.getByRole('link', { name: 'My contacts' }).click();
        await p.getByRole('heading', { name: 'My contact methods' }).waitFor();
      }
    } finally {
      await narrow.close();
    }
  });

  it('fits a phone screen (390×844) without horizontal scrolling', async () => {
    // Something long on both pages: a contact address and the calendar URL.
    await api('POST', '/contact-methods', { kind: 'webhook', label: 'Relay with a long address', address: `${receiver.url}/a/very/long/path/that/should/wrap/instead/of/widening/the/page/on/a/phone/screen` });
    const phone = await browser.newContext({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true, colorScheme: 'dark', storageState: await context.storageState() });
    try {
      const p = await phone.newPage();
      for (const [path, ready] of [['/oncall', 'li.oncall-card .oncall-feed'], ['/me/contacts', 'li.contact-card']] as const) {
        await p.goto(`${server.url}${path}`);
        await p.locator(ready).first().waitFor();
        const { scrollWidth, innerWidth } = await p.evaluate(() => ({ scrollWidth: document.scrollingElement!.scrollWidth, innerWidth: window.innerWidth }));
        expect(scrollWidth, `horizontal scroll on ${path}`).toBeLessThanOrEqual(innerWidth);
        await p.screenshot({ path: `${SHOTS}/firebreak-ui-phone-${path.replace(/\W+/g, '-').replace(/^-/, '')}-${dialect}.png`, fullPage: true });
      }
      // The header's links are reachable on a phone too (a row that scrolls sideways inside itself).
      await p.getByRole('banner').getByRole('link', { name: 'On call', exact: true }).click();
      await p.waitForURL(/\/oncall$/);
      await p.locator('li.oncall-card').first().waitFor();
      const { scrollWidth, innerWidth } = await p.evaluate(() => ({ scrollWidth: document.scrollingElement!.scrollWidth, innerWidth: window.innerWidth }));
      expect(scrollWidth).toBeLessThanOrEqual(innerWidth);
    } finally {
      await phone.close();
    }
    expect(pageErrors).toEqual([]);
  });
});
