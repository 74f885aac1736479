/// <reference lib="dom" />
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM, CHROMIUM_ARGS, requireBrowserPrerequisites, startUiServer, type UiServer } from '../helpers/browser.js';
import { DIALECTS } from '../helpers/dialects.js';

/**
 * A real Statuspage consumer: Atlassian's own `@statuspage/status-widget` web component (its
 * published dist bundle) in Chromium, pointed at a Firebreak page, shows the page's status from
 * summary.json. The widget replaces the URL's whole path with /api/v2/summary.json, so it works
 * against a page served at a host's root: the page's custom host name, resolved to this server
 * by Chromium's host resolver rules (as a DNS record would).
 */
const WIDGET = readFileSync(new URL('../../node_modules/@statuspage/status-widget/dist/index.js', import.meta.url));
const HOST = 'status.acme.test';

describe.each(DIALECTS)('Statuspage status widget against Firebreak on %s', (dialect) => {
  let ui: UiServer;
  let browser: Browser;
  let site: Server;
  let siteUrl: string;
  let pageBase: string;

  beforeAll(async () => {
    requireBrowserPrerequisites();
    ui = await startUiServer(dialect, { keyName: 'status widget test' });
    const port = new URL(ui.server.url).port;
    pageBase = `http://${HOST}:${port}`;
    // Someone else's site embedding the widget (another origin: the JSON is read cross-origin).
    // The bundle assigns the global `parcelRequire` without declaring it, which throws a page
    // error (the widget renders anyway); declared first, the page has no error at all.
    site = createServer((req, res) => {
      if (req.url === '/widget.js') return res.writeHead(200, { 'content-type': 'text/javascript' }).end(WIDGET);
      const src = new URL(req.url ?? '/', 'http://x').searchParams.get('src') ?? pageBase;
      res.writeHead(200, { 'content-type': 'text/html' }).end(`<!doctype html><html><body>
<statuspage-widget id="basic" src="${src}"></statuspage-widget>
<statuspage-widget id="badge" src="${src}" appearance="badge" title="Acme"></statuspage-widget>
<script>var parcelRequire;</script><script src="/widget.js"></script></body></html>`);
    });
    await new Promise<void>((r) => site.listen(0, '127.0.0.1', r));
    siteUrl = `http://127.0.0.1:${(site.address() as { port: number }).port}`;
    browser = await chromium.launch({ executablePath: CHROMIUM, args: [...CHROMIUM_ARGS, `--host-resolver-rules=MAP ${HOST} 127.0.0.1`] });
  });
  afterAll(async () => {
    await browser?.close();
    await new Promise((r) => site?.close(r));
    await ui?.stop();
  });

  it('shows the status description and indicator from summary.json, and follows an incident', async () => {
    const { api } = ui;
    expect((await api('POST', '/services', { slug: 'api', name: 'API' })).status).toBe(201);
    expect((await api('POST', '/status-pages', { slug: 'acme', name: 'Acme', hostName: HOST })).status).toBe(201);
    expect((await api('POST', '/status-pages/acme/components', { name: 'API', services: ['api'] })).status).toBe(201);

    const context = await browser.newContext();
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    const fetched: string[] = [];
    page.on('request', (r) => fetched.push(r.url()));
    await page.goto(siteUrl);
    const text = page.locator('#basic .status-text');
    await text.waitFor({ timeout: 10_000 });
    expect(await text.textContent()).toBe('All Systems Operational');
    expect(await page.locator('#basic .status-indicator').getAttribute('class')).toContain('none');
    expect(await page.locator('#basic a').getAttribute('href')).toBe(pageBase);
    expect(await page.locator('#badge .status-text').textContent()).toBe('Acme');
    expect(fetched).toContain(`${pageBase}/api/v2/summary.json`);

    expect(errors).toEqual([]);
    await context.close();

    // A SEV1 on the only component: a major outage, as the next visitor's widget shows (the widget
    // keeps an answer 30 s per page, browsers for max-age=2).
    expect((await api('POST', '/incidents', { title: 'x', severity: 'SEV1', service: 'api' })).status).toBe(201);
    const next = await browser.newContext();
    const page2 = await next.newPage();
    await page2.goto(siteUrl);
    await page2.locator('#basic .status-text').filter({ hasText: 'Major System Outage' }).waitFor({ timeout: 10_000 });
    expect(await page2.locator('#basic .status-indicator').getAttribute('class')).toContain('critical');
    expect(await page2.locator('#badge .status-indicator').textContent()).toContain('Major System Outage');
    await next.close();
  });

  it('drops the path of the URL it is given (why a page needs its own host for this widget)', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    const fetched: string[] = [];
    page.on('request', (r) => fetched.push(r.url()));
    const asked = page.waitForRequest((r) => r.url().endsWith('/api/v2/summary.json'), { timeout: 10_000 });
    await page.goto(`${siteUrl}/?src=${encodeURIComponent(`${ui.server.url}/status/acme`)}`);
    await asked;
    expect(fetched).toContain(`${ui.server.url}/api/v2/summary.json`);
    expect(fetched).not.toContain(`${ui.server.url}/status/acme/api/v2/summary.json`);
    await context.close();
  });
});
