import { performance } from 'node:perf_hooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importRunbooks } from '../../src/domain/runbooks/index.js';
import { INLINE_MAX_CHARS } from '../../src/domain/runbooks/import-off-loop.js';
import { bearer, createTestApp, type TestApp } from '../helpers/app.js';
import { DIALECTS } from '../helpers/dialects.js';
import { AppError } from '../../src/core/errors.js';

/**
 * Runbook import and lint are linear in the document and bounded in size, and large documents
 * are read on a worker thread: a hostile document (a read-scoped key can lint) answers within a
 * second and leaves the server answering. Timings are generous; bench/runbook-parse.mjs measures.
 */

const heading = '# Pathological\n\n';
const PATHOLOGICAL: Record<string, string> = {
  'brackets': heading + '['.repeat(100_000),
  'brackets in a step': `${heading}## Steps\n\n1. ${'['.repeat(100_000)}`,
  'link openers': `${heading}## Steps\n\n1. ${'[a]('.repeat(25_000)}`,
  'image openers': `${heading}## Steps\n\n1. ${'!['.repeat(50_000)}`,
  'a 10,000-level list on one line': `${heading}## Steps\n\n${'- '.repeat(10_000)}x`,
  'a 700-level indented list': `${heading}## Steps\n\n${Array.from({ length: 700 }, (_, i) => `${' '.repeat(i * 2)}- x`).join('\n')}`,
  'a 1 MB single line': heading + 'word '.repeat(200_000),
  'backticks': heading + '`'.repeat(100_000),
  'stars': heading + '*'.repeat(100_000),
  'underscores': heading + '_'.repeat(100_000),
  // Old alert-name regex: 8th-power backtracking (40 capitals took 7 s).
  'CamelCase capitals in a step': `${heading}## Steps\n\n1. Ab${'A'.repeat(100_000)} x`,
  'long metadata and severity lines': `# Severity levels\n\n## P1${')'.repeat(100_000)} x\n\n**Response${' '.repeat(100_000)}x\n\nowner: ${'* '.repeat(100_000)}x\n`,
  'blank runs in a title': `${heading}## Checklist ${'('.repeat(100_000)}\n\n- [ ] a\n`,
  'kubectl words': `${heading}## Steps\n\n1. Run\n\n   \`\`\`bash\n   ${'kubectl a-b '.repeat(40_000)}\n   \`\`\`\n`,
};

describe.each(DIALECTS)('runbook documents cannot stall the server (%s)', (dialect) => {
  let t: TestApp;
  let admin: string;
  let viewer: string;

  const post = (url: string, payload: unknown, token: string) => t.app.inject({ method: 'POST', url, headers: bearer(token), payload: payload as object });

  beforeAll(async () => {
    t = await createTestApp(dialect);
    admin = (await t.userWithKey('admin')).token;
    viewer = (await t.userWithKey('viewer')).token;
    // Starts the parser thread (under vitest it compiles TypeScript first), outside the timings.
    const warm = await post('/api/v1/runbooks/lint', { markdown: `# Warm\n\n${'x'.repeat(INLINE_MAX_CHARS + 1)}\n` }, viewer);
    expect(warm.statusCode, warm.body).toBe(200);
  }, 60_000);
  afterAll(async () => t?.close());

  it.each(Object.keys(PATHOLOGICAL))('lints %s in under a second, the event loop free meanwhile', async (name) => {
    const markdown = PATHOLOGICAL[name]!;
    let longestGap = 0;
    let last = performance.now();
    const ticker = setInterval(() => {
      const now = performance.now();
      longestGap = Math.max(longestGap, now - last);
      last = now;
    }, 5);
    const started = performance.now();
    const res = await post('/api/v1/runbooks/lint', { markdown }, viewer);
    const took = performance.now() - started;
    clearInterval(ticker);
    expect(res.statusCode, res.body.slice(0, 200)).toBe(200);
    expect(took).toBeLessThan(1000);
    expect(longestGap).toBeLessThan(1000);
  });

  it('imports a large document on the worker thread with the same result as a small one', async () => {
    const doc = (padding: string) =>
      `---\nservice: payments\nmatchers:\n  - alertname=~"Payments.*"\n---\n# Payments down\n\n${padding}\n\n## Steps\n\n1. Check the [dashboard](https://grafana.example/d/pay).\n2. Restart: \`kubectl rollout restart deploy/payments\`\n`;
    const small = await post('/api/v1/runbooks/import', { markdown: doc('Small.'), sourceName: 'small.md', dryRun: true }, admin);
    expect(small.statusCode, small.body).toBe(200);
    const large = await post('/api/v1/runbooks/import', { markdown: doc('x'.repeat(INLINE_MAX_CHARS + 10)), sourceName: 'large.md' }, admin);
    expect(large.statusCode, large.body).toBe(200);
    const slugs = small.json().runbooks.map((r: { slug: string }) => r.slug);
    expect(slugs.length).toBeGreaterThan(0);
    expect(large.json().runbooks.map((r: { slug: string; action: string }) => [r.slug, r.action])).toEqual(slugs.map((slug: string) => [slug, 'created']));
    expect(large.json().report.recognised).toEqual(small.json().report.recognised);
    const stored = await t.app.inject({ method: 'GET', url: `/api/v1/runbooks/${slugs[0]}`, headers: bearer(admin) });
    expect(stored.statusCode).toBe(200);
    expect(JSON.stringify(stored.json())).toContain('Payments.*');
    // A document error found on the thread is still a 400 naming the field.
    const bad = await post('/api/v1/runbooks/import', { markdown: `---\nmatchers:\n  - alertname=~"(?=x)"\n---\n# Bad\n\n${'x'.repeat(INLINE_MAX_CHARS + 10)}\n`, sourceName: 'bad.md' }, admin);
    expect(bad.statusCode, bad.body).toBe(400);
    expect(bad.body).toContain('frontMatter.matchers.0');
  });

  it('refuses a document over 2 MB naming the field, and a body over 1 MB with 413', async () => {
    const error = await importRunbooks({ ctx: t.ctx(), input: { markdown: '#'.repeat(2 * 1024 * 1024 + 1) } }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).issues[0]?.field).toBe('markdown');
    const res = await post('/api/v1/runbooks/lint', { markdown: 'x'.repeat(1024 * 1024 + 1) }, viewer);
    expect(res.statusCode).toBe(413);
  });
});
