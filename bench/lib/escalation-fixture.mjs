// Seed data shared by bench/escalation.mjs and bench/lib/escalation-cpu.mjs: `due` triggered
// incidents with an escalation (one webhook contact method, one level, no repeat) and `pending`
// far-future timers; the burst is one escalation timer per seeded incident, all due at `at`.
// `mods` carries ensureDefaults, snapshotPolicy and startEscalation from dist/ or src/.

export async function seedEscalations(store, mods, { hookUrl, due, pending, dueAt }) {
  const { ensureDefaults, snapshotPolicy, startEscalation } = mods;
  const ctx = { actor: { type: 'system', name: 'bench' }, clock: { now: () => Date.now() }, log: { info() {}, warn() {}, error() {} }, requestId: 'bench', store };
  await ensureDefaults({ ctx, input: { adminEmail: 'admin@bench.test' } });
  const now = Date.now();
  const db = store.db;
  await db.insertInto('users').values({ id: 'usr_bench', email: 'oncall@bench.test', name: 'On call', role: 'responder', password_hash: null, time_zone: 'UTC', disabled: 0, managed_by: null, created_at: now, updated_at: now }).execute();
  await db.insertInto('contact_methods').values({ id: 'cm_bench', user_id: 'usr_bench', kind: 'webhook', label: 'w', address: hookUrl, verified: 1, secret: 'whsec_' + Buffer.from('bench-secret-bench-secret').toString('base64'), disabled_reason: null, created_at: now, updated_at: now }).execute();
  const policy = { id: 'pol_bench', name: 'bench', levels: [{ delaySeconds: 0, targets: [{ type: 'user', id: 'usr_bench' }] }], repeat: 0, repeatDelaySeconds: 300, ackTimeoutSeconds: null, catchUp: 'late-but-once' };
  await db.insertInto('escalation_policies').values({ id: policy.id, team_id: null, name: 'bench', levels: JSON.stringify(policy.levels), repeat: 0, repeat_delay_seconds: 300, ack_timeout_seconds: null, catch_up: 'late-but-once', condition: null, created_at: now, updated_at: now, version: 1 }).execute();
  const snapshot = JSON.stringify(snapshotPolicy(policy, now));
  const state = JSON.stringify(startEscalation(snapshotPolicy(policy, now), { now: dueAt, severity: 'SEV1' }));
  const B = 400;
  for (let start = 0; start < due; start += B) {
    const ids = Array.from({ length: Math.min(B, due - start) }, (_, k) => `inc_bench${String(start + k).padStart(8, '0')}`);
    await store.transaction(async (tx) => {
      await tx.insertInto('incidents').values(ids.map((id, k) => ({ id, number: 1_000_000 + start + k, title: `bench ${start + k}`, summary: '', severity: 'SEV1', status: 'triggered', service_id: null, is_drill: 0, created_by: null, detected_at: now, declared_at: now, acknowledged_at: null, mitigated_at: null, resolved_at: null, updated_at: now, version: 1 }))).execute();
      await tx.insertInto('incident_escalations').values(ids.map((id) => ({ incident_id: id, policy_id: policy.id, snapshot, state, status: 'triggered', generation: 1, created_at: now, updated_at: now }))).execute();
    });
  }
  const far = dueAt + 3 * 86_400_000;
  for (let start = 0; start < pending; start += 1000) {
    const n = Math.min(1000, pending - start);
    await db.insertInto('timers').values(Array.from({ length: n }, (_, k) => ({ id: `tmr_p${start + k}`, key: `bench:pending:${start + k}`, kind: 'escalate', payload: '{"incidentId":"none"}', run_at: far + k, attempts: 0, last_error: null, locked_by: null, locked_until: null, generation: 1, created_at: now }))).execute();
  }
}

// `spreadMs` > 0 spreads the due times evenly over [at, at + spreadMs) instead of all at `at`.
// Returns each incident's due time.
export async function insertBurst(store, { due, at, spreadMs = 0 }) {
  const now = Date.now();
  const dueAt = new Map();
  for (let start = 0; start < due; start += 1000) {
    const ids = Array.from({ length: Math.min(1000, due - start) }, (_, k) => `inc_bench${String(start + k).padStart(8, '0')}`);
    const rows = ids.map((id, k) => {
      const runAt = at + Math.floor(((start + k) * spreadMs) / due);
      dueAt.set(id, runAt);
      return { id: `tmr_${id}`, key: `escalate:${id}`, kind: 'escalate', payload: JSON.stringify({ incidentId: id }), run_at: runAt, attempts: 0, last_error: null, locked_by: null, locked_until: null, generation: 1, created_at: now };
    });
    await store.db.insertInto('timers').values(rows).execute();
  }
  return dueAt;
}
