// Starts Firebreak from dist/ for bench/fanout.mjs: paging as bench/lib/first-page-server.mjs
// (a SEV1 policy paging one user's webhook at HOOK_URL, an alertmanager-api integration), mail
// to SMTP_URL, and a status page `bench` with one component whose confirmed subscribers are
// EMAILS e-mail addresses and WEBHOOKS webhook URLs under SUB_HOOK_URL (inserted directly: the
// subscribe path is not what is measured). Prints {"url","key","token","incident"} on stdout.
const root = process.env.FB_ROOT ?? new URL('../../dist', import.meta.url).pathname;
const { startServer } = await import(`${root}/app/server.js`);
const { silentLogger } = await import(`${root}/core/logger.js`);
const { loadEnvConfig } = await import(`${root}/config/env-config.js`);
const { createApiKey } = await import(`${root}/domain/users/manage-api-keys.js`);
const { systemClock } = await import(`${root}/core/clock.js`);

const BENCH_LIMITS = { rateLimit: { perSecond: 1_000_000, burst: 1_000_000 }, storm: null };
const EMAILS = Number(process.env.EMAILS ?? 10_000);
const WEBHOOKS = Number(process.env.WEBHOOKS ?? 1_000);

const config = loadEnvConfig({ ...process.env, PORT: '0', HOST: '127.0.0.1', FIREBREAK_LOG: 'silent', FIREBREAK_OUTBOUND_ALLOW: '127.0.0.1/32', FIREBREAK_SMTP_URL: process.env.SMTP_URL }, {});
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
await post('/api/v1/contact-methods', { user: user.id, kind: 'webhook', address: process.env.HOOK_URL, secret: 'whsec_' + Buffer.from('first-page-bench-secret!').toString('base64') });
await post('/api/v1/escalation-policies', { name: 'bench', levels: [{ delaySeconds: 0, targets: [{ type: 'user', id: user.id }] }], repeat: 0, severities: ['SEV1'] });
const integration = await post('/api/v1/integrations', { name: 'bench', format: 'alertmanager-api', settings: { grouping: 'labels', groupBy: ['alertname', 'instance'], ...BENCH_LIMITS } });
await post('/api/v1/services', { slug: 'api', name: 'API' });
const page = await post('/api/v1/status-pages', { slug: 'bench', name: 'Bench' });
await post('/api/v1/status-pages/bench/components', { name: 'API', services: ['api'] });
// The incident to publish: SEV3, so it pages nobody (only the bench's alerts page).
const incident = await post('/api/v1/incidents', { title: 'fan-out', severity: 'SEV3', service: 'api' });
const now = Date.now();
const rows = [];
for (let i = 0; i < EMAILS; i += 1) rows.push({ kind: 'email', address: `sub${i}@bench.test` });
for (let i = 0; i < WEBHOOKS; i += 1) rows.push({ kind: 'webhook', address: `${process.env.SUB_HOOK_URL}/w${i}` });
const values = rows.map((r, i) => ({
  id: `sub_bench${String(i).padStart(6, '0')}`, page_id: page.id, kind: r.kind, address: r.address, address_key: r.address, token: `bench-token-${i}-${now}`,
  secret: r.kind === 'webhook' ? 'whsec_' + Buffer.from(`bench-secret-${i}`).toString('base64') : null, components: '[]', confirmed_at: now, confirm_sent_at: null, created_at: now, updated_at: now,
}));
for (let i = 0; i < values.length; i += 500) await server.store.db.insertInto('status_subscribers').values(values.slice(i, i + 500)).execute();
process.stdout.write(JSON.stringify({ url: base, key: integration.key, token, incident: incident.number, pid: process.pid }) + '\n');
process.on('SIGTERM', async () => { await server.stop(); process.exit(0); });
