const dist = '/work/wt-history-perf/dist';
const { openStore } = await import(dist + '/store/index.js');
const { silentLogger } = await import(dist + '/core/logger.js');
const { systemClock } = await import(dist + '/core/clock.js');
const { getIncidentReport } = await import(dist + '/domain/metrics/get-incident-report.js');
const url = process.argv[2];
const store = openStore(url, { log: silentLogger });
const END = Date.UTC(2026, 11, 1), DAY = 86400000;
const ctx = { actor: { type: 'system', name: 'bench' }, clock: systemClock, log: silentLogger, requestId: 'b', store, incidentHooks: [] };
for (const [label, input] of [['year', { from: END - 365 * DAY, to: END, bucket: 'month' }], ['quarter svc3', { from: END - 91 * DAY, to: END, service: 'service-3' }]]) {
  for (let i = 0; i < 3; i++) {
    const t0 = performance.now();
    const r = await getIncidentReport({ ctx, input });
    console.log(label, (performance.now() - t0).toFixed(0), 'ms', r.overall.count, JSON.stringify(r).length);
  }
}
await store.close();
