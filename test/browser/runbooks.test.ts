/// <reference lib="dom" />
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../../src/app/server.js';
import { loadEnvConfig } from '../../src/config/env-config.js';
import { silentLogger } from '../../src/core/logger.js';
import { CHROMIUM, CHROMIUM_ARGS, requireBrowserPrerequisites, SHOTS, WEB_ROOT } from '../helpers/browser.js';
import { createTestDatabase, DIALECTS, type TestDatabase } from '../helpers/dialects.js';

/**
 * Runbooks in a real Chromium against a real server: an incident opens with its runbook, a
 * responder ticks steps (and skips one with a reason), the timeline shows them — for a declared
 * incident and for one an Alertmanager webhook opened; the library shows the runbook with its
 * versions and the incident that used it; an admin uploads a Markdown file, checks the import
 * report and confirms; a drill is marked DRILL.
 */
const API_LATENCY_MD = fileURLToPath(new URL('../../examples/runbooks/api-latency.md', import.meta.url));

const RUNBOOK = `---
service: checkout
severity: SEV2
targets: { acknowledge: 5 minutes, mitigate: 20 minutes }
---

# Checkout errors

Checkout answers 5xx for more than 2% of requests. <script>window.__pwned = true</script>

## Investigation

\`\`\`bash
# Which pods are failing?
kubectl get pods -n checkout -l app=checkout

# Logs of the failing pod
kubectl logs <pod-name> -n checkout --tail=200
\`\`\`

## Mitigation

1. Roll back the last deploy if it is less than an hour old

## Verification

- [ ] Verify the error rate is back under 0.1%
`;

