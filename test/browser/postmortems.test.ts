/// <reference lib="dom" />
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSignedInBrowser, SHOTS, startUiServer, type ApiCall, type UiServer } from '../helpers/browser.js';
import { DIALECTS } from '../helpers/dialects.js';

/**
 * Writing a post-mortem from a resolved incident in a real Chromium against a real server:
 * star two timeline events, write the post-mortem (drafted from the record), see the starred
 * moments in it, a table rendered in the live preview (and no script run), submit and publish.
 */
describe.each(DIALECTS)('post-mortems in Chromium on %s', (dialect) => {
  let ui: UiServer;
  let api: ApiCall;
  let browser: Browser;
  let page: Page;
  let pageErrors: string[] = [];

  beforeAll(async () => {
    ui = await startUiServer(dialect, { keyName: 'postmortem test' });
    api = ui.api;
    ({ browser, page, pageErrors } = await openSignedInBrowser(ui));
  });
  afterAll(async () => {
    await browser?.close();
    await ui?.stop();
  });

  it('stars two timeline events, writes the post-mortem from the resolved incident, previews a table and publishes', async () => {
    const created = await api('POST', '/incidents', { title: 'Checkout errors', severity: 'SEV1', summary: 'Card payments fail for some users' });
    expect(created.status).toBe(201);
    const n = created.body.number as number;
    expect((await api('POST', `/incidents/${n}/notes`, { body: 'Error rate alert fired on checkout' })).status).toBe(201);
    expect((await api('POST', `/incidents/${n}/notes`, { body: 'Rolled back release 1.4.2' })).status).toBe(201);
    expect((await api('POST', `/incidents/${n}/status`, { status: 'resolved' })).status).toBe(200);

    await page.goto(`${ui.server.url}/incidents/${n}`);
    const timeline = page.locator('ol.timeline');
    const star = async (text: string, tag: string) => {
      const item = timeline.locator('li.tl-item', { hasText: text });
      await item.getByRole('button', { name: '☆ Star' }).click();
      await item.getByRole('button', { name: tag, exact: true }).click();
      await item.getByRole('button', { name: `★ ${tag}` }).waitFor();
    };
    await star('Error rate alert fired on checkout', 'detection');
    await star('Rolled back release 1.4.2', 'mitigation');
    const stars = await api('GET', `/incidents/${n}/stars`);
    expect((stars.body.items as { tag: string }[]).map((s) => s.tag).sort()).toEqual(['detection', 'mitigation']);

    const panel = page.locator('section', { has: page.locator('#postmortem-h') });
    // The gate: a SEV1 cannot be closed before its post-mortem is published.
    await panel.getByRole('button', { name: 'Close incident' }).click();
    await panel.getByText('requires a published post-mortem').waitFor();
    await panel.getByRole('button', { name: 'Write post-mortem' }).click();
    await page.waitForURL(/\/postmortems\/pm_/);
    const source = page.getByLabel('Post-mortem Markdown');
    await expect.poll(() => source.inputValue(), { timeout: 10_000 }).toContain('## Contributing factors');
    const md = await source.inputValue();
    expect(md).toContain('| detection | Error rate alert fired on checkout |');
    expect(md).toContain('| mitigation | Rolled back release 1.4.2 |');
    expect(md).toContain(`[Full timeline of #${n}](/incidents/${n}#timeline)`);

    const preview = page.getByTestId('pm-preview');
    // The starred moments, as a table in the preview, with the full timeline a click away.
    await preview.locator('td', { hasText: 'Rolled back release 1.4.2' }).waitFor();
    expect(await preview.locator('a', { hasText: `Full timeline of #${n}` }).getAttribute('href')).toBe(`/incidents/${n}#timeline`);
    await source.fill(`${md}\n\n## Cost\n\n| Item | Hours |\n| --- | --: |\n| Responders | 6 |\n\n- [x] rolled back\n\n<script>window.__pwned = 1</script><img src=x onerror="window.__pwned = 2">`);
    await preview.locator('th', { hasText: 'Hours' }).waitFor();
    expect(await preview.locator('td', { hasText: 'Responders' }).count()).toBe(1);
    expect(await preview.locator('input[type=checkbox][checked]').count()).toBeGreaterThan(0);
    expect(await preview.locator('script, img').count()).toBe(0);
    expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
    await page.getByLabel('Public post-mortem text').fill('A faulty release broke card payments; we rolled it back.');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByRole('button', { name: 'Saved' }).waitFor();
    await page.screenshot({ path: `${SHOTS}/firebreak-postmortem-editor-${dialect}.png`, fullPage: true });

    await page.getByRole('button', { name: 'Submit for review' }).click();
    await page.getByTestId('pm-status').getByText('In review').waitFor();
    await page.getByRole('button', { name: 'Publish' }).click();
    await page.getByTestId('pm-status').getByText('Published').waitFor();
    const pm = await api('GET', `/incidents/${n}/postmortem`);
    expect(pm.body.status).toBe('published');
    expect(pm.body.body).toContain('| Responders | 6 |');
    expect(pm.body.publicBody).toBe('A faulty release broke card payments; we rolled it back.');

    // Back on the incident: published, and now it closes.
    await page.goto(`${ui.server.url}/incidents/${n}`);
    await panel.getByText('Published').waitFor();
    await panel.getByRole('button', { name: 'Close incident' }).click();
    await panel.getByText(/^Closed /).waitFor();
    // The list page, reached from Reports.
    await page.goto(`${ui.server.url}/reports`);
    await page.getByRole('link', { name: 'Post-mortems' }).click();
    await page.getByRole('link', { name: 'Post-mortem: Checkout errors' }).waitFor();
    expect(pageErrors).toEqual([]);
  });
});
