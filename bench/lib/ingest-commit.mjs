// The ingest commit path without HTTP: `senders` concurrent senders, each submitting one
// Alertmanager API request (`perRequest` alerts, distinct label sets) and waiting for its answer
// before the next, through the same IngestService the routes use. Prints wall time, process CPU
// per alert, batches and fsyncs. Used to compare commit pipelining depths on the same machine.
// argv: root perRequest totalAlerts senders depth[,depth…]   (root: a directory with dist/)
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const [rootArg = '.', perS = '1', totalS = '20000', sendersS = '50', depthsS = '1,2'] = process.argv.slice(2);
const root = resolve(rootArg);
const dist = (p) => import(join(root, 'dist', p));
const { openStore, migrateToLatest } = await dist('store/index.js');
const { IngestService } = await dist('ingest/ingest-service.js');
const { mapAlertmanagerApi } = await dist('ingest/alertmanager-api/map.js');
const { createIntegration } = await dist('domain/alerts/integrations.js');
const { silentLogger } = await dist('core/logger.js');
const { systemClock } = await dist('core/clock.js');

const per = Number(perS);
const total = Number(totalS);
const senders = Number(sendersS);
let seq = 0;

async function run(depth) {
  const dir = mkdtempSync(join(tmpdir(), 'fb-commit-'));
  const store = openStore(`sqlite:${join(dir, 'c.db')}`);
  await migrateToLatest(store.dialect);
  Object.defineProperty(store.dialect, 'pipelinedCommits', { value: depth });
  const ctx = { actor: { type: 'system', name: 'bench' }, clock: systemClock, log: silentLogger, requestId: 'bench', store };
  const { integration } = await createIntegration({ ctx, input: { name: 'bench', format: 'alertmanager-api', settings: { grouping: 'labels', groupBy: ['alertname'] } } });
  const service = new IngestService({ store, clock: systemClock, log: silentLogger });
  const planIntegration = { id: integration.id, name: integration.name, format: 'alertmanager-api', serviceId: null, settings: { grouping: 'labels', groupBy: ['alertname'], severityMap: {}, autoResolve: true }, disabled: false, repeatsAreNoops: true };
  const body = () => {
    const now = Date.now();
    const alerts = [];
    for (let i = 0; i < per; i += 1) {
      const n = seq++;
      alerts.push({ labels: { alertname: `Bench${n % 50}`, instance: `host-${n}`, job: 'bench', severity: 'warning' }, annotations: { summary: `bench alert ${n}` }, startsAt: new Date(now).toISOString(), endsAt: new Date(now + 3_600_000).toISOString() });
    }
    return JSON.stringify(alerts);
  };
  let sent = 0;
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  await Promise.all(Array.from({ length: senders }, async () => {
    while (sent < total) {
      sent += per;
      const rawBody = body();
      const result = mapAlertmanagerApi(JSON.parse(rawBody), { now: Date.now() });
      await service.submit({ integration: planIntegration, result, rawBody });
    }
  }));
  const wall = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  const stats = service.queue.stats;
  await service.close();
  await store.close();
  rmSync(dir, { recursive: true, force: true });
  return { depth, alertsPerSec: Math.round(sent / (wall / 1000)), cpuUsPerAlert: +((cpu.user + cpu.system) / sent).toFixed(1), batches: stats.batches, alertsPerBatch: Math.round(stats.weight / stats.batches) };
}

for (const round of [1, 2]) {
  for (const depth of depthsS.split(',').map(Number)) console.log(JSON.stringify({ round, per, ...(await run(depth)) }));
}
