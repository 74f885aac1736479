// One Firebreak worker instance for bench/escalation.mjs, in its own process (forked with IPC):
// opens DATABASE_URL, runs the paging worker, and on {type:'stop'} stops it and reports the
// CPU it used since {type:'mark'} ({type:'stopped', cpuMs}). FB_ROOT picks the build (default dist/).
const root = process.env.FB_ROOT ?? new URL('../../dist', import.meta.url).pathname;
const { openStore } = await import(`${root}/store/index.js`);
const { createPagingRuntime } = await import(`${root}/app/paging.js`);
const { systemClock } = await import(`${root}/core/clock.js`);
const { silentLogger } = await import(`${root}/core/logger.js`);
const { MetricsRegistry } = await import(`${root}/observability/metrics.js`);

const url = process.env.DATABASE_URL;
const store = openStore(url, { poolSize: 8 });
const rt = await createPagingRuntime({
  store, clock: systemClock, log: silentLogger, metrics: new MetricsRegistry(), instanceId: process.env.INSTANCE_ID ?? `bench-${process.pid}`,
  config: { publicUrl: 'http://firebreak.bench', outboundAllow: '127.0.0.1/32', smtpFrom: 'x <x@bench.test>', auditorOverdueSeconds: 60, worker: true },
  workerOptions: { sendConcurrency: 256, batchSize: 200 },
});
let cpu0 = process.cpuUsage();
rt.start();
process.send?.({ type: 'ready' });
process.on('message', async (m) => {
  // {type:'mark'}: the burst is about to be written; CPU is counted from here.
  if (m?.type === 'mark') {
    cpu0 = process.cpuUsage();
    process.send?.({ type: 'marked' });
  }
  if (m?.type !== 'stop') return;
  await rt.stop();
  const cpu = process.cpuUsage(cpu0);
  await store.close();
  process.send?.({ type: 'stopped', cpuMs: (cpu.user + cpu.system) / 1000 });
  process.disconnect?.();
});
