import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId } from '../../src/core/ids.js';
import { runIncidentHooks } from '../../src/domain/incidents/hooks.js';
import { findIncidentRow } from '../../src/domain/incidents/incident-view.js';
import { importRunbookDocument } from '../../src/domain/runbooks/index.js';
import { bearer, createTestApp, type TestApp } from '../helpers/app.js';
import { DIALECTS } from '../helpers/dialects.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const fixturesDir = path.join(root, 'test/fixtures/runbooks');
const DOCUMENTS = ['tidewater-broker.md', 'ledgerline-service.md', 'sparrow-cache.md'];

const CHECKOUT = `---
service: checkout
severity: SEV1
owner: payments-oncall
review_interval: 90 days
reviewed: 2026-02-01
matchers:
  - alertname=CheckoutErrors
targets:
  acknowledge: 5 minutes
  mitigate: 20 minutes
  resolve: 2 hours
---

# Checkout errors

Checkout answers 5xx for more than 2% of requests.

## Investigation

\`\`\`bash
# Which pods are failing?
kubectl get pods -n checkout -l app=checkout

# Logs of the failing pod
kubectl logs <pod-name> -n checkout --tail=200
\`\`\`

## Mitigation

1. Roll back the last deploy if it is less than an hour old
2. Scale out the checkout deployment

## Verification

- [ ] Error rate back under 0.1%
`;

