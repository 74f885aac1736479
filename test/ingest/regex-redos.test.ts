import { performance } from 'node:perf_hooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, createTestApp, type TestApp } from '../helpers/app.js';
import { DIALECTS } from '../helpers/dialects.js';

/**
 * User-written regexes (silences, routing rules, escalation conditions, runbook matchers) are RE2:
 * a catastrophic-backtracking pattern cannot stall ingest, and what RE2 (Alertmanager) refuses is
 * a 400 naming the field when it is saved.
 */
describe.each(DIALECTS)('regular expressions are RE2 (%s)', (dialect) => {
  let t: TestApp;
  let admin: string;
  let apiKey: string;

  const silence = (base: string, matcher: Record<string, unknown>) =>
    t.app.inject({
      method: 'POST', url: `${base}/silences`, headers: bearer(admin),
      payload: { matchers: [matcher], startsAt: new Date(t.clock.now()).toISOString(), endsAt: new Date(t.clock.now() + 3_600_000).toISOString(), createdBy: 'me', comment: 'test' },
    });

  beforeAll(async () => {
    t = await createTestApp(dialect);
    admin = (await t.userWithKey('admin')).token;
    const integration = await t.app.inject({ method: 'POST', url: '/api/v1/integrations', headers: bearer(admin), payload: { name: 'api', format: 'alertmanager-api' } });
    apiKey = integration.json().key;
  });
  afterAll(async () => t?.close());

  it('a pathological silence, route and condition do not stall ingest', async () => {
    const pathological = '(.*.*)*X';
    expect((await silence('/api/v2', { name: 'alertname', value: pathological, isRegex: true })).statusCode).toBe(200);
    const rule = await t.app.inject({ method: 'POST', url: '/api/v1/routing-rules', headers: bearer(admin), payload: { name: 'slow', matchers: `alertname=~"${pathological}"`, drop: true } });
    expect(rule.statusCode, rule.body).toBe(201);
    const started = performance.now();
    const res = await t.app.inject({
      method: 'POST', url: '/api/v2/alerts', headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' },
      payload: JSON.stringify([{ labels: { alertname: 'a'.repeat(33), instance: 'x' }, annotations: { summary: 'long name' } }]),
    });
    expect(res.statusCode, res.body).toBe(200);
    // JavaScript's RegExp needed ~12 s at 17 characters, doubling with each one more.
    expect(performance.now() - started).toBeLessThan(1000);
    const incidents = await t.store.db.selectFrom('incidents').select('id').execute();
    expect(incidents).toHaveLength(1);
  });

  it.each(['/api/v1', '/api/v2'])('refuses a silence RE2 cannot compile with a 400 naming the field (%s)', async (base) => {
    for (const value of ['(?=x)x', '(a)\\1', 'crit(']) {
      const res = await silence(base, { name: 'severity', value, isRegex: true });
      expect(res.statusCode, res.body).toBe(400);
      expect(res.body).toContain('matchers.0');
      expect(res.body).toContain('invalid regular expression');
    }
    // The same text as a plain (non-regex) value is fine.
    expect((await silence(base, { name: 'severity', value: '(?=x)x', isRegex: false })).statusCode).toBe(200);
  });

  it('refuses RE2-invalid routing rules, escalation conditions and runbook matchers with a 400 naming the field', async () => {
    const rule = await t.app.inject({ method: 'POST', url: '/api/v1/routing-rules', headers: bearer(admin), payload: { name: 'bad', matchers: 'alertname=~"(?!x)"', drop: true } });
    expect(rule.statusCode, rule.body).toBe(400);
    expect(rule.body).toContain('matchers');
    expect(rule.body).toContain('invalid regular expression');

    const user = (await t.userWithKey('responder')).userId;
    const policy = await t.app.inject({
      method: 'POST', url: '/api/v1/escalation-policies', headers: bearer(admin),
      payload: { name: 'bad regex', levels: [{ delaySeconds: 0, targets: [{ type: 'user', id: user }], condition: { matchers: [{ name: 'team', op: '=~', value: '(a)\\1' }] } }] },
    });
    expect(policy.statusCode, policy.body).toBe(400);
    expect(policy.body).toContain('levels.0.condition.matchers.0.value');

    const markdown = '---\nmatchers:\n  - name: team\n    op: "=~"\n    value: "(?<=a)b"\n---\n# Bad regex\n\n## Steps\n\n1. Look at it.\n';
    const runbook = await t.app.inject({ method: 'POST', url: '/api/v1/runbooks/import', headers: bearer(admin), payload: { markdown, sourceName: 'bad.md' } });
    expect(runbook.statusCode, runbook.body).toBe(400);
    expect(runbook.body).toContain('frontMatter.matchers.0');
    expect(runbook.body).toContain('invalid regular expression');
  });
});
