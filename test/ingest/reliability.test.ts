import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { FastifyInstance } from 'fastify';
import { afterAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../src/core/logger.js';
import { buildApp } from '../../src/http/app.js';
import { MetricsRegistry } from '../../src/observability/metrics.js';
import { bearer, createTestApp } from '../helpers/app.js';
import { DIALECTS } from '../helpers/dialects.js';
import { adminKey, startServerProcess } from '../helpers/server-process.js';

/** A PagerDuty-style sender: retries 429, 5xx and connection errors, as the senders do. */
async function sendWithRetries(send: () => Promise<number>, attempts = 40): Promise<boolean> {
  for (let i = 0; i < attempts; i++) {
    try {
      const status = await send();
      if (status === 202) return true;
      if (status !== 429 && status < 500) throw new Error(`refused with ${status}`);
    } catch (e) {
      if ((e as Error).message.startsWith('refused')) throw e;
    }
    await new Promise((r) => setTimeout(r, 20 + Math.random() * 80));
  }
  return false;
}

const pdEvent = (routingKey: string, dedupKey: string) =>
  JSON.stringify({ routing_key: routingKey, event_action: 'trigger', dedup_key: dedupKey, payload: { summary: `disk full on ${dedupKey}`, source: dedupKey, severity: 'critical' } });

describe.each(DIALECTS)('R2: concurrent triggers on the same keys (%s)', (dialect) => {
  it('1,000 triggers on 50 keys, ≥10 in flight per key, two instances: one open alert per key, every trigger counted', async () => {
    const t = await createTestApp(dialect);
    const admin = (await t.userWithKey('admin')).token;
    const integration = (await t.app.inject({ method: 'POST', url: '/api/v1/integrations', headers: bearer(admin), payload: { name: 'pd', format: 'pagerduty-events-v2' } })).json();
    // A second instance on the same database (on SQLite, a second connection to the same file).
    const second = t.db.openAnother();
    const { app: app2 } = await buildApp({ store: second, clock: t.clock, log: silentLogger, metrics: new MetricsRegistry(), publicUrl: 'http://x', version: 't', webRoot: null });
    const apps: FastifyInstance[] = [t.app, app2];
    try {
      const KEYS = 50;
      const PER_KEY = 20;
      const jobs: (() => Promise<boolean>)[] = [];
      for (let round = 0; round < PER_KEY; round++) {
        for (let k = 0; k < KEYS; k++) {
          const app = apps[(round + k) % 2]!;
          jobs.push(() => sendWithRetries(async () => (await app.inject({ method: 'POST', url: '/v2/enqueue', headers: { 'content-type': 'application/json' }, payload: pdEvent(integration.key, `key-${k}`) })).statusCode));
        }
      }
      // 500 in flight at once: 10 per key.
      const results: boolean[] = [];
      for (let i = 0; i < jobs.length; i += 500) results.push(...(await Promise.all(jobs.slice(i, i + 500).map((j) => j()))));
      expect(results.every(Boolean)).toBe(true);
      const alerts = await t.store.db.selectFrom('alerts').selectAll().where('integration_id', '=', integration.id).execute();
      expect(alerts.filter((a) => a.status !== 'resolved')).toHaveLength(KEYS);
      expect(new Set(alerts.map((a) => a.dedup_key)).size).toBe(KEYS);
      expect(alerts.reduce((sum, a) => sum + a.count, 0)).toBe(KEYS * PER_KEY);
      const incidentIds = new Set(alerts.map((a) => a.incident_id));
      expect(incidentIds.has(null)).toBe(false);
      const incidents = await t.store.db.selectFrom('incidents').select('id').execute();
      expect(incidents.length).toBe(incidentIds.size);
    } finally {
      await app2.close();
      await second.close();
      await t.close();
    }
  }, 120_000);
});

describe('R1: kill -9 during ingestion (SQLite)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'firebreak-r1-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('every acknowledged event is stored, one open alert per key, and the file is intact', async () => {
    const dbUrl = `sqlite:${join(dir, 'r1.db')}`;
    let server = await startServerProcess(dbUrl);
    const key = await adminKey(server.url, server.password!);
    const created = await fetch(`${server.url}/api/v1/integrations`, { method: 'POST', headers: { 'content-type': 'application/json', ...bearer(key) }, body: JSON.stringify({ name: 'pd', format: 'pagerduty-events-v2' }) });
    const integration = (await created.json()) as { id: string; key: string };
    const acked = new Map<string, number>();
    for (let round = 0; round < 3; round++) {
      let stop = false;
      const url = server.url;
      const senders = Array.from({ length: 20 }, async (_, w) => {
        for (let i = 0; !stop; i++) {
          const dedup = `k${(w * 7 + i) % 200}`;
          try {
            const res = await fetch(`${url}/v2/enqueue`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: pdEvent(integration.key, dedup) });
            if (res.status === 202) acked.set(dedup, (acked.get(dedup) ?? 0) + 1);
          } catch {
            return;
          }
        }
      });
      await new Promise((r) => setTimeout(r, 400 + Math.random() * 600));
      server.child.kill('SIGKILL');
      stop = true;
      await Promise.all(senders);
      await server.exited;
      server = await startServerProcess(dbUrl);
    }
    server.child.kill('SIGTERM');
    await server.exited;

    const total = [...acked.values()].reduce((a, b) => a + b, 0);
    expect(total).toBeGreaterThan(50);
    const db = new Database(join(dir, 'r1.db'), { readonly: true });
    try {
      expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
      const rows = db.prepare('select dedup_key, status, count from alerts where integration_id = ?').all(integration.id) as { dedup_key: string; status: string; count: number }[];
      const counted = new Map<string, number>();
      for (const r of rows) counted.set(r.dedup_key, (counted.get(r.dedup_key) ?? 0) + r.count);
      // A trigger may be stored and then the answer lost in the kill, never the other way round.
      const lost = [...acked].filter(([k, n]) => (counted.get(k) ?? 0) < n);
      expect(lost).toEqual([]);
      const open = rows.filter((r) => r.status !== 'resolved');
      expect(open.length).toBe(new Set(open.map((r) => r.dedup_key)).size);
    } finally {
      db.close();
    }
  }, 180_000);
});
