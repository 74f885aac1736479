/// <reference lib="dom" />
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSignedInBrowser, SHOTS, startUiServer, type ApiCall, type UiServer } from '../helpers/browser.js';
import { DIALECTS } from '../helpers/dialects.js';

/**
 * The Schedules pages in a real Chromium against a real server, at 1280 px and 390 px: create a
 * schedule, give it a layer with members, reorder them by dragging and by the up/down buttons,
 * restrict it to office hours and see the gaps on the timeline, add and remove an override (from
 * the schedule and as "cover for me" from My contacts), the refusal to delete a schedule a policy
 * pages (naming the policy), a bad time zone named by field, and delete.
 */
const DAY = 86_400_000;

interface ScheduleBody { id: string; name: string; teamId: string | null; timeZone: string; layers: { name: string; rotation: { members: string[]; handoffTime: string }; restrictions?: unknown[] }[]; overrides: { id: string; userId: string; replacesUserId: string | null }[] }

describe.each(DIALECTS)('schedules in Chromium on %s', (dialect) => {
  let ui: UiServer;
  let api: ApiCall;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let pageErrors: string[] = [];
  const people: Record<'ann' | 'bob' | 'cara', string> = { ann: '', bob: '', cara: '' };
  let adminId = '';
  let teamId = '';
  let checkoutId = '';
  const yesterday = new Date(Date.now() - DAY).toISOString().slice(0, 10);

  const schedule = async (id: string) => (await api('GET', `/schedules/${id}`)).body as unknown as ScheduleBody;
  const noSideScroll = async (p: Page, what: string) => {
    const { scrollWidth, innerWidth } = await p.evaluate(() => ({ scrollWidth: document.scrollingElement!.scrollWidth, innerWidth: window.innerWidth }));
    expect(scrollWidth, `horizontal scroll on ${what}`).toBeLessThanOrEqual(innerWidth);
  };

  beforeAll(async () => {
    ui = await startUiServer(dialect, { keyName: 'schedules test' });
    ({ api } = ui);
    for (const [key, name] of [['ann', 'Ann Arbor'], ['bob', 'Bob Baker'], ['cara', 'Cara Cole']] as const) {
      const res = await api('POST', '/users', { email: `${key}@schedules.test`, name });
      expect(res.status).toBe(201);
      people[key] = res.body.id as string;
    }
    const users = (await api('GET', '/users')).body as unknown as { items: { id: string; email: string }[] };
    const team = await api('POST', '/teams', { slug: 'payments', name: 'Payments' });
    expect(team.status).toBe(201);
    teamId = team.body.id as string;
    adminId = users.items.find((u) => u.email === ui.admin.email)!.id;
    // A schedule an escalation policy pages: deleting it must be refused, naming the policy.
    const paged = await api('POST', '/schedules', { name: 'Paged rota', timeZone: 'UTC', layers: [{ id: 'base', name: 'Base', rotation: { type: 'weekly', handoffTime: '09:00', startDate: yesterday, members: [people.ann, adminId] } }] });
    expect(paged.status).toBe(201);
    const policy = await api('POST', '/escalation-policies', { name: 'Checkout paging', levels: [{ delaySeconds: 0, targets: [{ type: 'schedule', id: paged.body.id }] }] });
    expect(policy.status).toBe(201);
    ({ browser, context, page, pageErrors } = await openSignedInBrowser(ui));
    // Fail on the step that hangs, inside the test's own time limit.
    page.setDefaultTimeout(15_000);
  });

  afterAll(async () => {
    await browser?.close();
    await ui?.stop();
  });

  /** Create, add a layer and members (buttons only), save, show a field error, delete: what both widths must do. */
  async function createEditDelete(p: Page, name: string): Promise<void> {
    await p.goto(`${ui.server.url}/schedules`);
    const form = p.locator('form.schedule-new');
    await form.getByLabel('Name').fill(name);
    await form.getByLabel('Time zone').fill('Europe/Berlin');
    await form.getByRole('button', { name: 'Create schedule' }).click();
    await p.waitForURL(/\/schedules\/sch_/);
    await p.getByRole('heading', { name, exact: true }).waitFor();
    const id = p.url().split('/').pop()!;

    await p.getByRole('button', { name: 'Add layer' }).click();
    const layer = p.locator('fieldset.layer').first();
    await layer.getByLabel('Layer name').fill('Nights');
    await layer.getByLabel('Hand-off time').fill('18:00');
    await layer.getByLabel('First hand-off date').fill(yesterday);
    for (const who of ['Bob Baker', 'Ann Arbor']) {
      await layer.getByLabel('Add a member to Nights').selectOption({ label: `${who} (${who.split(' ')[0]!.toLowerCase()}@schedules.test)` });
      await layer.getByRole('button', { name: 'Add member' }).click();
    }
    await layer.getByRole('button', { name: 'Move Ann Arbor up' }).click();
    await p.getByRole('button', { name: 'Save changes' }).click();
    await p.getByText('Saved', { exact: true }).waitFor();
    let saved = await schedule(id);
    expect(saved.timeZone).toBe('Europe/Berlin');
    expect(saved.layers.map((l) => [l.name, l.rotation.handoffTime, l.rotation.members])).toEqual([['Nights', '18:00', [people.ann, people.bob]]]);
    await p.locator('[data-row="layer:layer-1"] .timeline-bar').first().waitFor();

    // A bad time zone: the server's message beside the field, nothing saved.
    await p.locator('form.schedule-edit').getByLabel('Time zone', { exact: true }).fill('Mars/Olympus');
    await p.getByRole('button', { name: 'Save changes' }).click();
    await p.locator('form.schedule-edit .field-error', { hasText: 'IANA time zone' }).waitFor();
    expect(await p.locator('form.schedule-edit [role="alert"]').textContent()).toContain('timeZone');
    saved = await schedule(id);
    expect(saved.timeZone).toBe('Europe/Berlin');
    await noSideScroll(p, `schedule page of ${name}`);
    await p.screenshot({ path: `${SHOTS}/firebreak-ui-schedule-${p.viewportSize()!.width}-${dialect}.png`, fullPage: true });
    await p.getByRole('button', { name: 'Discard' }).click();

    await p.getByRole('button', { name: 'Delete schedule' }).click();
    await p.getByRole('button', { name: 'Yes, delete' }).click();
    await p.waitForURL(/\/schedules$/);
    await p.getByRole('heading', { name: 'Schedules' }).waitFor();
    expect((await api('GET', `/schedules/${id}`)).status).toBe(404);
    expect(await p.locator('.schedule-item', { hasText: name }).count()).toBe(0);
  }

  it('creates, edits, shows a field error and deletes at 1280 px', { timeout: 60_000 }, async () => {
    await page.getByRole('banner').getByRole('link', { name: 'Schedules', exact: true }).click();
    await page.getByRole('heading', { name: 'Schedules' }).waitFor();
    await createEditDelete(page, 'Desk rota');
  });

  it('reorders members by dragging, restricts a layer and shows its gaps on the timeline', { timeout: 60_000 }, async () => {
    await page.goto(`${ui.server.url}/schedules`);
    const form = page.locator('form.schedule-new');
    await form.getByLabel('Name').fill('Checkout primary');
    await form.getByLabel('Time zone').fill('UTC');
    await form.getByRole('button', { name: 'Create schedule' }).click();
    await page.waitForURL(/\/schedules\/sch_/);
    checkoutId = page.url().split('/').pop()!;
    await page.getByRole('button', { name: 'Add layer' }).click();
    const layer = page.locator('fieldset.layer').first();
    await layer.getByLabel('Layer name').fill('Office');
    await layer.getByLabel('Rotation', { exact: true }).selectOption('daily');
    await layer.getByLabel('First hand-off date').fill(yesterday);
    for (const email of ['ann', 'bob', 'cara']) {
      await layer.getByLabel('Add a member to Office').selectOption({ value: people[email as 'ann'] });
      await layer.getByRole('button', { name: 'Add member' }).click();
    }
    // Drag Cara (third) onto Ann (first): Cara, Ann, Bob.
    const members = layer.locator('li.member');
    await members.nth(2).dragTo(members.nth(0));
    expect(await members.locator('.member-name').allTextContents()).toEqual(['Cara Cole', 'Ann Arbor', 'Bob Baker']);
    // Office hours only: the nights and weekends are gaps.
    await layer.getByRole('button', { name: 'Add restriction' }).click();
    await layer.getByLabel('From time').fill('09:00');
    await layer.getByLabel('To time').fill('17:00');
    await page.locator('form.schedule-edit').getByLabel('Team').selectOption({ label: 'Payments' });
    await page.getByRole('button', { name: 'Save changes' }).click();
    await page.getByText('Saved', { exact: true }).waitFor();
    const saved = await schedule(checkoutId);
    expect(saved.layers[0]!.rotation.members).toEqual([people.cara, people.ann, people.bob]);
    expect(saved.layers[0]!.restrictions).toEqual([{ type: 'daily', from: '09:00', to: '17:00' }]);
    expect(saved.teamId).toBe(teamId);

    // The timeline: the layer row, the final row with gaps, and why a bar is who it is.
    await page.locator('[data-row="layer:layer-1"] .timeline-bar').first().waitFor();
    expect(await page.locator('[data-row="final"] .timeline-gap').count()).toBeGreaterThanOrEqual(13);
    expect(await page.locator('.timeline-gaps').textContent()).toMatch(/\d+ gaps with nobody on call in the next 14 days/);
    const names = await page.locator('[data-row="final"] .timeline-bar').allTextContents();
    expect(new Set(names)).toEqual(new Set(['Cara Cole', 'Ann Arbor', 'Bob Baker']));
    await page.locator('[data-row="final"] .timeline-bar').first().click();
    const why = await page.locator('.timeline-why').textContent();
    expect(why).toContain('layer "Office"');
    expect(why).not.toContain(people.ann);
    await page.getByText('Who is on call when, as a list').click();
    expect(await page.locator('.timeline-entry-gap').first().textContent()).toContain('Nobody is on call');
    // The "why is X on call" explanation and the calendar feed.
    expect(await page.locator('.schedule-now-why').textContent()).toMatch(/^Why: /);
    const feed = await page.getByLabel('Calendar feed (iCalendar)').inputValue();
    expect(await (await fetch(feed)).text()).toContain('BEGIN:VCALENDAR');
    await page.screenshot({ path: `${SHOTS}/firebreak-ui-schedule-timeline-${dialect}.png`, fullPage: true });
  });

  it('adds an override from the schedule, shows it on the timeline and removes it', async () => {
    await page.goto(`${ui.server.url}/schedules/${checkoutId}`);
    const form = page.locator('form.override-form');
    await form.getByLabel('Who covers').selectOption({ label: 'Bob Baker' });
    await form.getByLabel('Covers for').selectOption({ label: 'Only Ann Arbor' });
    // Until before From: refused, naming the field.
    const from = await form.getByLabel('From').inputValue();
    await form.getByLabel('Until').fill(new Date(new Date(from).getTime() - 3_600_000).toISOString().slice(0, 16));
    await form.getByRole('button', { name: 'Add override' }).click();
    await form.locator('.field-error', { hasText: 'must be after start' }).waitFor();
    await form.getByLabel('Until').fill(new Date(new Date(from).getTime() + 2 * DAY).toISOString().slice(0, 16));
    await form.getByRole('button', { name: 'Add override' }).click();
    const item = page.locator('.override-item');
    await item.waitFor();
    expect(await item.textContent()).toContain('Bob Baker covers for Ann Arbor');
    await page.locator('[data-row="overrides"] .timeline-bar').first().waitFor();
    const stored = (await schedule(checkoutId)).overrides;
    expect(stored.map((o) => [o.userId, o.replacesUserId])).toEqual([[people.bob, people.ann]]);
    await item.getByRole('button', { name: /^Remove the override of Bob Baker/ }).click();
    await page.getByText('No current or upcoming overrides.').waitFor();
    expect((await schedule(checkoutId)).overrides).toEqual([]);
    // The timeline is fetched again after the list: its overrides row goes a moment later (a CI
    // run read it while it was still there).
    await page.locator('[data-row="overrides"]').waitFor({ state: 'detached', timeout: 10_000 });
    expect(await page.locator('[data-row="overrides"]').count()).toBe(0);
  });

  it('"Cover for me" from My contacts, listed there and removed', async () => {
    await page.getByRole('banner').getByRole('link', { name: 'My contacts' }).click();
    const cover = page.locator('section.cover-for-me');
    await cover.getByRole('heading', { name: 'Cover for me' }).waitFor();
    // The admin is on "Paged rota" only; it is the schedule offered.
    expect(await cover.getByLabel('Schedule').locator('option').allTextContents()).toEqual(['Paged rota']);
    await cover.getByLabel('Who covers').selectOption({ label: 'Cara Cole' });
    await cover.getByRole('button', { name: 'Add override' }).click();
    const mine = cover.locator('.override-item');
    await mine.waitFor();
    expect(await mine.textContent()).toMatch(/Cara Cole covers for .+ on Paged rota/);
    const paged = ((await api('GET', '/schedules')).body as unknown as { items: ScheduleBody[] }).items.find((s) => s.name === 'Paged rota')!;
    expect(paged.overrides.map((o) => [o.userId, o.replacesUserId])).toEqual([[people.cara, adminId]]);
    await mine.getByRole('button', { name: /^Remove the override of Cara Cole/ }).click();
    await cover.getByText('No current or upcoming overrides.').waitFor();
    expect((await schedule(paged.id)).overrides).toEqual([]);
  });

  it('refuses to delete a schedule a policy pages, naming the policy', async () => {
    await page.goto(`${ui.server.url}/schedules`);
    await page.locator('.schedule-item', { hasText: 'Paged rota' }).getByRole('link').click();
    await page.getByText('Paged by escalation policy Checkout paging.').waitFor();
    await page.getByRole('button', { name: 'Delete schedule' }).click();
    await page.getByRole('button', { name: 'Yes, delete' }).click();
    const banner = page.locator('.schedule-delete [role="alert"]');
    await banner.waitFor();
    expect(await banner.textContent()).toContain('"Checkout paging"');
    expect(page.url()).toMatch(/\/schedules\/sch_/);
    expect(pageErrors).toEqual([]);
  });

  it('does the same on a phone (390 px), without horizontal scrolling', { timeout: 90_000 }, async () => {
    const phone = await browser.newContext({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true, storageState: await context.storageState() });
    try {
      const p = await phone.newPage();
      const errors: string[] = [];
      p.on('pageerror', (e) => errors.push(e.message));
      await createEditDelete(p, 'Phone rota');
      await noSideScroll(p, '/schedules');
      await p.goto(`${ui.server.url}/schedules/${checkoutId}`);
      await p.locator('[data-row="final"] .timeline-bar').first().waitFor();
      await noSideScroll(p, 'the timeline');
      await p.screenshot({ path: `${SHOTS}/firebreak-ui-phone-schedule-${dialect}.png`, fullPage: true });
      await p.goto(`${ui.server.url}/me/contacts`);
      await p.locator('section.cover-for-me form').waitFor();
      await noSideScroll(p, '/me/contacts');
      // At phone width the header keeps the responder links in view and the rest in its menu.
      await p.getByRole('banner').getByRole('button', { name: /^Menu/ }).click();
      await p.getByRole('banner').getByRole('link', { name: 'Schedules', exact: true }).click();
      await p.waitForURL(/\/schedules$/);
      expect(errors).toEqual([]);
    } finally {
      await phone.close();
    }
  });
});
