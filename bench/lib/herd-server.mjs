// Firebreak from dist/ for bench/outage-herd.mjs: the first-page set-up (a responder paged by a
// signed webhook at once for SEV1, an alertmanager-api integration grouping by alertname+instance)
// plus a public status page `acme` (two groups, five components on five services) with one
// published incident whose updates are Markdown, so the page and summary.json have real weight.
// Prints {"url","edgeUrl","key","pid"} on stdout (edgeUrl: the public edge thread's listener). Env: DATABASE_URL, HOOK_URL, FB_ROOT.
const root = process.env.FB_ROOT ?? new URL('../../dist', import.meta.url).pathname;
const { startServer } = await import(`${root}/app/server.js`);
const { silentLogger } = await import(`${root}/core/logger.js`);
const { loadEnvConfig } = await import(`${root}/config/env-config.js`);
const { createApiKey } = await import(`${root}/domain/users/manage-api-keys.js`);
const { systemClock } = await import(`${root}/core/clock.js`);

const BENCH_LIMITS = { rateLimit: { perSecond: 1_000_000, burst: 1_000_000 }, storm: null };
const hookUrl = process.env.HOOK_URL;
if (!hookUrl) throw new Error('HOOK_URL is required');
// The public edge on a port of its own (FIREBREAK_PUBLIC_PORT), so both listeners can be measured.
const config = loadEnvConfig({ ...process.env, PORT: '0', HOST: '127.0.0.1', FIREBREAK_LOG: 'silent', FIREBREAK_OUTBOUND_ALLOW: '127.0.0.1/32', FIREBREAK_PUBLIC_PORT: '0' }, {});
const server = await startServer(config, { log: silentLogger, webRoot: null });
const base = `http://127.0.0.1:${server.app.server.address().port}`;
const ctx = { actor: { type: 'system', name: 'bench' }, clock: systemClock, log: silentLogger, requestId: 'bench', store: server.store };
const { token } = await createApiKey({ ctx, input: { name: 'bench', scopes: ['read', 'write', 'admin'] } });
async function post(path, body) {
  const res = await fetch(base + path, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const json = await res.json().catch(() => null);
  if (!res.ok) throw new Error(`${path}: ${res.status} ${JSON.stringify(json)}`);
  return json;
}
const user = await post('/api/v1/users', { email: 'oncall@bench.test', name: 'On call' });
await post('/api/v1/contact-methods', { user: user.id, kind: 'webhook', address: hookUrl, secret: 'whsec_' + Buffer.from('first-page-bench-secret!').toString('base64') });
await post('/api/v1/escalation-policies', { name: 'bench', levels: [{ delaySeconds: 0, targets: [{ type: 'user', id: user.id }] }], repeat: 0, severities: ['SEV1'] });
const integration = await post('/api/v1/integrations', { name: 'bench', format: 'alertmanager-api', settings: { grouping: 'labels', groupBy: ['alertname', 'instance'], ...BENCH_LIMITS } });

const services = ['api', 'web', 'payments', 'search', 'email'];
for (const slug of services) await post('/api/v1/services', { slug, name: slug });
await post('/api/v1/status-pages', { slug: 'acme', name: 'Acme Cloud' });
await post('/api/v1/status-pages/acme/components', { name: 'Platform', isGroup: true });
await post('/api/v1/status-pages/acme/components', { name: 'Commerce', isGroup: true });
for (const [i, slug] of services.entries()) await post('/api/v1/status-pages/acme/components', { name: slug.toUpperCase(), group: i < 2 ? 'Platform' : 'Commerce', services: [slug], description: `The ${slug} service.` });
const incident = await post('/api/v1/incidents', { title: 'Payments failing', severity: 'SEV2', service: 'payments' });
await post('/api/v1/status-pages/acme/incidents', { incident: String(incident.number), name: 'Card payments failing', body: 'We are **investigating** failed card payments.\n\n- Visa\n- Mastercard' });
await post(`/api/v1/status-pages/acme/incidents/${incident.number}/updates`, { status: 'identified', body: 'The cause is a [provider](https://example.com) outage; a fix is rolling out.' });

process.stdout.write(JSON.stringify({ url: base, edgeUrl: server.publicEdgeUrl, edgeNice: config.FIREBREAK_PUBLIC_NICE, key: integration.key, pid: process.pid }) + '\n');
process.on('SIGTERM', async () => { await server.stop(); process.exit(0); });