describe.each(DIALECTS)('runbooks in Chromium on %s', (dialect) => {
  let db: TestDatabase;
  let server: RunningServer;
  let browser: Browser;
  let page: Page;
  let admin: { email: string; password: string };
  let token = '';
  const pageErrors: string[] = [];

  async function api(method: string, path: string, body?: unknown) {
    const res = await fetch(`${server.url}/api/v1${path}`, {
      method, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
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
    const signIn = await fetch(`${server.url}/api/v1/auth/sign-in`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(admin) });
    const cookie = signIn.headers.get('set-cookie')!.split(';')[0]!;
    const { csrfToken } = (await signIn.json()) as { csrfToken: string };
    const key = await fetch(`${server.url}/api/v1/api-keys`, { method: 'POST', headers: { 'content-type': 'application/json', cookie, 'x-csrf-token': csrfToken }, body: JSON.stringify({ name: 'runbook test', scopes: ['admin'] }) });
    token = ((await key.json()) as { token: string }).token;
    await server.store.db.insertInto('services').values({ id: 'svc_checkout', slug: 'checkout', name: 'Checkout', description: '', team_id: null, managed_by: null, created_at: 0, updated_at: 0 }).execute();
    expect((await api('POST', '/runbooks/import', { markdown: RUNBOOK, sourceName: 'checkout.md' })).status).toBe(200);

    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
    page = await (await browser.newContext({ viewport: { width: 1280, height: 1000 } })).newPage();
    page.on('pageerror', (e) => pageErrors.push(e.message));
    await page.goto(`${server.url}/sign-in`);
    await page.getByLabel('Email').fill(admin.email);
    await page.getByLabel('Password').fill(admin.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: /^Incidents/ }).waitFor();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    await db?.drop();
  });

  it('a declared incident opens with its runbook; a responder ticks steps and the timeline shows them', async () => {
    const inc = (await api('POST', '/incidents', { title: `Checkout 5xx on ${dialect}`, severity: 'SEV2', service: 'checkout' })).body as { number: number };
    await page.goto(`${server.url}/incidents/${inc.number}`);
    const run = page.locator('.rb-run[data-runbook="checkout-errors"]');
    await run.waitFor();
    expect(await run.locator('.rb-command code').first().textContent()).toBe('kubectl get pods -n checkout -l app=checkout');
    expect(await run.locator('.rb-targets').textContent()).toMatch(/acknowledge within 5m/);

    const step0 = run.locator('li.rb-step[data-step="0"]');
    await step0.getByRole('button', { name: 'Start' }).click();
    await page.locator('li.rb-step[data-step="0"][data-state="started"]').waitFor();
    await step0.getByRole('button', { name: 'Done' }).click();
    await page.locator('li.rb-step[data-step="0"][data-state="done"]').waitFor();

    const step1 = run.locator('li.rb-step[data-step="1"]');
    await step1.getByRole('button', { name: 'Skip…' }).click();
    await step1.getByLabel('Why skip this step?').fill('no failing pod');
    await step1.getByRole('button', { name: 'Skip step' }).click();
    await page.locator('li.rb-step[data-step="1"][data-state="skipped"]').waitFor();
    expect(await run.locator('.rb-progress-text').textContent()).toMatch(/^2 of 4 steps/);

    const timeline = page.locator('ol.timeline');
    await timeline.locator('li[data-kind="runbook_step_done"]').waitFor();
    await timeline.locator('li[data-kind="runbook_step_skipped"]', { hasText: 'no failing pod' }).waitFor();
    expect(await timeline.locator('li[data-kind="runbook_attached"]').count()).toBe(1);
    await page.screenshot({ path: `${SHOTS}/firebreak-ui-runbook-${dialect}.png`, fullPage: true });
  });

  it('an alert opens an incident with its runbook; a responder ticks steps and the timeline shows them', async () => {
    const integration = await api('POST', '/integrations', { name: `am-${dialect}`, format: 'alertmanager-webhook' });
    expect(integration.status, JSON.stringify(integration.body)).toBe(201);
    const key = integration.body.key as string;
    const alertname = 'CheckoutErrorRateHigh';
    const alert = {
      status: 'firing',
      labels: { alertname, severity: 'critical', pod: 'checkout-7f9c', namespace: 'checkout' },
      annotations: { summary: `Checkout 5xx above 2% (${dialect})`, runbook_url: 'https://wiki.example.com/runbooks/checkout-errors.md' },
      startsAt: new Date().toISOString(), endsAt: '0001-01-01T00:00:00Z', generatorURL: 'http://prom:9090/graph', fingerprint: `fp-checkout-${dialect}`,
    };
    const webhook = await fetch(`${server.url}/ingest/alertmanager/${key}`, {
      method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        version: '4', status: 'firing', receiver: 'firebreak', groupKey: `{}:{alertname="${alertname}"}`, truncatedAlerts: 0,
        groupLabels: { alertname }, commonLabels: alert.labels, commonAnnotations: alert.annotations, externalURL: 'http://am:9093', alerts: [alert],
      }),
    });
    expect(webhook.status, await webhook.text()).toBe(200);

    // Ingest answers only after the commit, so the incident the alert opened is there now.
    const summary = alert.annotations.summary;
    const list = await api('GET', `/incidents?q=${encodeURIComponent(summary)}`);
    const number = (list.body.items as { number: number; title: string }[]).find((x) => x.title === summary)?.number ?? null;
    expect(number, 'an incident opened for the alert').not.toBeNull();

    await page.goto(`${server.url}/incidents/${number}`);
    const run = page.locator('.rb-run[data-runbook="checkout-errors"]');
    await run.waitFor();
    // The pod label fills the placeholder in the command.
    expect(await run.locator('li.rb-step[data-step="1"] .rb-command code').textContent()).toBe('kubectl logs checkout-7f9c -n checkout --tail=200');

    for (const n of [0, 1]) {
      const step = run.locator(`li.rb-step[data-step="${n}"]`);
      await step.getByRole('button', { name: 'Start' }).click();
      await page.locator(`li.rb-step[data-step="${n}"][data-state="started"]`).waitFor();
      await step.getByRole('button', { name: 'Done' }).click();
      await page.locator(`li.rb-step[data-step="${n}"][data-state="done"]`).waitFor();
    }
    expect(await run.locator('.rb-progress-text').textContent()).toMatch(/^2 of 4 steps/);

    const timeline = page.locator('ol.timeline');
    await timeline.locator('li[data-kind="runbook_attached"]').waitFor();
    await expect.poll(() => timeline.locator('li[data-kind="runbook_step_started"]').count()).toBe(2);
    await expect.poll(() => timeline.locator('li[data-kind="runbook_step_done"]').count()).toBe(2);
    await page.screenshot({ path: `${SHOTS}/firebreak-ui-runbook-alert-${dialect}.png`, fullPage: true });
  });

  it('the library shows the runbook rendered, with versions and the incidents that used it; HTML stays text', async () => {
    await page.goto(`${server.url}/runbooks`);
    await page.getByLabel('Search runbooks').fill('checkout');
    await page.getByRole('button', { name: 'Search' }).click();
    await page.getByRole('link', { name: 'Checkout errors' }).click();
    await page.waitForURL(/\/runbooks\/checkout-errors$/);
    await page.getByRole('heading', { name: 'Checkout errors', level: 1 }).waitFor();
    expect(await page.locator('.rb-versions li').count()).toBe(1);
    await page.getByRole('link', { name: new RegExp(`Checkout 5xx on ${dialect}`) }).waitFor();
    // The parsed structure first: phases with their steps and targets; the summary stays text.
    const structure = page.locator('.rb-structure');
    await structure.getByRole('region', { name: 'Investigation' }).waitFor();
    expect(await structure.locator('.rb-phase').count()).toBe(3);
    expect(await structure.locator('.rb-step[data-kind="command"]').count()).toBe(2);
    expect(await structure.locator('.rb-targets').textContent()).toMatch(/acknowledge within 5m.*mitigate within 20m/);
    expect(await structure.locator('p').first().textContent()).toContain('<script>');
    // The document as written, a click away.
    await page.getByRole('tab', { name: 'Document' }).click();
    expect(await page.locator('.md').first().textContent()).toContain('<script>');
    expect(await page.evaluate(() => (window as unknown as { __pwned?: boolean }).__pwned)).toBeUndefined();
  });

  it('alternative paths: the library marks them, and a responder picks the one that applies (1280 and 390 px)', async () => {
    const doc = readFileSync(new URL('../fixtures/runbooks/osprey-replication.md', import.meta.url), 'utf8');
    expect((await api('POST', '/runbooks/import', { markdown: doc, sourceName: 'osprey-replication.md' })).status).toBe(200);
    await page.goto(`${server.url}/runbooks/replica-lag`);
    await page.locator('.rb-structure .rb-path-head', { hasText: 'Remediation Options: path 2 of 2' }).waitFor();
    expect(await page.locator('.rb-structure .rb-danger').count()).toBeGreaterThan(0);

    const inc = (await api('POST', '/incidents', { title: `Replica lag on ${dialect}`, severity: 'SEV3' })).body as { number: number };
    expect((await api('POST', `/incidents/${inc.number}/runbook-runs`, { runbook: 'replica-lag' })).status).toBe(201);
    for (const width of [1280, 390]) {
      await page.setViewportSize({ width, height: 1000 });
      await page.goto(`${server.url}/incidents/${inc.number}`);
      const chooser = page.getByRole('group', { name: 'Remediation Options: which path applies?' });
      await chooser.waitFor();
      const run = page.locator('.rb-run[data-runbook="replica-lag"]');
      const total = async () => Number(/of (\d+) steps/.exec((await run.locator('.rb-progress-text').textContent()) ?? '')![1]);
      const option = width === 1280 ? 'Rebuild the replica from a snapshot' : 'Restart the lagging replica';
      await chooser.getByRole('button', { name: option }).click();
      await run.locator('.rb-path-state', { hasText: `Following “${option}”` }).waitFor();
      // Steps of the other path are shown but not counted.
      const counted = await run.locator('.rb-step[data-counted="true"]').count();
      expect(await total()).toBe(counted);
      expect(await run.locator('.rb-step.rb-not-taken').count()).toBeGreaterThan(0);
      const box = await chooser.boundingBox();
      expect(box!.x + box!.width).toBeLessThanOrEqual(width);
      await page.screenshot({ path: `${SHOTS}/firebreak-ui-runbook-paths-${width}-${dialect}.png`, fullPage: true });
    }
    await page.setViewportSize({ width: 1280, height: 1000 });
    const timeline = ((await api('GET', `/incidents/${inc.number}/timeline`)).body.items as { kind: string }[]).filter((e) => e.kind === 'runbook_path_chosen');
    expect(timeline).toHaveLength(2);
  });

  it('an admin uploads a Markdown file, sees the import report, confirms, and the runbook is in the library', async () => {
    await page.goto(`${server.url}/runbooks`);
    await page.getByRole('button', { name: 'Import Markdown' }).click();
    await page.getByLabel('Markdown files').setInputFiles(API_LATENCY_MD);
    await page.getByRole('button', { name: 'Check import' }).click();
    const report = page.locator('.rb-import-report[data-source="api-latency.md"]');
    await report.getByText('dry run, nothing written yet').waitFor();
    expect(await report.locator('[data-count="runbooks"] strong').textContent()).toBe('1');
    expect(await report.locator('[data-count="phases"] strong').textContent()).toBe('5');
    expect(Number(await report.locator('[data-count="commandSteps"] strong').textContent())).toBeGreaterThan(0);
    expect(Number(await report.locator('[data-count="dangerousSteps"] strong').textContent())).toBeGreaterThan(0);
    expect(await report.locator('tr[data-slug="api-latency-above-objective"]').textContent()).toMatch(/created.*v1/);
    await page.screenshot({ path: `${SHOTS}/firebreak-ui-runbook-import-${dialect}.png`, fullPage: true });
    // A dry run wrote nothing.
    expect((await api('GET', '/runbooks/api-latency-above-objective')).status).toBe(404);

    await page.getByRole('button', { name: 'Confirm import (1 document)' }).click();
    await page.locator('.rb-import-done tr[data-slug="api-latency-above-objective"]', { hasText: 'created' }).waitFor();
    await page.locator('.rb-library-list').getByRole('link', { name: 'API latency above objective' }).waitFor();
    expect((await api('GET', '/runbooks/api-latency-above-objective')).status).toBe(200);

    // Importing the same file again is reported as unchanged; a refused document shows the server's message.
    await page.getByRole('button', { name: 'Check import' }).click();
    await report.locator('tr[data-slug="api-latency-above-objective"]', { hasText: 'unchanged' }).waitFor();
    await page.getByLabel('Markdown files').setInputFiles({ name: 'bad.md', mimeType: 'text/markdown', buffer: Buffer.from('---\ntargets: { mitigate: soon }\n---\n# Bad\n') });
    await page.getByRole('button', { name: 'Check import' }).click();
    await page.locator('.rb-import-report[data-source="bad.md"] [role="alert"]', { hasText: 'targets.mitigate' }).waitFor();
  });

  it('a drill is marked DRILL', async () => {
    const res = await api('POST', '/drills', { runbook: 'checkout-errors', participants: [admin.email] });
    expect(res.status).toBe(201);
    const number = (res.body.incident as { number: number }).number;
    await page.goto(`${server.url}/incidents/${number}`);
    await page.locator('.drill-banner').waitFor();
    expect(await page.locator('h1').first().textContent()).toContain('[DRILL] Checkout errors');
    expect(pageErrors).toEqual([]);
  });
});