describe.each(DIALECTS)('runbooks API on %s', (dialect) => {
  let t: TestApp;
  let admin: { token: string; userId: string; email: string };
  let responder: { token: string; userId: string; email: string };
  let viewer: { token: string };

  beforeAll(async () => {
    t = await createTestApp(dialect);
    admin = await t.userWithKey('admin');
    responder = await t.userWithKey('responder');
    viewer = await t.userWithKey('viewer');
    for (const slug of ['checkout', 'search']) {
      await t.store.db.insertInto('services').values({ id: `svc_${slug}`, slug, name: slug, description: '', team_id: null, managed_by: null, created_at: 0, updated_at: 0 }).execute();
    }
  });
  afterAll(() => t?.close());

  const post = (url: string, payload: unknown, token = responder.token) => t.app.inject({ method: 'POST', url, payload: payload as object, headers: bearer(token) });
  const get = (url: string, token = responder.token) => t.app.inject({ method: 'GET', url, headers: bearer(token) });
  const importDoc = (markdown: string, sourceName: string, extra: object = {}) => post('/api/v1/runbooks/import', { markdown, sourceName, ...extra }, admin.token);
  const timelineKinds = async (inc: string) => (await get(`/api/v1/incidents/${inc}/timeline`)).json().items.map((e: { kind: string }) => e.kind) as string[];
  const runsOf = async (inc: string) => (await get(`/api/v1/incidents/${inc}/runbook-runs`)).json().items as { id: string; runbook: { slug: string; currentVersion: number }; version: { number: number }; reason: string; isDrill: boolean; progress: { done: number; total: number; skipped: number }; phases: { steps: { index: number; state: string; command: string | null; text: string; placeholders: { missing: string[]; rejected: string[] } }[] }[]; targets: { kind: string; state: string }[]; targetsResult: { kind: string; state: string }[] | null }[];

  it.each(DOCUMENTS)('imports the document %s through the API with the counts of the import layer', async (name) => {
    const markdown = readFileSync(path.join(fixturesDir, name), 'utf8');
    const expected = importRunbookDocument(markdown, { sourceName: name, now: t.clock.now() });
    const res = await importDoc(markdown, name);
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.report.recognised).toEqual(expected.report.recognised);
    expect(body.runbooks.map((r: { slug: string }) => r.slug)).toEqual(expected.runbooks.map((r) => r.slug));
    expect(body.runbooks.every((r: { action: string; version: number }) => r.action === 'created' && r.version === 1)).toBe(true);
    const counts: Record<string, number> = { 'tidewater-broker.md': 7, 'ledgerline-service.md': 3, 'sparrow-cache.md': 5 };
    expect(body.runbooks).toHaveLength(counts[name]!);
  });

  it('lists, searches and shows runbooks with structure, matchers and lint', async () => {
    const all = (await get('/api/v1/runbooks')).json().items;
    expect(all).toHaveLength(15);
    const found = (await get('/api/v1/runbooks?q=election')).json().items.map((r: { slug: string }) => r.slug);
    expect(found).toEqual(['controller-election-recovery']);
    const rb = (await get('/api/v1/runbooks/broker-loss')).json();
    expect(rb).toMatchObject({ slug: 'broker-loss', version: 1, owner: 'Streaming Platform Team', sourcePath: 'tidewater-broker.md' });
    expect(rb.matchers).toEqual([{ kind: 'label', name: 'alertname', op: '=', value: 'TidewaterBrokerDown' }]);
    expect(rb.shown.structure.phases.map((p: { kind: string }) => p.kind)).toEqual(['symptoms', 'investigation', 'mitigation', 'escalation']);
    expect(rb.versions).toHaveLength(1);
    expect((await get('/api/v1/runbooks/nope')).statusCode).toBe(404);
  });

  it('re-importing an unchanged document makes no new version', async () => {
    const markdown = readFileSync(path.join(fixturesDir, DOCUMENTS[0]!), 'utf8');
    const body = (await importDoc(markdown, DOCUMENTS[0]!)).json();
    expect(new Set(body.runbooks.map((r: { action: string }) => r.action))).toEqual(new Set(['unchanged']));
    expect((await get('/api/v1/runbooks/controller-election-recovery')).json().versions).toHaveLength(1);
  });

  it('an edit makes version 2 while an incident keeps the version it followed', async () => {
    expect((await importDoc(CHECKOUT, 'checkout.md')).json().runbooks[0]).toMatchObject({ slug: 'checkout-errors', action: 'created', version: 1 });
    const inc = (await post('/api/v1/incidents', { title: 'Checkout failing', severity: 'SEV1', service: 'checkout' })).json();
    const [run] = await runsOf(inc.id);
    expect(run).toMatchObject({ runbook: { slug: 'checkout-errors' }, version: { number: 1 }, reason: 'service: checkout, severity: SEV-1' });

    const edited = CHECKOUT.replace('2. Scale out the checkout deployment', '2. Scale out the checkout deployment to 12 replicas');
    const dry = (await importDoc(edited, 'checkout.md', { dryRun: true })).json();
    expect(dry).toMatchObject({ dryRun: true, runbooks: [{ action: 'updated', version: 2 }] });
    expect((await get('/api/v1/runbooks/checkout-errors')).json().version).toBe(1);
    expect((await importDoc(edited, 'checkout.md')).json().runbooks[0]).toMatchObject({ action: 'updated', version: 2 });

    const [after] = await runsOf(inc.id);
    expect(after).toMatchObject({ version: { number: 1 }, runbook: { currentVersion: 2 } });
    expect(after!.phases[1]!.steps[1]!.text).toBe('Scale out the checkout deployment');
    const shown = (await get('/api/v1/runbooks/checkout-errors')).json();
    expect(shown.versions.map((v: { version: number }) => v.version)).toEqual([2, 1]);
    expect(shown.incidents).toEqual([expect.objectContaining({ id: inc.id, version: 1, isDrill: false })]);
    expect((await get('/api/v1/runbooks/checkout-errors?version=1')).json().shown.sourceMarkdown).toContain('2. Scale out the checkout deployment\n');
  });

  it('auto-attaches by service and severity on declare, never by severity alone', async () => {
    const other = (await post('/api/v1/incidents', { title: 'Checkout slow', severity: 'SEV3', service: 'checkout' })).json();
    expect(await runsOf(other.id)).toEqual([]);
    const unrelated = (await post('/api/v1/incidents', { title: 'Search down', severity: 'SEV1', service: 'search' })).json();
    expect(await runsOf(unrelated.id)).toEqual([]);
    expect(await timelineKinds(unrelated.id)).not.toContain('runbook_attached');
  });

  /** What the alerts module does: alerts linked to the incident before its `opened` hooks run. */
  async function openFromAlert(labels: Record<string, string>, annotations: Record<string, string>) {
    const now = t.clock.now();
    const id = newId('inc', now);
    const ctx = t.ctx({ type: 'system', name: 'alerts' });
    await t.store.transaction(async (tx) => {
      const counter = await tx.updateTable('counters').set((eb) => ({ value: eb('value', '+', 1) })).where('name', '=', 'incident_number').returning('value').executeTakeFirstOrThrow();
      await tx.insertInto('incidents').values({ id, number: counter.value, title: labels.alertname ?? 'alert', summary: '', severity: 'SEV2', status: 'triggered', service_id: null, is_drill: 0, created_by: null, detected_at: now, declared_at: now, acknowledged_at: null, mitigated_at: null, resolved_at: null, updated_at: now, version: 1 }).execute();
      const integration = newId('int', now);
      await tx.insertInto('integrations').values({ id: integration, name: `am-${integration}`, format: 'alertmanager-webhook', key_hash: integration, key_hint: 'x', service_id: null, settings: '{}', disabled: 0, managed_by: null, last_heartbeat_at: null, created_at: now, updated_at: now }).execute();
      await tx.insertInto('alerts').values({
        id: newId('alr', now), integration_id: integration, dedup_key: id, status: 'firing', summary: 's', description: null, severity_raw: null, severity: 'SEV2',
        labels: JSON.stringify(labels), annotations: JSON.stringify(annotations), source: null, generator_url: null, runbook_url: annotations.runbook_url ?? null,
        group_key: null, group_id: null, service_id: null, incident_id: id, suppressed_by: null, decision: '{}', started_at: now, first_seen_at: now, last_seen_at: now,
        acknowledged_at: null, resolved_at: null, count: 1, flapping: 0, raw_payload_id: null,
      }).execute();
      await runIncidentHooks(ctx, tx, { type: 'opened', incident: await findIncidentRow(tx, id) });
    });
    return id;
  }

  it('auto-attaches by alert label matchers and fills placeholders from the labels', async () => {
    const id = await openFromAlert({ alertname: 'TidewaterBrokerDown', broker: 'tidewater-3', node: 'n7' }, {});
    const runs = await runsOf(id);
    expect(runs.map((r) => [r.runbook.slug, r.reason])).toEqual([['broker-loss', 'labels: alertname=TidewaterBrokerDown']]);
    const steps = runs[0]!.phases.flatMap((p) => p.steps);
    expect(steps.find((s) => s.command?.startsWith('kubectl describe pod'))!.command).toBe('kubectl describe pod tidewater-3 -n tidewater');
  });

  it('auto-attaches the runbook a Prometheus runbook_url annotation names', async () => {
    const id = await openFromAlert({ alertname: 'SomethingElse' }, { runbook_url: 'https://git.example.com/ops/runbooks/slow-postings.md' });
    expect((await runsOf(id)).map((r) => [r.runbook.slug, r.reason])).toEqual([['slow-postings', 'runbook_url: https://git.example.com/ops/runbooks/slow-postings.md']]);
  });

  it('matches a runbook_url given in front matter (examples/runbooks/queue-backlog.md)', async () => {
    const markdown = readFileSync(path.join(root, 'examples/runbooks/queue-backlog.md'), 'utf8');
    expect((await importDoc(markdown, 'queue-backlog.md')).json().runbooks[0]).toMatchObject({ slug: 'job-queue-backlog-growing', action: 'created' });
    const url = 'https://git.example.com/ops/runbooks/blob/main/queue-backlog.md';
    const id = await openFromAlert({ alertname: 'QueueSlow' }, { runbook_url: url });
    expect((await runsOf(id)).map((r) => [r.runbook.slug, r.reason])).toEqual([['job-queue-backlog-growing', `runbook_url: ${url}`]]);
  });

  it('refuses label values with shell metacharacters in commands', async () => {
    const id = await openFromAlert({ alertname: 'TidewaterBrokerDown', broker: 'x; rm -rf /' }, {});
    const step = (await runsOf(id))[0]!.phases.flatMap((p) => p.steps).find((s) => s.command?.startsWith('kubectl describe pod'))!;
    expect(step.command).toBe('kubectl describe pod <broker-name> -n tidewater');
    expect(step.placeholders.rejected).toEqual(['<broker-name>']);
  });

  it('steps through a runbook: each transition is a timeline event; skip needs a reason', async () => {
    const inc = (await post('/api/v1/incidents', { title: 'Checkout errors again', severity: 'SEV1', service: 'checkout' })).json();
    const [run] = await runsOf(inc.id);
    const base = `/api/v1/incidents/${inc.id}/runbook-runs/${run!.id}/steps`;
    expect((await post(`${base}/0`, { action: 'start' })).json().phases[0].steps[0]).toMatchObject({ state: 'started' });
    expect((await post(`${base}/0`, { action: 'done' })).statusCode).toBe(200);
    const noReason = await post(`${base}/1`, { action: 'skip' });
    expect(noReason.statusCode).toBe(400);
    expect(noReason.json().issues.map((i: { field: string }) => i.field)).toEqual(['reason']);
    expect((await post(`${base}/1`, { action: 'skip', reason: 'no pod is failing' })).statusCode).toBe(200);
    expect((await post(`${base}/2`, { action: 'fail', reason: 'rollback blocked' })).statusCode).toBe(200);
    expect((await post(`${base}/0`, { action: 'start' })).statusCode).toBe(409);
    expect((await post(`${base}/99`, { action: 'done' })).json().issues[0].field).toBe('step');
    expect((await post(`${base}/x`, { action: 'done' })).statusCode).toBe(400);
    expect((await post(`${base}/0`, { action: 'done' }, viewer.token)).statusCode).toBe(403);
    const [after] = await runsOf(inc.id);
    expect(after!.progress).toMatchObject({ total: 5, done: 1, skipped: 1 });
    const kinds = await timelineKinds(inc.id);
    expect(kinds.filter((k) => k.startsWith('runbook_'))).toEqual(['runbook_attached', 'runbook_step_started', 'runbook_step_done', 'runbook_step_skipped', 'runbook_step_failed']);
    const skipped = (await get(`/api/v1/incidents/${inc.id}/timeline`)).json().items.find((e: { kind: string }) => e.kind === 'runbook_step_skipped');
    expect(skipped.body).toContain('no pod is failing');
  });

  it('asks for missing placeholders and accepts values', async () => {
    const inc = (await post('/api/v1/incidents', { title: 'Checkout pods', severity: 'SEV1', service: 'checkout' })).json();
    const [run] = await runsOf(inc.id);
    expect(run!.phases[0]!.steps[1]!.placeholders.missing).toEqual(['<pod-name>']);
    const res = await post(`/api/v1/incidents/${inc.id}/runbook-runs/${run!.id}/values`, { values: { 'pod-name': 'checkout-7f9c' } });
    expect(res.statusCode).toBe(200);
    expect(res.json().phases[0].steps[1].command).toBe('kubectl logs checkout-7f9c -n checkout --tail=200');
    expect(res.json().missing).toEqual([]);
    expect((await post(`/api/v1/incidents/${inc.id}/runbook-runs/${run!.id}/values`, { values: { 'pod-name': 'x'.repeat(300) } })).statusCode).toBe(400);
  });

  it('attaches another runbook by search, once', async () => {
    const inc = (await post('/api/v1/incidents', { title: 'Memory', severity: 'SEV3' })).json();
    const res = await post(`/api/v1/incidents/${inc.id}/runbook-runs`, { q: 'memory growth' });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({ runbook: { slug: 'memory-growth' }, reason: 'manual' });
    expect((await post(`/api/v1/incidents/${inc.id}/runbook-runs`, { runbook: 'memory-growth' })).statusCode).toBe(409);
    const ambiguous = await post(`/api/v1/incidents/${inc.id}/runbook-runs`, { q: 'postings' });
    expect(ambiguous.statusCode).toBe(400);
    expect(ambiguous.json().message).toMatch(/several/);
    expect((await post(`/api/v1/incidents/${inc.id}/runbook-runs`, {})).json().issues[0].field).toBe('runbook');
  });

  it('shows targets on the incident and records them met or missed when it resolves', async () => {
    const inc = (await post('/api/v1/incidents', { title: 'Checkout targets', severity: 'SEV1', service: 'checkout' })).json();
    t.clock.advance(4 * 60_000);
    expect((await runsOf(inc.id))[0]!.targets.map((x) => [x.kind, x.state])).toEqual([['acknowledge', 'pending'], ['mitigate', 'pending'], ['resolve', 'pending']]);
    await post(`/api/v1/incidents/${inc.id}/acknowledge`, {});
    t.clock.advance(26 * 60_000);
    expect((await runsOf(inc.id))[0]!.targets.map((x) => [x.kind, x.state])).toEqual([['acknowledge', 'met'], ['mitigate', 'missed'], ['resolve', 'pending']]);
    await post(`/api/v1/incidents/${inc.id}/resolve`, {});
    const [run] = await runsOf(inc.id);
    expect(run!.targetsResult!.map((x) => [x.kind, x.state])).toEqual([['acknowledge', 'met'], ['mitigate', 'missed'], ['resolve', 'met']]);
    const event = (await get(`/api/v1/incidents/${inc.id}/timeline`)).json().items.find((e: { kind: string }) => e.kind === 'runbook_targets');
    expect(event.body).toMatch(/mitigate: \*\*missed\*\*/);
  });

  it('runs a drill through the normal path, marked DRILL and excluded from lists, and scores it', async () => {
    const other = await t.userWithKey('responder');
    const res = await post('/api/v1/drills', { runbook: 'checkout-errors', participants: [other.email, responder.email] });
    expect(res.statusCode).toBe(201);
    const { incident, run } = res.json();
    expect(incident).toMatchObject({ isDrill: true, title: '[DRILL] Checkout errors', severity: 'SEV1', service: { slug: 'checkout' } });
    expect(run).toMatchObject({ isDrill: true, reason: 'drill' });
    expect(run.drillParticipants).toEqual([other.userId, responder.userId]);
    const kinds = await timelineKinds(incident.id);
    expect(kinds).toEqual(expect.arrayContaining(['declared', 'runbook_attached', 'drill_started']));
    const listed = (await get('/api/v1/incidents?limit=200')).json().items.map((i: { id: string }) => i.id);
    expect(listed).not.toContain(incident.id);
    expect((await get('/api/v1/incidents?includeDrills=true&limit=200')).json().items.map((i: { id: string }) => i.id)).toContain(incident.id);

    t.clock.advance(3 * 60_000);
    await post(`/api/v1/incidents/${incident.id}/acknowledge`, {}, other.token);
    await post(`/api/v1/incidents/${incident.id}/runbook-runs/${run.id}/steps/0`, { action: 'start' }, other.token);
    t.clock.advance(60_000);
    await post(`/api/v1/incidents/${incident.id}/runbook-runs/${run.id}/steps/0`, { action: 'done' }, other.token);
    t.clock.advance(30 * 60_000);
    await post(`/api/v1/incidents/${incident.id}/status`, { status: 'monitoring' }, other.token);
    const report = (await get(`/api/v1/incidents/${incident.id}/drill-report`)).json();
    expect(report.participants.map((p: { id: string }) => p.id).sort()).toEqual([other.userId, responder.userId].sort());
    const score = report.runbooks[0];
    expect(score).toMatchObject({ slug: 'checkout-errors', timeToAcknowledgeSeconds: 180, timeToMitigateSeconds: 34 * 60 });
    expect(score.targets.map((x: { kind: string; state: string }) => [x.kind, x.state])).toEqual([['acknowledge', 'met'], ['mitigate', 'missed'], ['resolve', 'pending']]);
    expect(score.steps[0]).toMatchObject({ state: 'done', atSeconds: 240, durationSeconds: 60 });

    const notDrill = (await post('/api/v1/incidents', { title: 'real', severity: 'SEV4' })).json();
    expect((await get(`/api/v1/incidents/${notDrill.id}/drill-report`)).statusCode).toBe(400);
    const bad = await post('/api/v1/drills', { runbook: 'checkout-errors', participants: ['nobody@example.test'] });
    expect(bad.json().issues[0].field).toBe('participants.0');
    expect((await post('/api/v1/drills', { runbook: 'nope', participants: [other.email] })).json().issues[0].field).toBe('runbook');
  });

  it('a drill arrives as a synthetic alert through the drill integration; silences do not swallow it; each drill is its own incident', async () => {
    const silence = await post('/api/v1/silences', { matchers: 'firebreak_drill="true"', endsAt: new Date(t.clock.now() + 3_600_000).toISOString(), comment: 'would hide drills' });
    expect(silence.statusCode, silence.body).toBeLessThan(300);
    const first = (await post('/api/v1/drills', { runbook: 'checkout-errors', participants: [responder.email] })).json();
    const second = (await post('/api/v1/drills', { runbook: 'checkout-errors', participants: [responder.email] })).json();
    expect(first.incident).toMatchObject({ isDrill: true, title: '[DRILL] Checkout errors' });
    expect(second.incident.id).not.toBe(first.incident.id);
    const alerts = await t.store.db.selectFrom('alerts').innerJoin('integrations', 'integrations.id', 'alerts.integration_id')
      .select(['alerts.incident_id', 'alerts.labels', 'alerts.summary', 'alerts.suppressed_by', 'integrations.managed_by', 'integrations.format'])
      .where('alerts.incident_id', 'in', [first.incident.id, second.incident.id]).execute();
    expect(alerts).toHaveLength(2);
    for (const a of alerts) {
      expect(a).toMatchObject({ summary: '[DRILL] Checkout errors', suppressed_by: null, managed_by: 'drill', format: 'alertmanager-api' });
      expect(JSON.parse(a.labels)).toMatchObject({ firebreak_drill: 'true' });
    }
    expect(await t.store.db.selectFrom('integrations').select('id').where('managed_by', '=', 'drill').execute()).toHaveLength(1);
  });

  it('refuses hostile Markdown and keeps HTML as inert text', async () => {
    const huge = await importDoc(`# Big\n\n${'x'.repeat(10 * 1024 * 1024)}`, 'big.md');
    expect([400, 413]).toContain(huge.statusCode);
    const script = '# Evil\n\n## Steps\n\n1. Click <script>alert(1)</script> here\n2. <img src=x onerror=alert(2)>\n\n```bash\necho hi\n```\n\n## Verification\n\n- [ ] Verify it is fine\n';
    const res = await importDoc(script, 'evil.md');
    expect(res.statusCode).toBe(200);
    const rb = (await get(`/api/v1/runbooks/${res.json().runbooks[0].slug}`)).json();
    expect(rb.shown.sourceMarkdown).toContain('<script>alert(1)</script>');
    expect(JSON.stringify(rb.shown.structure)).toContain('<script>alert(1)</script>');
    const deep = `# Deep\n\n${Array.from({ length: 200 }, (_, i) => `${'  '.repeat(i)}- level ${i}`).join('\n')}\n`;
    expect((await importDoc(deep, 'deep.md')).statusCode).toBe(200);
    const badYaml = await importDoc('---\ntargets: [\n---\n# X\n', 'bad.md');
    expect(badYaml.statusCode).toBe(400);
    expect(badYaml.json().issues[0].field).toBe('frontMatter');
    expect((await post('/api/v1/runbooks/import', { markdown: 42 }, admin.token)).json().issues[0].field).toBe('markdown');
  });

  it('needs admin to import, read to list, and lints documents and stored runbooks', async () => {
    expect((await post('/api/v1/runbooks/import', { markdown: CHECKOUT }, responder.token)).statusCode).toBe(403);
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/runbooks' })).statusCode).toBe(401);
    expect((await get('/api/v1/runbooks', viewer.token)).statusCode).toBe(200);
    const lint = (await post('/api/v1/runbooks/lint', { markdown: '# Fix it\n\n1. Restart the thing\n' }, viewer.token)).json();
    expect(lint.items[0].warnings.map((w: { code: string }) => w.code)).toEqual(expect.arrayContaining(['no-verification', 'no-target']));
    const stored = (await post('/api/v1/runbooks/lint', { runbook: 'checkout-errors' }, viewer.token)).json();
    expect(stored).toMatchObject({ items: [{ runbook: 'checkout-errors' }] });
  });
});
