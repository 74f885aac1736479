import { Worker } from 'node:worker_threads';
import type { Logger, LogCategory } from '../core/logger.js';
import type { EdgeThreadData } from '../http/public/edge-thread.js';

export interface PublicEdge {
  url: string;
  /** A status page changed through the main listener: the edge forgets its cached answers. */
  changed(): void;
  stop(): Promise<void>;
}

/**
 * Starts the public edge (FIREBREAK_PUBLIC_PORT) in a worker thread: status pages served on
 * their own listener and event loop, everything else passed to the main listener.
 */
export async function startPublicEdge(data: EdgeThreadData, log: Logger): Promise<PublicEdge> {
  // From dist/ the thread is plain JavaScript; from the TypeScript sources (tests) tsx loads it.
  const fromSource = import.meta.url.endsWith('.ts');
  const file = new URL(`../http/public/edge-thread.${fromSource ? 'ts' : 'js'}`, import.meta.url);
  const worker = fromSource
    ? new Worker(`import('tsx/esm/api').then((tsx) => { tsx.register(); return import(${JSON.stringify(file.href)}); })`, { eval: true, workerData: data })
    : new Worker(file, { workerData: data });
  worker.on('message', (m: { type: string; level?: 'info' | 'warn' | 'error'; category?: LogCategory; message?: string; fields?: Record<string, unknown> }) => {
    if (m.type === 'log' && m.level && m.category) log[m.level](m.category, m.message ?? '', m.fields);
  });
  const url = await new Promise<string>((resolve, reject) => {
    const onMessage = (m: { type: string; url?: string; error?: string }) => {
      if (m.type === 'ready') resolve(m.url!);
      if (m.type === 'failed') reject(new Error(`the public edge could not listen on ${data.host}:${data.port}: ${m.error}`));
    };
    worker.on('message', onMessage);
    worker.once('error', reject);
    worker.once('exit', (code) => reject(new Error(`the public edge thread exited (${code}) before listening`)));
  });
  worker.on('error', (e) => log.error('http', 'the public edge thread failed', { error: String(e) }));
  let stopped: Promise<void> | null = null;
  return {
    url,
    changed: () => worker.postMessage({ type: 'changed' }),
    stop: () => (stopped ??= new Promise<void>((resolve) => {
      const timer = setTimeout(() => void worker.terminate().then(() => resolve()), 5_000);
      worker.on('message', (m: { type: string }) => {
        if (m.type === 'stopped') {
          clearTimeout(timer);
          void worker.terminate().then(() => resolve());
        }
      });
      worker.postMessage({ type: 'stop' });
    })),
  };
}
