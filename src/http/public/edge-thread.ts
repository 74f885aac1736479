import { parentPort, workerData } from 'node:worker_threads';
import { systemClock } from '../../core/clock.js';
import type { LogCategory, Logger } from '../../core/logger.js';
import { openStore } from '../../store/index.js';
import { buildEdgeApp } from './edge-app.js';
import { lowerThisThreadsPriority } from './thread-priority.js';
import type { HttpLimits } from '../connection-limits.js';

/**
 * The public edge's thread (started by app/public-edge.ts): its own event loop, its own database
 * connection, its own answer cache. Log lines go to the main thread's logger; the main thread
 * says when a page changed and when to stop.
 */
export interface EdgeThreadData {
  databaseUrl: string;
  host: string;
  port: number;
  publicUrl: string;
  upstream: string;
  httpLimits: HttpLimits;
  /** How many nice steps this thread runs below the main thread (FIREBREAK_PUBLIC_NICE); 0: none. */
  nice: number;
}

if (!parentPort) throw new Error('edge-thread.ts runs as a worker thread (see app/public-edge.ts)');
const port = parentPort;
const data = workerData as EdgeThreadData;
const line = (level: 'info' | 'warn' | 'error') => (category: LogCategory, message: string, fields?: Record<string, unknown>) => port.postMessage({ type: 'log', level, category, message, fields });
const log: Logger = { info: line('info'), warn: line('warn'), error: line('error') };

// Readers yield the CPU to alerts and pages: when both want it, the main thread (ingest, paging)
// mostly goes first (5 steps below, it weighs about three times this thread in Linux's
// scheduler), and the herd takes what is left (BENCHMARKS.md, outage-day herd).
if (data.nice > 0 && !lowerThisThreadsPriority(data.nice)) log.info('http', 'the public edge runs at the main thread\'s CPU priority: this system has no per-thread priority');
const store = openStore(data.databaseUrl, { poolSize: 2, log });
const { app, surface } = await buildEdgeApp({ store, clock: systemClock, log, publicUrl: data.publicUrl, upstream: new URL(data.upstream), httpLimits: data.httpLimits });
port.on('message', (m: { type: string }) => {
  if (m.type === 'changed') void surface.changed();
  if (m.type === 'stop') {
    void app.close().then(() => store.close()).finally(() => port.postMessage({ type: 'stopped' }));
  }
});
try {
  const address = await app.listen({ host: data.host, port: data.port });
  port.postMessage({ type: 'ready', url: address });
} catch (e) {
  port.postMessage({ type: 'failed', error: String(e) });
  await store.close();
}
