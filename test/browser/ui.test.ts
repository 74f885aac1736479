/// <reference lib="dom" />
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../../src/app/server.js';
import { loadEnvConfig } from '../../src/config/env-config.js';
import { silentLogger } from '../../src/core/logger.js';
import { CHROMIUM, CHROMIUM_ARGS, requireBrowserPrerequisites, SHOTS, WEB_ROOT } from '../helpers/browser.js';
import { createTestDatabase, DIALECTS, type TestDatabase } from '../helpers/dialects.js';

/**
 * The web UI in a real Chromium against a real server: sign in, declare, acknowledge, and watch
 * the timeline update live from another actor's write. Chromium comes from Debian; a missing
 * browser or an unbuilt UI is a failure, never a skip, so CI cannot pass without running this.
 */

describe.each(DIALECTS)('web UI in Chromium on %s', (dialect) => {
  let db: TestDatabase;
  let server: RunningServer;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let admin: { email: string; password: string };
  let incidentNumber = 0;
  let botToken = '';
  const pageErrors: string[] = [];

  beforeAll(async () => {
    requireBrowserPrerequisites();
    db = await createTestDatabase(dialect);
    let created: { email: string; password: string } | null = null;
    server = await startServer(
      loadEnvConfig({ ...process.env, DATABASE_URL: db.url, PORT: '0', HOST: '127.0.0.1', FIREBREAK_LOG: 'silent', PUBLIC_URL: undefined, FIREBREAK_SECURE_COOKIES: 'false' }),
      { log: silentLogger, webRoot: WEB_ROOT, onAdminCreated: (email, password) => { created = { email, password }; } },
    );
    if (!created) throw new Error('the server did not report a first admin; is the database fresh?');
    admin = created;
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
    context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    page = await context.newPage();
    page.on('pageerror', (e) => pageErrors.push(e.message));
    page.on('console', (m) => { if (m.type() === 'error' && !m.text().startsWith('Failed to load resource')) pageErrors.push(m.text()); });
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    await db?.drop();
  });

  /** A second actor writing through the API: an API key made with the admin's own session. */
  async function apiKeyForSecondActor(scopes: string[] = ['write']): Promise<string> {
    const signIn = await fetch(`${server.url}/api/v1/auth/sign-in`, {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(admin),
    });
    expect(signIn.status).toBe(200);
    const cookie = signIn.headers.get('set-cookie')!.split(';')[0]!;
    const { csrfToken } = (await signIn.json()) as { csrfToken: string };
    const created = await fetch(`${server.url}/api/v1/api-keys`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie, 'x-csrf-token': csrfToken },
      body: JSON.stringify({ name: `pager bot ${scopes.join(' ')}`, scopes }),
    });
    expect(created.status).toBe(201);
    return ((await created.json()) as { token: string }).token;
  }

  const timeline = () => page.locator('ol.timeline');

  it('signs in with the first-admin password', async () => {
    await page.goto(`${server.url}/`);
    await page.waitForURL(/\/sign-in/);
    await page.getByLabel('Email').fill(admin.email);
    await page.getByLabel('Password').fill('wrong password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    // The server's own message, not a generic one.
    await page.getByRole('alert').waitFor();
    expect(await page.getByRole('alert').textContent()).toMatch(/password|invalid|incorrect/i);
    await page.waitForLoadState('networkidle');
    await page.screenshot({ path: `${SHOTS}/firebreak-ui-signin-${dialect}.png` });
    await page.getByLabel('Password').fill(admin.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: /^Incidents/ }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/');
  });

  it('declares an incident, which then appears in the list', async () => {
    await page.getByRole('link', { name: 'Declare incident' }).click();
    await page.waitForURL(/\/incidents\/new$/);
    await page.getByLabel('What is happening?').fill(`Checkout API 5xx on ${dialect}`);
    await page.locator('label.sev-option', { hasText: 'SEV2' }).click();
    await page.getByLabel(/Summary/).fill('Errors at **40%** since the deploy. See https://grafana.example.com/d/abc');
    await page.getByRole('button', { name: 'Declare incident' }).click();
    await page.waitForURL(/\/incidents\/\d+$/);
    incidentNumber = Number(new URL(page.url()).pathname.split('/').pop());
    expect(incidentNumber).toBeGreaterThan(0);
    await page.locator('.md strong', { hasText: '40%' }).waitFor();
    expect(await page.locator('.md a[href^="https://grafana.example.com"]').getAttribute('rel')).toContain('noopener');

    await page.getByRole('link', { name: '← Incidents' }).click();
    const row = page.locator('li.incident-row', { hasText: `Checkout API 5xx on ${dialect}` });
    await row.waitFor();
    expect(await row.locator('.badge.status').textContent()).toContain('Triggered');
    expect(await row.locator('.badge.sev').textContent()).toContain('SEV2');
    await page.screenshot({ path: `${SHOTS}/firebreak-ui-list-${dialect}.png` });
    await row.getByRole('link').click();
    await page.waitForURL(new RegExp(`/incidents/${incidentNumber}$`));
  });

  it('acknowledges, and the timeline shows it without a reload', async () => {
    await page.locator('.live-live').waitFor();
    await page.evaluate(() => { (window as unknown as { __noReload: number }).__noReload = 1; });
    await page.screenshot({ path: `${SHOTS}/firebreak-ui-triggered-${dialect}.png`, fullPage: true });
    await page.getByRole('button', { name: 'Acknowledge', exact: true }).click();
    await page.locator('.incident-head .badge.status', { hasText: 'Acknowledged' }).waitFor();
    await timeline().locator('li[data-kind="status_changed"]', { hasText: 'Acknowledged' }).waitFor();
    expect(await page.getByRole('button', { name: 'Acknowledge', exact: true }).count()).toBe(0);
    expect(await page.evaluate(() => (window as unknown as { __noReload?: number }).__noReload)).toBe(1);
  });

  it('shows a note written by another actor through the API within seconds (server-sent events)', async () => {
    const token = (botToken = await apiKeyForSecondActor());
    const res = await fetch(`${server.url}/api/v1/incidents/${incidentNumber}/notes`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ body: 'Rolled back **v2.3.1** from the API' }),
    });
    expect(res.status).toBe(201);
    await timeline().locator('li[data-kind="note"]', { hasText: 'Rolled back v2.3.1 from the API' }).waitFor({ timeout: 5000 });
    expect(await timeline().locator('li[data-kind="note"] strong', { hasText: 'v2.3.1' }).count()).toBe(1);
    // A status change by the other actor updates the header too, not only the timeline.
    const moved = await fetch(`${server.url}/api/v1/incidents/${incidentNumber}/status`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ status: 'investigating' }),
    });
    expect(moved.status).toBe(200);
    await page.locator('.incident-head .badge.status', { hasText: 'Investigating' }).waitFor({ timeout: 5000 });
    expect(await page.evaluate(() => (window as unknown as { __noReload?: number }).__noReload)).toBe(1);
  });

  it('adds and ticks a task, changes severity and assigns the commander', async () => {
    await page.getByLabel('New task').fill('Page the database on-call');
    await page.getByRole('button', { name: 'Add', exact: true }).click();
    const task = page.locator('li.task', { hasText: 'Page the database on-call' });
    await task.waitFor();
    await task.getByRole('checkbox').check();
    await page.locator('li.task.done', { hasText: 'Page the database on-call' }).waitFor();
    await timeline().locator('li[data-kind="task_completed"]', { hasText: 'Page the database on-call' }).waitFor();

    await page.locator('select[name="severity"]').selectOption('SEV1');
    await page.locator('input[name="reason"]').fill('All EU customers affected');
    await page.getByRole('button', { name: 'Change to SEV1' }).click();
    await page.locator('.incident-head .badge.sev', { hasText: 'SEV1' }).waitFor();
    await timeline().locator('li[data-kind="severity_changed"]').waitFor();

    const commander = page.locator('li.role[data-role="commander"]');
    await commander.getByRole('button', { name: 'Assign', exact: true }).click();
    await commander.getByLabel('Assign commander to').fill(admin.email);
    await commander.getByRole('button', { name: 'Assign', exact: true }).click();
    await commander.locator('.role-holder', { hasText: 'Administrator' }).waitFor();
    await timeline().locator('li[data-kind="role_assigned"]', { hasText: 'commander' }).waitFor();
  });

  it('shows the server\'s message when an assignment fails', async () => {
    const commander = page.locator('li.role[data-role="communications"]');
    await commander.getByRole('button', { name: 'Assign', exact: true }).click();
    await commander.getByLabel('Assign communications to').fill('nobody@example.invalid');
    await commander.getByRole('button', { name: 'Assign', exact: true }).click();
    const alert = page.locator('section', { has: page.locator('#roles-h') }).getByRole('alert');
    await alert.waitFor();
    expect(await alert.textContent()).toMatch(/nobody@example\.invalid|not found|user/i);
    await commander.getByRole('button', { name: 'Cancel' }).click();
  });

  it('re-assigns from the paging panel (paged at once, on the timeline); without a policy, page next level is not offered', async () => {
    const paging = page.locator('section', { has: page.locator('#paging-h') });
    await paging.getByRole('button', { name: 'Re-assign', exact: true }).click();
    await paging.getByLabel('Re-assign to').fill(admin.email);
    await paging.getByRole('button', { name: 'Re-assign and page' }).click();
    await paging.getByTestId('assignee').filter({ hasText: 'Administrator' }).waitFor();
    await timeline().locator('li[data-kind="reassigned"]', { hasText: 'Re-assigned to Administrator' }).waitFor();
    // No escalation policy in this installation: the button that could only fail is not offered
    // (issue 15); the box says why and what to do instead.
    expect(await paging.getByRole('button', { name: 'Page next level now' }).count()).toBe(0);
    expect(await paging.getByTestId('escalation').textContent()).toBe('No escalation policy pages this incident: page someone by hand.');
  });

  it('renders a note with markup as text, never as HTML', async () => {
    const note = '<script>window.__xss=1</script> <img src=x onerror="window.__xss=2"> [click](javascript:window.__xss=3)';
    await page.getByRole('textbox', { name: 'Note' }).fill(note);
    await page.getByRole('button', { name: 'Add note' }).click();
    const item = timeline().locator('li[data-kind="note"]', { hasText: '<script>window.__xss=1</script>' });
    await item.waitFor();
    expect(await item.locator('script, img').count()).toBe(0);
    expect(await item.locator('a').count()).toBe(0);
    expect(await item.textContent()).toContain('[click](javascript:window.__xss=3)');
    expect(await page.evaluate(() => (window as unknown as { __xss?: number }).__xss)).toBeUndefined();
    await page.screenshot({ path: `${SHOTS}/firebreak-ui-incident-${dialect}.png`, fullPage: true });
    expect(pageErrors).toEqual([]);
  });

  it('returns to a deep link after signing in', async () => {
    const fresh = await browser.newContext();
    try {
      const p = await fresh.newPage();
      await p.goto(`${server.url}/incidents/${incidentNumber}`);
      await p.waitForURL(/\/sign-in\?next=/);
      await p.getByLabel('Email').fill(admin.email);
      await p.getByLabel('Password').fill(admin.password);
      await p.getByRole('button', { name: 'Sign in' }).click();
      await p.waitForURL(new RegExp(`/incidents/${incidentNumber}$`));
      await p.locator('.incident-head h1', { hasText: `Checkout API 5xx on ${dialect}` }).waitFor();
    } finally {
      await fresh.close();
    }
  });

  it('fits a phone screen (390×844) without horizontal scrolling', async () => {
    // A second, still-triggered incident so the phone shows the acknowledge path too; in dark mode.
    const second = await fetch(`${server.url}/api/v1/incidents`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${botToken}` },
      body: JSON.stringify({ title: 'Payments provider timing out for every card payment in the EU region', severity: 'SEV1', summary: 'Timeouts from `psp-eu-1`:\n\n```\nERROR upstream timed out after 30000ms while connecting to https://psp.example.com/v1/authorise/very/long/path/that/should/not/widen/the/page\n```' }),
    });
    expect(second.status).toBe(201);
    const triggeredNumber = ((await second.json()) as { number: number }).number;
    const phone = await browser.newContext({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true, colorScheme: 'dark', storageState: await context.storageState() });
    try {
      const p = await phone.newPage();
      for (const path of [`/incidents/${incidentNumber}`, `/incidents/${triggeredNumber}`, '/', '/incidents/new']) {
        await p.goto(`${server.url}${path}`);
        await p.locator('main h1').first().waitFor();
        const { scrollWidth, innerWidth } = await p.evaluate(() => ({ scrollWidth: document.scrollingElement!.scrollWidth, innerWidth: window.innerWidth }));
        expect(scrollWidth, `horizontal scroll on ${path}`).toBeLessThanOrEqual(innerWidth);
        const name = path === '/' ? 'list' : path.endsWith('new') ? 'declare' : path.endsWith(`/${triggeredNumber}`) ? 'triggered' : 'incident';
        await p.screenshot({ path: `${SHOTS}/firebreak-ui-phone-${name}-${dialect}.png`, fullPage: true });
      }
    } finally {
      await phone.close();
    }
  });

  it('says that resolving an incident resolves its alerts, then resolves both', async () => {
    const adminToken = await apiKeyForSecondActor(['admin']);
    const call = async (method: string, path: string, body?: unknown) => {
      const res = await fetch(`${server.url}${path}`, { method, headers: { 'content-type': 'application/json', authorization: `Bearer ${adminToken}` }, ...(body ? { body: JSON.stringify(body) } : {}) });
      return { status: res.status, json: (await res.json()) as Record<string, unknown> };
    };
    const integration = await call('POST', '/api/v1/integrations', { name: 'pd-ui', format: 'pagerduty-events-v2', settings: { grouping: 'labels', groupBy: ['group'] } });
    expect(integration.status).toBe(201);
    for (const key of ['ui-a', 'ui-b']) {
      const sent = await fetch(`${server.url}/v2/enqueue`, {
        method: 'POST', headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ routing_key: integration.json.key, event_action: 'trigger', dedup_key: key, payload: { summary: 'Queue backlog growing', source: key, severity: 'critical', group: 'queues' } }),
      });
      expect(sent.status).toBe(202);
    }
    const alerts = (await call('GET', `/api/v1/alerts?integration=${integration.json.id as string}`)).json.alerts as { id: string; incidentId: string }[];
    expect(alerts).toHaveLength(2);
    expect(alerts[1]!.incidentId).toBe(alerts[0]!.incidentId);
    const { number } = (await call('GET', `/api/v1/incidents/${alerts[0]!.incidentId}`)).json as { number: number };

    await page.goto(`${server.url}/incidents/${number}`);
    await page.locator('.status-steps').getByRole('button', { name: 'Resolved' }).click();
    const dialog = page.getByRole('alertdialog');
    await dialog.getByText('Resolving also resolves its 2 open alerts; if they still fire, a new incident opens and pages.').waitFor({ timeout: 5000 });
    await page.screenshot({ path: `${SHOTS}/firebreak-ui-resolve-confirm-${dialect}.png`, fullPage: true });
    await dialog.getByRole('button', { name: 'Resolve', exact: true }).click();
    await page.locator('.incident-head .badge.status', { hasText: 'Resolved' }).waitFor();
    expect(await page.getByRole('alertdialog').count()).toBe(0);
    const after = (await call('GET', `/api/v1/alerts?integration=${integration.json.id as string}`)).json.alerts as { status: string }[];
    expect(after.map((a) => a.status)).toEqual(['resolved', 'resolved']);
    expect(pageErrors).toEqual([]);
  });
});
