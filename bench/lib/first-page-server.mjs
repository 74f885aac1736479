// Starts Firebreak from dist/ on DATABASE_URL with paging to HOOK_URL, set up through the HTTP
// API: one responder with a signed webhook contact method, a SEV1 escalation policy paging them
// at once, and an alertmanager-api integration grouping by alertname+instance (as the
// Alertmanager route does). Prints {"url","key","pid"} on stdout. Used by bench/first-page.mjs.
// FB_ROOT: another build of Firebreak to measure (default dist/).
const root = process.env.FB_ROOT ?? new URL('../../dist', import.meta.url).pathname;
const { startServer } = await import(`${root}/app/server.js`);
const { silentLogger } = await import(`${root}/core/logger.js`);
const { loadEnvConfig } = await import(`${root}/config/env-config.js`);
const { createApiKey } = await import(`${root}/domain/users/manage-api-keys.js`);
const { systemClock } = await import(`${root}/core/clock.js`);

// The rate limit is checked on every request (O(1)) but never binds at benchmark rates; the storm
// guard is off so every alertname+instance opens (and pages) its own incident, as in earlier runs.
const BENCH_LIMITS = { rateLimit: { perSecond: 1_000_000, burst: 1_000_000 }, storm: null };

const hookUrl = process.env.HOOK_URL;
if (!hookUrl) throw new Error('HOOK_URL is required');
const config = loadEnvConfig({ ...process.env, PORT: '0', HOST: '127.0.0.1', FIREBREAK_LOG: 'silent', FIREBREAK_OUTBOUND_ALLOW: '127.0.0.1/32' }, {});
const server = await startServer(config, { log: silentLogger, webRoot: null });
const base = `http://127.0.0.1:${server.app.server.address().port}`;
// An operator's key made on the host (system actor), then everything else as an API client would.
const ctx = { actor: { type: 'system', name: 'bench' }, clock: systemClock, log: silentLogger, requestId: 'bench', store: server.store };
const { token } = await createApiKey({ ctx, input: { name: 'bench', scopes: ['read', 'write', 'admin'] } });
async function post(path, body) {
  const res = await fetch(base + path, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const json = await res.json().catch(() => null);
  if (!res.ok) throw new Error(`${path}: ${res.status} ${JSON.stringify(json)}`);
  return json;
}
// Per run, so a run on a kept database (BENCH_HISTORY_*) finds no user of an earlier one in its way;
// the newest SEV1 policy is the severity's default, so this run's pages go to this run's hook.
const user = await post('/api/v1/users', { email: `oncall-${process.pid}-${Date.now()}@bench.test`, name: 'On call' });
await post('/api/v1/contact-methods', { user: user.id, kind: 'webhook', address: hookUrl, secret: 'whsec_' + Buffer.from('first-page-bench-secret!').toString('base64') });
await post('/api/v1/escalation-policies', { name: `bench-${process.pid}-${Date.now()}`, levels: [{ delaySeconds: 0, targets: [{ type: 'user', id: user.id }] }], repeat: 0, severities: ['SEV1'] });
const integration = await post('/api/v1/integrations', { name: 'bench', format: 'alertmanager-api', settings: { grouping: 'labels', groupBy: ['alertname', 'instance'], ...BENCH_LIMITS } });
process.stdout.write(JSON.stringify({ url: base, key: integration.key, pid: process.pid }) + '\n');
process.on('SIGTERM', async () => { await server.stop(); process.exit(0); });
