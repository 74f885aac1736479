// Starts Firebreak from dist/ on DATABASE_URL, creates an alertmanager-api integration, and prints
// {"url","key","pid"} on stdout. Used by bench/ingest.mjs so the server runs in its own process.
import { startServer } from '../../dist/app/server.js';
import { silentLogger } from '../../dist/core/logger.js';
import { loadEnvConfig } from '../../dist/config/env-config.js';
import { createIntegration } from '../../dist/domain/alerts/integrations.js';
import { systemClock } from '../../dist/core/clock.js';

// The rate limit is checked on every request (O(1)) but never binds at benchmark rates; the storm
// guard is off so every group still opens (and pages) its own incident, as in earlier runs.
const BENCH_LIMITS = { rateLimit: { perSecond: 1_000_000, burst: 1_000_000 }, storm: null };

const config = loadEnvConfig({ ...process.env, PORT: process.env.PORT ?? '0', HOST: '127.0.0.1', FIREBREAK_LOG: 'silent' }, {});
const server = await startServer(config, { log: silentLogger, webRoot: null });
const ctx = { actor: { type: 'system', name: 'bench' }, clock: systemClock, log: silentLogger, requestId: 'bench', store: server.store };
const { key } = await createIntegration({ ctx, input: { name: 'bench', format: 'alertmanager-api', settings: { grouping: 'labels', groupBy: ['alertname'], ...BENCH_LIMITS } } });
const address = server.app.server.address();
process.stdout.write(JSON.stringify({ url: `http://127.0.0.1:${address.port}`, key, pid: process.pid }) + '\n');
process.on('SIGTERM', async () => { await server.stop(); process.exit(0); });
