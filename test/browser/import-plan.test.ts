/// <reference lib="dom" />
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../../src/app/server.js';
import { loadEnvConfig } from '../../src/config/env-config.js';
import { silentLogger } from '../../src/core/logger.js';
import { CHROMIUM, CHROMIUM_ARGS, requireBrowserPrerequisites, SHOTS, WEB_ROOT } from '../helpers/browser.js';
import { createTestDatabase, DIALECTS, type TestDatabase } from '../helpers/dialects.js';

/**
 * The import dialog's process plan in Chromium, at 1280 and 390 px: the document's severities,
 * escalation, checklists and templates listed terraform-style with checkboxes, people mapped
 * with selects, an unmapped one refused with its name, the selection applied, then unchanged.
 */
const KILN = fileURLToPath(new URL('../fixtures/runbooks/kiln-queue.md', import.meta.url));
const SPARROW = fileURLToPath(new URL('../fixtures/runbooks/sparrow-cache.md', import.meta.url));

describe.each(DIALECTS)('runbook import plan in Chromium on %s', (dialect) => {
  let db: TestDatabase;
  let server: RunningServer;
  let browser: Browser;
  let admin: { email: string; password: string };
  const pageErrors: string[] = [];

  async function signedIn(width: number): Promise<Page> {
    const page = await (await browser.newContext({ viewport: { width, height: 900 } })).newPage();
    page.on('pageerror', (e) => pageErrors.push(e.message));
    await page.goto(`${server.url}/sign-in`);
    await page.getByLabel('Email').fill(admin.email);
    await page.getByLabel('Password').fill(admin.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: /^Incidents/ }).waitFor();
    return page;
  }

  async function openPlan(page: Page, file: string, name: string) {
    await page.goto(`${server.url}/runbooks`);
    await page.getByRole('button', { name: 'Import Markdown' }).click();
    await page.getByLabel('Markdown files').setInputFiles(file);
    await page.getByRole('button', { name: 'Check import' }).click();
    const plan = page.locator(`.rb-import-report[data-source="${name}"] .rb-plan`);
    await plan.locator('.rb-plan-entries').waitFor();
    return plan;
  }

  beforeAll(async () => {
    requireBrowserPrerequisites();
    db = await createTestDatabase(dialect);
    let created: { email: string; password: string } | null = null;
    server = await startServer(
      loadEnvConfig({ ...process.env, DATABASE_URL: db.url, PORT: '0', HOST: '127.0.0.1', FIREBREAK_LOG: 'silent', PUBLIC_URL: undefined, FIREBREAK_SECURE_COOKIES: 'false' }),
      { log: silentLogger, webRoot: WEB_ROOT, onAdminCreated: (email, password) => { created = { email, password }; } },
    );
    admin = created!;
    await server.store.db.insertInto('teams').values({ id: 'team_queue', slug: 'queue', name: 'Queue crew', managed_by: null, created_at: 0, updated_at: 0 }).execute();
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    await db?.drop();
  });

  it('1280 px: shows the plan, refuses an unmapped person by name, applies the ticked objects, then shows them unchanged', { timeout: 90_000 }, async () => {
    const page = await signedIn(1280);
    const plan = await openPlan(page, KILN, 'kiln-queue.md');
    const ladder = plan.locator('[data-entry="severities"]');
    expect(await ladder.getAttribute('data-action')).toBe('change');
    expect(await ladder.locator('.rb-plan-changes').textContent()).toMatch(/SEV-1.*\(none\).*SEV-1 \(new level\)/);
    expect(await plan.locator('[data-entry="escalation-policy:Kiln Job Queue escalation"]').getAttribute('data-action')).toBe('add');
    // Keep the post-incident checklist out of this apply.
    await plan.getByLabel('Apply Afterwards').uncheck();
    const applyButton = plan.getByRole('button', { name: /^Apply \d+ objects$/ });
    await plan.getByLabel('Map On-call queue engineer', { exact: true }).selectOption('team:queue');
    await applyButton.click();
    await plan.locator('[role="alert"]', { hasText: 'Queue team lead' }).waitFor();
    for (const name of ['Queue team lead', 'Director of Platform', 'On-call', 'Security on-call']) await plan.getByLabel(`Map ${name}`, { exact: true }).selectOption('team:queue');
    await page.screenshot({ path: `${SHOTS}/firebreak-ui-import-plan-${dialect}.png`, fullPage: true });
    await applyButton.click();
    await plan.locator('.rb-plan-applied', { hasText: 'escalation policy Kiln Job Queue escalation: created' }).waitFor();
    await plan.locator('[data-entry="severities"][data-action="unchanged"]').waitFor();
    expect(await plan.locator('[data-entry="checklist:kiln-queue-afterwards"]').getAttribute('data-action')).toBe('add');
    const keys = (await server.store.db.selectFrom('severities').select('key').orderBy('rank').execute()).map((r) => r.key);
    expect(keys).toEqual(['SEV-1', 'SEV-2', 'SEV-3']);
    expect(await server.store.db.selectFrom('checklist_templates').select('id').where('slug', '=', 'kiln-queue-afterwards').executeTakeFirst()).toBeUndefined();
    expect(await server.store.db.selectFrom('audit_log').select('id').where('action', '=', 'runbook.plan_applied').execute()).toHaveLength(1);
    expect(pageErrors).toEqual([]);
  });

  it('390 px: the plan fits the screen and one template can be applied on its own', { timeout: 90_000 }, async () => {
    const page = await signedIn(390);
    const plan = await openPlan(page, SPARROW, 'sparrow-cache.md');
    for (const box of await plan.locator('.rb-plan-entries > li').all()) await box.scrollIntoViewIfNeeded();
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    for (const entry of await plan.locator('.rb-plan-entries > li[data-action="add"], .rb-plan-entries > li[data-action="change"]').all()) {
      const id = await entry.getAttribute('data-entry');
      if (id !== 'update-template:resolution/internal') await entry.locator('input[type="checkbox"]').uncheck();
    }
    await plan.getByRole('button', { name: 'Apply 1 object' }).click();
    // The kiln document applied its own resolution template first: this one replaces it.
    await plan.locator('.rb-plan-applied', { hasText: 'update template resolution/internal: changed' }).waitFor();
    await page.screenshot({ path: `${SHOTS}/firebreak-ui-import-plan-narrow-${dialect}.png`, fullPage: true });
    const resolution = await server.store.db.selectFrom('update_templates').select('body').where('kind', '=', 'resolution').where('audience', '=', 'internal').executeTakeFirstOrThrow();
    expect(resolution.body).toContain('CACHE RESOLVED');
    const initial = await server.store.db.selectFrom('update_templates').select('body').where('kind', '=', 'initial').where('audience', '=', 'internal').executeTakeFirstOrThrow();
    expect(initial.body).toContain('Kiln incident');
    expect(pageErrors).toEqual([]);
  });
});
