/// <reference lib="dom" />
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSignedInBrowser, SHOTS, startUiServer, type ApiCall, type UiServer } from '../helpers/browser.js';
import { DIALECTS } from '../helpers/dialects.js';

/**
 * Issue 15, alerts console in a real Chromium against a real server, at 1280 px and at 390 px:
 * search alerts by matchers and status (and a bad matcher's message), open one (labels, raw
 * payload), silence it from its page with the matchers pre-filled and edited while the preview
 * follows, expire the silence, a refused silence shown, and a maintenance window created, edited
 * (a refused edit shown), and ended. Nothing in the page's main area overflows sideways.
 */
const WIDTHS = [1280, 390] as const;

describe.each(DIALECTS)('alerts, silences and maintenance windows in Chromium on %s', (dialect) => {
  let ui: UiServer;
  let api: ApiCall;
  let key = '';
  const errors: string[] = [];

  /** An Alertmanager webhook notification, as Alertmanager sends it. */
  const notify = async (alerts: { name: string; instance: string; env: string; status?: 'firing' | 'resolved' }[]) => {
    const res = await fetch(`${ui.server.url}/ingest/alertmanager/${key}`, {
      method: 'POST', headers: { 'content-type': 'application/json', 'user-agent': 'Alertmanager/0.27.0' },
      body: JSON.stringify({
        receiver: 'firebreak', status: 'firing', version: '4', groupKey: '{}:{}', truncatedAlerts: 0, groupLabels: {}, commonLabels: {}, commonAnnotations: {}, externalURL: 'http://am:9093',
        alerts: alerts.map((a) => ({
          status: a.status ?? 'firing', labels: { alertname: a.name, instance: a.instance, env: a.env, severity: 'critical' },
          annotations: { summary: `${a.name} on ${a.instance}`, description: `${a.name} fired on ${a.instance}` },
          startsAt: new Date(Date.now() - 60_000).toISOString(), endsAt: '0001-01-01T00:00:00Z', generatorURL: 'http://prom:9090/graph?g0.expr=up',
        })),
      }),
    });
    expect(res.status, await res.text()).toBe(200);
  };

  /** Nothing scrolls sideways: not the page's own content, not the document. */
  const expectNoOverflow = async (page: Page, width: number, what: string) => {
    const overflow = await page.evaluate(() => {
      const main = document.querySelector('main')!;
      return { main: main.scrollWidth - main.clientWidth, right: main.getBoundingClientRect().right, doc: document.scrollingElement!.scrollWidth - window.innerWidth };
    });
    expect(overflow.main, `${what} at ${width} px`).toBeLessThanOrEqual(0);
    expect(overflow.right, `${what} at ${width} px`).toBeLessThanOrEqual(width);
    expect(overflow.doc, `horizontal scroll on ${what} at ${width} px`).toBeLessThanOrEqual(0);
  };

  beforeAll(async () => {
    ui = await startUiServer(dialect, { keyName: 'alerts test' });
    ({ api } = ui);
    expect((await api('POST', '/services', { slug: 'checkout', name: 'Checkout' })).status).toBe(201);
    const created = await api('POST', '/integrations', { name: 'prom-eu', format: 'alertmanager-webhook' });
    expect(created.status).toBe(201);
    key = created.body.key as string;
  });

  afterAll(async () => {
    await ui?.stop();
  });

  for (const width of WIDTHS) {
    describe(`at ${width} px`, () => {
      let page: Page;
      let browser: Browser;
      const w = String(width);

      beforeAll(async () => {
        await notify([
          { name: 'DiskFull', instance: `db-1-${w}`, env: 'prod' },
          { name: 'DiskFull', instance: `db-2-${w}`, env: 'stage' },
          { name: 'CpuHigh', instance: `web-1-${w}`, env: 'prod' },
          { name: 'Gone', instance: `db-3-${w}`, env: 'prod' },
        ]);
        await notify([{ name: 'Gone', instance: `db-3-${w}`, env: 'prod', status: 'resolved' }]);
        ({ browser, page } = await openSignedInBrowser(ui, { width, height: 900 }));
        page.on('pageerror', (e) => errors.push(e.message));
        page.setDefaultTimeout(10_000);
      });
      afterAll(async () => {
        await browser?.close();
      });

      it('searches alerts by label matchers and status, and names a bad matcher', async () => {
        if (width === 1280) await page.getByRole('navigation').getByRole('link', { name: 'Alerts', exact: true }).first().click();
        else await page.goto(`${ui.server.url}/alerts`);
        await page.getByRole('heading', { name: 'Alerts', exact: true }).waitFor();
        const search = page.getByRole('search', { name: 'Search alerts' });
        const rows = page.getByTestId('alert-row');

        await search.getByLabel('Label matchers').fill(`alertname="DiskFull", instance=~"db-.*-${w}"`);
        await search.getByRole('button', { name: 'Search' }).click();
        await page.waitForURL(/matchers=/);
        await rows.first().waitFor();
        expect(await rows.count()).toBe(2);
        expect(await rows.allTextContents()).toEqual([expect.stringContaining(`DiskFull on db-2-${w}`), expect.stringContaining(`DiskFull on db-1-${w}`)]);

        await search.getByLabel('Label matchers').fill(`instance=~".*-${w}"`);
        await search.getByLabel('Status').selectOption('resolved');
        await search.getByRole('button', { name: 'Search' }).click();
        await page.waitForURL(/status=resolved/);
        await rows.filter({ hasText: `Gone on db-3-${w}` }).waitFor();
        expect(await rows.count()).toBe(1);
        expect(await rows.first().textContent()).toContain('resolved');

        await search.getByLabel('Status').selectOption('firing');
        await search.getByRole('button', { name: 'Search' }).click();
        await page.waitForURL(/status=firing/);
        await rows.filter({ hasText: `CpuHigh on web-1-${w}` }).waitFor();
        expect(await rows.count()).toBe(3);
        await expectNoOverflow(page, width, 'alert list');
        await page.screenshot({ path: `${SHOTS}/firebreak-alerts-list-${width}-${dialect}.png`, fullPage: true });

        await search.getByLabel('Label matchers').fill('alertname=~"(unclosed"');
        await search.getByRole('button', { name: 'Search' }).click();
        const alert = page.getByRole('alert');
        await alert.waitFor();
        expect(await alert.textContent()).toContain('invalid regular expression');
        expect(await search.locator('.field-error').textContent()).toContain('invalid regular expression');
      });

      it('shows an alert with labels, annotations and its raw payload, and silences it in one click with the matchers pre-filled', async () => {
        await page.goto(`${ui.server.url}/alerts?matchers=${encodeURIComponent(`instance="db-1-${w}"`)}`);
        await page.getByRole('link', { name: `DiskFull on db-1-${w}` }).click();
        await page.getByRole('heading', { name: `DiskFull on db-1-${w}` }).waitFor();
        const labels = page.getByRole('definition').filter({ hasText: `db-1-${w}` });
        expect(await labels.count()).toBeGreaterThan(0);
        expect(await page.locator('dl[aria-label="Annotations"]').textContent()).toContain(`DiskFull fired on db-1-${w}`);
        const raw = await page.getByTestId('raw-payload').textContent();
        expect(raw).toContain('"receiver": "firebreak"');
        expect(raw).not.toContain(key);
        expect(await page.getByRole('link', { name: 'prom-eu' }).count()).toBe(1);
        await expectNoOverflow(page, width, 'alert detail');

        await page.getByRole('button', { name: 'Silence…' }).click();
        const form = page.locator('form.silence-form');
        await form.waitFor();
        // Pre-filled from the alert's labels, one matcher per label.
        const names = await form.getByRole('group', { name: /^Matcher \d+$/ }).evaluateAll((groups) => groups.map((g) => (g.querySelector('input') as HTMLInputElement).value));
        expect([...names].sort()).toEqual(['alertname', 'env', 'instance', 'severity']);
        await form.getByTestId('silence-preview-count').filter({ hasText: '1 open alert matches' }).waitFor();

        // Widen it: instance by regex over both disks, drop env; the preview follows.
        const envRow = names.indexOf('env') + 1;
        const instanceIndex = names.indexOf('instance') + 1;
        await form.getByLabel(`Operator ${instanceIndex}`).selectOption('=~');
        await form.getByLabel(`Value ${instanceIndex}`).fill(`db-[12]-${w}`);
        await form.getByRole('button', { name: `Remove matcher ${envRow}` }).click();
        await form.getByTestId('silence-preview-count').filter({ hasText: '2 open alerts match' }).waitFor();
        expect(await form.locator('.preview-list li').allTextContents()).toEqual(expect.arrayContaining([expect.stringContaining(`DiskFull on db-2-${w}`), expect.stringContaining(`DiskFull on db-1-${w}`)]));
        await form.getByLabel('Duration').selectOption({ label: '4 hours' });
        await form.getByLabel('Comment').fill(`disk swap ${w}`);
        await expectNoOverflow(page, width, 'silence form');
        await page.screenshot({ path: `${SHOTS}/firebreak-alerts-silence-${width}-${dialect}.png`, fullPage: true });
        await form.getByRole('button', { name: 'Save silence' }).click();
        await page.getByRole('status').filter({ hasText: /Silence sil_[a-z0-9]+ saved/ }).waitFor();

        const silences = (await api('GET', '/silences')).body as unknown as { comment: string; matchers: { name: string; value: string; isRegex: boolean }[]; status: { state: string } }[];
        const mine = silences.find((s) => s.comment === `disk swap ${w}`)!;
        expect(mine.status.state).toBe('active');
        expect(mine.matchers.map((m) => `${m.name}:${m.value}:${m.isRegex}`).sort()).toEqual(['alertname:DiskFull:false', `instance:db-[12]-${w}:true`, 'severity:critical:false']);
      });

      it('lists the silence as active, expires it, and shows a refused silence', async () => {
        await page.getByRole('navigation', { name: 'Alerts, silences and maintenance windows' }).getByRole('link', { name: 'Silences' }).click();
        await page.getByRole('heading', { name: 'Silences', exact: true }).waitFor();
        const row = page.getByTestId('silence-row').filter({ hasText: `disk swap ${w}` });
        await row.waitFor();
        expect(await row.textContent()).toContain(`instance=~"db-[12]-${w}"`);
        await expectNoOverflow(page, width, 'silences');
        await row.getByRole('button', { name: 'Expire' }).click();
        await row.getByRole('group', { name: 'Confirm expire' }).getByRole('button', { name: 'Expire silence' }).click();
        await page.getByRole('status').filter({ hasText: 'expired' }).waitFor();
        await row.waitFor({ state: 'detached' });
        await page.getByRole('tab', { name: /Expired/ }).click();
        await page.getByTestId('silence-row').filter({ hasText: `disk swap ${w}` }).waitFor();

        await page.getByRole('button', { name: 'New silence' }).click();
        const form = page.locator('form.silence-form');
        await form.getByLabel('Label name 1').fill('alertname');
        await form.getByLabel('Operator 1').selectOption('=~');
        await form.getByLabel('Value 1').fill('(Disk');
        await form.getByText(/^Preview: .*invalid regular expression/).waitFor();
        await form.getByLabel('Comment').fill('broken');
        await form.getByRole('button', { name: 'Save silence' }).click();
        const alert = form.getByRole('alert');
        await alert.waitFor();
        expect(await alert.textContent()).toContain('invalid regular expression');
        await page.screenshot({ path: `${SHOTS}/firebreak-alerts-silence-error-${width}-${dialect}.png`, fullPage: true });
        await form.getByRole('button', { name: 'Cancel' }).click();
      });

      it('creates, edits (a refused edit shown) and ends a maintenance window', async () => {
        await page.getByRole('navigation', { name: 'Alerts, silences and maintenance windows' }).getByRole('link', { name: 'Maintenance windows' }).click();
        await page.getByRole('heading', { name: 'Maintenance windows', exact: true }).waitFor();
        await page.getByRole('button', { name: 'New window' }).click();
        const create = page.locator('form.mw-create');
        await create.getByLabel('Reason').fill(`Upgrade ${w}`);
        await create.getByLabel('Checkout').check();
        await create.getByRole('button', { name: 'Create window' }).click();
        const row = page.getByTestId('window-row').filter({ hasText: `Upgrade ${w}` });
        await row.waitFor();
        expect(await row.textContent()).toContain('active');
        expect(await row.textContent()).toContain('Checkout');
        await expectNoOverflow(page, width, 'maintenance windows');

        await row.getByRole('button', { name: 'Edit' }).click();
        const edit = page.locator('form.mw-form:not(.mw-create)');
        expect(await edit.getByLabel('Starts').isDisabled()).toBe(true);
        await edit.getByLabel('Ends').fill('2020-01-01T00:00');
        await edit.getByRole('button', { name: 'Save changes' }).click();
        await edit.getByRole('alert').waitFor();
        expect(await edit.locator('.field-error').first().textContent()).toContain('must be in the future');
        await page.screenshot({ path: `${SHOTS}/firebreak-alerts-window-error-${width}-${dialect}.png`, fullPage: true });
        await edit.getByLabel('Ends').fill('2099-01-01T00:00');
        await edit.getByLabel('Reason').fill(`Upgrade ${w}, part 2`);
        await edit.getByLabel('Checkout').uncheck();
        await edit.getByRole('button', { name: 'Save changes' }).click();
        const edited = page.getByTestId('window-row').filter({ hasText: `Upgrade ${w}, part 2` });
        await edited.waitFor();
        expect(await edited.textContent()).toContain('every service');
        const listed = ((await api('GET', '/maintenance-windows')).body.items as { reason: string; endsAt: string; services: string[] }[]).find((i) => i.reason === `Upgrade ${w}, part 2`)!;
        expect(new Date(listed.endsAt).getUTCFullYear()).toBeGreaterThanOrEqual(2098);
        expect(listed.services).toEqual([]);

        await edited.getByRole('button', { name: 'End' }).click();
        await edited.getByRole('group', { name: 'Confirm end' }).getByRole('button', { name: 'End window' }).click();
        await edited.locator('.badge.mw-st-ended').waitFor();
        expect(await edited.getByRole('button', { name: 'Edit' }).count()).toBe(0);
        await page.screenshot({ path: `${SHOTS}/firebreak-alerts-windows-${width}-${dialect}.png`, fullPage: true });
        expect(errors).toEqual([]);
      });
    });
  }
});
