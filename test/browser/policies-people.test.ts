/// <reference lib="dom" />
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSignedInBrowser, SHOTS, startUiServer, type ApiCall, type UiServer } from '../helpers/browser.js';
import { DIALECTS } from '../helpers/dialects.js';

/**
 * Issue 15, escalation policies and people in a real Chromium against a real server, at 1280 and
 * 390 px: a policy made with levels, targets and a condition (a bad save shows the field the
 * server named), edited, dry-run ("who would be paged, when") and deleted once nothing uses it;
 * a person added with a first password shown once that really signs in, their role changed,
 * disabled (sign-in refused, the page says where they are still named) and enabled again; a
 * team made, renamed, given and relieved of a member, deleted.
 */
const DAY = 86_400_000;

describe.each(DIALECTS)('escalation policies and people in Chromium on %s', (dialect) => {
  let ui: UiServer;
  let api: ApiCall;
  let browser: Browser;
  let desktop: Page;
  let desktopContext: BrowserContext;
  let pageErrors: string[] = [];

  beforeAll(async () => {
    ui = await startUiServer(dialect, { keyName: 'policies test' });
    api = ui.api;
    const alice = await api('POST', '/users', { email: 'alice.primary@example.com', name: 'Alice Primary' });
    const bob = await api('POST', '/users', { email: 'bob.second@example.com', name: 'Bob Second' });
    expect([alice.status, bob.status]).toEqual([201, 201]);
    // Alice is on call all day, whatever the hour the test runs.
    const yesterday = new Date(Date.now() - DAY).toISOString().slice(0, 10);
    const schedule = await api('POST', '/schedules', {
      name: 'Checkout primary', timeZone: 'UTC',
      layers: [{ id: 'base', name: 'Daily', rotation: { type: 'daily', handoffTime: '00:00', startDate: yesterday, members: [alice.body.id] } }],
    });
    expect(schedule.status).toBe(201);
    ({ browser, context: desktopContext, page: desktop, pageErrors } = await openSignedInBrowser(ui));
  });
  afterAll(async () => {
    await browser?.close();
    await ui?.stop();
  });

  /** A page at `width`: the signed-in desktop page, or a phone context sharing its session. */
  async function pageAt(width: number): Promise<{ page: Page; close: () => Promise<void> }> {
    if (width === 1280) return { page: desktop, close: async () => {} };
    const phone = await browser.newContext({ viewport: { width, height: 844 }, isMobile: true, hasTouch: true, storageState: await desktopContext.storageState() });
    const page = await phone.newPage();
    page.on('pageerror', (e) => pageErrors.push(e.message));
    page.on('console', (m) => { if (m.type() === 'error' && !m.text().startsWith('Failed to load resource')) pageErrors.push(m.text()); });
    return { page, close: () => phone.close() };
  }
  const fits = async (p: Page, what: string) => {
    const { scrollWidth, innerWidth } = await p.evaluate(() => ({ scrollWidth: document.scrollingElement!.scrollWidth, innerWidth: window.innerWidth }));
    expect(scrollWidth, `horizontal scroll on ${what}`).toBeLessThanOrEqual(innerWidth);
  };

  it.each([1280, 390])('creates, edits, dry-runs and deletes an escalation policy at %i px', async (width) => {
    const { page, close } = await pageAt(width);
    try {
      const name = `Checkout ${width}`;
      if (width === 1280) {
        await page.goto(`${ui.server.url}/`);
        await page.locator('header').getByRole('button', { name: /^More/ }).click();
        await page.locator('header').getByRole('link', { name: 'Escalation policies' }).click();
      } else {
        await page.goto(`${ui.server.url}/policies`);
      }
      await page.getByRole('heading', { name: 'Escalation policies' }).waitFor();
      await page.getByRole('button', { name: 'New policy' }).click();
      const form = page.getByRole('form', { name: 'New escalation policy' });
      await form.getByLabel('Policy name').fill(name);
      await form.getByLabel('Default for SEV3').check();
      await form.getByLabel('Level 1 targets: target type').selectOption('schedule');
      await form.getByLabel('Level 1 targets: target', { exact: true }).selectOption({ label: 'Checkout primary' });
      await form.getByRole('button', { name: 'Add target' }).click();
      await form.getByRole('button', { name: 'Add level' }).click();
      await form.getByLabel('Level 2 delay (minutes)').fill('10');
      // Level 2 has no target yet: the server refuses and the page names the field.
      await form.getByRole('button', { name: 'Save policy' }).click();
      const error = form.getByRole('alert');
      await error.waitFor();
      expect(await error.textContent()).toContain('levels.1.targets');
      expect(await error.textContent()).toContain('needs at least one target');
      await fits(page, 'the policy editor with an error');
      await page.screenshot({ path: `${SHOTS}/firebreak-policy-error-${width}-${dialect}.png`, fullPage: true });

      await form.getByLabel('Level 2 targets: target type').selectOption('user');
      await form.getByLabel('Level 2 targets: target', { exact: true }).selectOption({ label: 'Bob Second' });
      await form.getByTestId('level-2').getByRole('button', { name: 'Add target' }).click();
      await form.getByRole('button', { name: 'Save policy' }).click();
      await page.getByRole('status').getByText(`Saved ${name}.`).waitFor();
      const card = page.getByTestId(`policy-${name}`);
      await card.getByText('Level 2 after 10 min: Bob Second').waitFor();
      await card.getByText('Default for SEV3').waitFor();

      // Edit: level 2 only for SEV1, with a label matcher typed as text.
      await card.getByRole('button', { name: 'Edit' }).click();
      const edit = page.getByRole('form', { name: `Edit ${name}` });
      await edit.getByTestId('level-2').locator('summary').click();
      await edit.getByLabel('Level 2 condition: only SEV1').check();
      await edit.getByLabel('Level 2 condition: label matchers').fill('service="checkout" env');
      await edit.getByText('is not a matcher like').waitFor();
      expect(await edit.getByRole('button', { name: 'Save policy' }).isDisabled()).toBe(true);
      await edit.getByLabel('Level 2 condition: label matchers').fill('env!=staging');
      await edit.getByRole('button', { name: 'Save policy' }).click();
      await card.getByText('(only SEV1; when env!="staging")').waitFor();

      // Dry-run for SEV2: level 1 pages Alice through the schedule, level 2 is skipped.
      await card.getByRole('button', { name: 'Dry-run' }).click();
      await card.getByLabel('Dry-run severity').selectOption('SEV2');
      await card.getByRole('button', { name: 'Who would be paged?' }).click();
      const result = card.getByTestId('dry-run-result');
      await result.waitFor();
      const text = (await result.textContent())!;
      expect(text).toContain('Level 1');
      expect(text).toContain('Pages Alice Primary (no contact method: not reached)');
      expect(text).toContain('+10 min');
      expect(text).toContain('severity SEV2 is not one of SEV1');
      await fits(page, 'the dry-run');
      await page.screenshot({ path: `${SHOTS}/firebreak-policy-dry-run-${width}-${dialect}.png`, fullPage: true });

      // Delete while SEV3 uses it: refused, saying where; then untie SEV3 and delete.
      await card.getByRole('button', { name: 'Delete' }).click();
      await card.getByRole('button', { name: `Really delete ${name}` }).click();
      const refused = page.getByRole('alert').filter({ hasText: 'still used by severity SEV3' });
      await refused.waitFor();
      await card.getByRole('button', { name: 'Edit' }).click();
      await page.getByRole('form', { name: `Edit ${name}` }).getByLabel('Default for SEV3').uncheck();
      await page.getByRole('form', { name: `Edit ${name}` }).getByRole('button', { name: 'Save policy' }).click();
      await card.getByText('Default for no severity').waitFor();
      await card.getByRole('button', { name: 'Delete' }).click();
      await card.getByRole('button', { name: `Really delete ${name}` }).click();
      await page.getByRole('status').getByText(`Deleted ${name}.`).waitFor();
      await expect.poll(() => page.getByTestId(`policy-${name}`).count()).toBe(0);
      const policies = (await api('GET', '/escalation-policies')).body.items as { name: string }[];
      expect(policies.map((p) => p.name)).not.toContain(name);
    } finally {
      await close();
    }
    expect(pageErrors).toEqual([]);
  });

  it.each([1280, 390])('adds a person with a first password (1280) or a sign-in link (390), changes the role, disables and enables them, and manages a team at %i px', async (width) => {
    const { page, close } = await pageAt(width);
    const email = `carol.${width}@example.com`;
    const slug = `ops-${width}`;
    try {
      if (width === 1280) {
        await page.goto(`${ui.server.url}/`);
        await page.locator('header').getByRole('button', { name: /^More/ }).click();
        await page.locator('header').getByRole('link', { name: 'People and teams' }).click();
      } else {
        await page.goto(`${ui.server.url}/people`);
      }
      await page.getByRole('heading', { name: 'People and teams' }).waitFor();
      await page.getByRole('button', { name: 'Add person' }).click();
      const form = page.getByRole('form', { name: 'Add a person' });
      await form.getByLabel("New person's email").fill('not-an-email');
      await form.getByLabel("New person's name").fill(`Carol ${width}`);
      await form.getByLabel("New person's time zone").fill('Europe/Berlin');
      await form.getByRole('button', { name: 'Add person' }).click();
      await form.getByRole('alert').waitFor();
      expect(await form.locator('.field-error').first().textContent()).toBeTruthy();
      expect(await form.getByRole('alert').textContent()).toContain('email');
      await fits(page, 'the add-person form with an error');
      await form.getByLabel("New person's email").fill(email);
      const signIn = (pw: string) => fetch(`${ui.server.url}/api/v1/auth/sign-in`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password: pw }) });
      let password: string;
      const shown = page.getByTestId('first-password');
      if (width === 1280) {
        // A first password made in the browser, shown once, that really signs in.
        await form.getByLabel('Make a first password, shown once here').check();
        await form.getByRole('button', { name: 'Add person' }).click();
        await shown.waitFor();
        password = (await shown.locator('code').textContent())!;
        expect(password).toMatch(/^[\w-]{24}$/);
      } else {
        // The default: a one-time sign-in link; opened in a browser with no session, it asks
        // for a password and signs in; opened again it is refused.
        await form.getByRole('button', { name: 'Add person' }).click();
        const link = (await shown.getByTestId('sign-in-link').textContent())!;
        expect(link).toMatch(new RegExp(`^${ui.server.url}/welcome#[\\w-]{43}$`));
        const stranger = await browser.newContext({ viewport: { width, height: 844 }, isMobile: true });
        try {
          const welcome = await stranger.newPage();
          await welcome.goto(link);
          await welcome.getByRole('heading', { name: 'Welcome to Firebreak' }).waitFor();
          expect(welcome.url()).not.toContain('#');
          await welcome.getByLabel('New password').fill('too-short');
          await welcome.getByLabel('Repeat the password').fill('too-short');
          await welcome.getByRole('button', { name: 'Set password and sign in' }).click();
          await welcome.getByRole('alert').getByText('password', { exact: false }).first().waitFor();
          password = 'carol-chose-this-password';
          await welcome.getByLabel('New password').fill(password);
          await welcome.getByLabel('Repeat the password').fill(password);
          await welcome.getByRole('button', { name: 'Set password and sign in' }).click();
          await welcome.getByRole('heading', { name: /^Incidents/ }).waitFor();
          await fits(welcome, 'the incident list after the welcome page');
          const reused = await stranger.newPage();
          await reused.goto(link);
          await reused.getByLabel('New password').fill('yet-another-long-password');
          await reused.getByLabel('Repeat the password').fill('yet-another-long-password');
          await reused.getByRole('button', { name: 'Set password and sign in' }).click();
          await reused.getByRole('alert').getByText('not valid', { exact: false }).waitFor();
        } finally {
          await stranger.close();
        }
      }
      // The password really signs in, and the page never shows it again.
      expect((await signIn(password)).status).toBe(200);
      await shown.getByRole('button', { name: 'I have passed it on' }).click();
      expect(await page.getByText(password).count()).toBe(0);
      await fits(page, 'the people list');

      const row = page.getByTestId(`person-${email}`);
      await row.getByLabel(`Role of ${email}`).selectOption('viewer');
      await page.getByText(`${email} is now viewer.`).waitFor();

      // A team with Carol in it.
      await page.getByLabel('New team name').fill(`Ops ${width}`);
      await page.getByLabel('New team slug').fill('Not A Slug');
      await page.getByRole('button', { name: 'Create team' }).click();
      await page.locator('section[aria-labelledby="people-teams"]').getByRole('alert').getByText('slug').first().waitFor();
      await page.getByLabel('New team slug').fill(slug);
      await page.getByRole('button', { name: 'Create team' }).click();
      const team = page.getByTestId(`team-${slug}`);
      await team.waitFor();
      await team.getByLabel(`Add to ${slug}`).selectOption({ label: `Carol ${width} (${email})` });
      await team.getByRole('button', { name: 'Add member' }).click();
      await team.getByRole('button', { name: `Remove Carol ${width} from ${slug}` }).waitFor();

      // Disable: sign-in refused, and the page says where she is still named.
      await row.getByRole('button', { name: 'Disable' }).click();
      await row.getByTestId('disabled-note').getByText(`team ${slug}`, { exact: false }).waitFor();
      expect((await signIn(password)).status).toBe(401);
      await team.getByText('(disabled: never paged)').waitFor();
      await page.screenshot({ path: `${SHOTS}/firebreak-people-disabled-${width}-${dialect}.png`, fullPage: true });
      await row.getByRole('button', { name: 'Enable' }).click();
      await page.getByText(`Enabled ${email}.`).waitFor();
      expect((await signIn(password)).status).toBe(200);

      // Rename, remove the member, delete the team.
      await team.getByRole('button', { name: 'Rename' }).click();
      await team.getByLabel(`New name for ${slug}`).fill(`Operations ${width}`);
      await team.getByRole('button', { name: 'Save name' }).click();
      await team.getByRole('heading', { name: `Operations ${width}` }).waitFor();
      await team.getByRole('button', { name: `Remove Carol ${width} from ${slug}` }).click();
      await team.getByText('No members.').waitFor();
      await team.getByRole('button', { name: 'Delete team' }).click();
      await team.getByRole('button', { name: `Really delete ${slug}` }).click();
      await expect.poll(() => page.getByTestId(`team-${slug}`).count()).toBe(0);
      expect((await api('GET', `/teams/${slug}`)).status).toBe(404);
      await fits(page, 'the people page');
    } finally {
      await close();
    }
    expect(pageErrors).toEqual([]);
  });
});
