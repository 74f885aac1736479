import { systemActor } from '../core/actor.js';
import type { Clock } from '../core/clock.js';
import { isAppError } from '../core/errors.js';
import { storableKey, storableRawText } from '../core/storable-text.js';
import { redactKeyDeep, redactRawPayload, searchableKey } from '../core/redact-credentials.js';
import type { Logger } from '../core/logger.js';
import type { Ctx } from '../domain/context.js';
import type { IncidentHook } from '../domain/incidents/hooks.js';
import { hashIntegrationKey } from '../domain/alerts/integrations.js';
import { processAlertBatch, type BatchItem, type BatchItemOutcome } from '../domain/alerts/process-alert-batch.js';
import { readSettings, type IntegrationSettings } from '../domain/alerts/settings.js';
import { transactionRetryingUniqueRaces, type Store } from '../store/index.js';
import { DEFAULT_INGEST_DEFAULTS, type IngestDefaults } from './ingest-limits.js';
import { IngestQueue } from './ingest-queue.js';

/**
 * The ingest pipeline behind every vendor endpoint: key → integration (cached briefly), then
 * the group-commit queue. Shared by the HTTP routes and the heartbeat checker.
 */
export interface ResolvedIntegration {
  id: string;
  name: string;
  format: string;
  serviceId: string | null;
  settings: IntegrationSettings;
  disabled: boolean;
  repeatsAreNoops: boolean;
}

const REPEATING_SENDERS = new Set(['alertmanager-webhook', 'grafana-webhook', 'alertmanager-api', 'heartbeat']);

/**
 * Senders whose bodies follow a fixed schema with no credential in it (the key came in the URL
 * or a header). Their payloads are the largest and most frequent, so only the key is looked for.
 */
const FIXED_SCHEMA_SENDERS = new Set(['alertmanager-webhook', 'grafana-webhook', 'alertmanager-api']);

type Settled = { ok: true; outcome: BatchItemOutcome } | { ok: false; error: unknown };

/** How long a key lookup is trusted. A revoked key stops working within this on other instances. */
const KEY_CACHE_MS = 5_000;

export interface IngestServiceOptions {
  store: Store;
  clock: Clock;
  log: Logger;
  incidentHooks?: readonly IncidentHook[];
  maxQueued?: number;
  maxBatch?: number;
  /** Rate limit and storm guard for integrations whose settings do not say. */
  defaults?: IngestDefaults;
}

export class IngestService {
  readonly queue: IngestQueue<BatchItem, Settled>;
  readonly #options: IngestServiceOptions;
  readonly #keys = new Map<string, { at: number; integration: ResolvedIntegration | null }>();

  constructor(options: IngestServiceOptions) {
    this.#options = options;
    this.queue = new IngestQueue<BatchItem, Settled>({
      log: options.log,
      maxQueued: options.maxQueued ?? 200_000,
      maxBatch: options.maxBatch ?? options.store.dialect.maxIngestBatch,
      maxInFlight: options.store.dialect.pipelinedCommits,
      reported: (error) => options.store.health.reportFailure(error),
      weight: (item) => item.result.signals.length + item.result.updates.length,
      commit: (items) => this.#commit(items),
    });
  }

  #ctx(): Ctx {
    const { store, clock, log, incidentHooks } = this.#options;
    return { actor: systemActor('alert ingestion'), clock, log, requestId: 'ingest', store, incidentHooks };
  }

  /**
   * One transaction for the batch. If it fails for a reason other than the database being
   * unavailable (a bug, or a payload the database refuses), each item is retried alone so one
   * poisonous request gets its own error while its neighbours commit.
   */
  async #commit(items: BatchItem[]): Promise<Settled[]> {
    try {
      const outcomes = await this.#commitRacing(items);
      return outcomes.map((outcome) => ({ ok: true, outcome }));
    } catch (error) {
      if (items.length === 1 || this.#storeUnavailable(error)) throw error;
      this.#options.log.warn('ingest', 'batch failed; committing its items one by one', { items: items.length, error: (error as Error).message });
      const settled: Settled[] = [];
      for (const item of items) {
        try {
          const [outcome] = await this.#commitRacing([item]);
          settled.push({ ok: true, outcome: outcome! });
        } catch (itemError) {
          settled.push({ ok: false, error: itemError });
        }
      }
      return settled;
    }
  }

  /**
   * A unique violation here means another instance opened the same alert or group first: the
   * batch runs once more and finds the winner's row, as if it had arrived a moment later.
   */
  #commitRacing(items: BatchItem[]): Promise<BatchItemOutcome[]> {
    return transactionRetryingUniqueRaces(this.#options.store, (tx) => processAlertBatch(this.#ctx(), tx, items), 2);
  }

  /** Worth no item-by-item retry: each would fail the same way. */
  #storeUnavailable(error: unknown): boolean {
    return this.#options.store.dialect.isTransient(error) || (isAppError(error) && error.code === 'UNAVAILABLE');
  }

  /**
   * What a sender sent, authenticated with `key`: the one place credentials are taken out of a
   * raw payload before it is queued, so no copy of a key is ever stored (see redactRawPayload).
   * What was parsed from it is scrubbed too when the body repeats the key (every PagerDuty
   * event, whose bodies are small; elsewhere rare), since labels and details are shown to readers.
   */
  async submitReceived(item: BatchItem, key: string | null): Promise<BatchItemOutcome> {
    const repeatsKey = searchableKey(key) && item.rawBody.includes(key);
    return this.submit({
      ...item,
      rawBody: redactRawPayload(item.rawBody, repeatsKey ? key : null, !FIXED_SCHEMA_SENDERS.has(item.integration.format)),
      result: repeatsKey
        ? { ...item.result, signals: redactKeyDeep(item.result.signals, key), updates: redactKeyDeep(item.result.updates, key), changes: redactKeyDeep(item.result.changes, key) }
        : item.result,
    });
  }

  /** Resolves once the item is durably committed. */
  async submit(item: BatchItem): Promise<BatchItemOutcome> {
    const settled = await this.queue.submit(storableItem(item));
    if (!settled.ok) throw settled.error;
    return settled.outcome;
  }

  async integrationByKey(key: string): Promise<ResolvedIntegration | null> {
    if (key === '' || key.length > 200) return null;
    // Cached by the key itself (this process already holds it), so a hit skips the SHA-256.
    const now = Date.now();
    const cached = this.#keys.get(key);
    if (cached && now - cached.at < KEY_CACHE_MS) return cached.integration;
    const hash = hashIntegrationKey(key);
    const row = await this.#options.store.db.selectFrom('integrations').selectAll().where('key_hash', '=', hash).executeTakeFirst();
    const integration = row
      ? { id: row.id, name: row.name, format: row.format, serviceId: row.service_id, settings: this.#withDefaults(readSettings(row.settings)), disabled: row.disabled === 1, repeatsAreNoops: REPEATING_SENDERS.has(row.format) }
      : null;
    if (this.#keys.size > 10_000) this.#keys.clear();
    this.#keys.set(key, { at: now, integration });
    return integration;
  }

  /** Absent limits take the instance's; null ones stay off. */
  #withDefaults(settings: IntegrationSettings): IntegrationSettings {
    const defaults = this.#options.defaults ?? DEFAULT_INGEST_DEFAULTS;
    return {
      ...settings,
      rateLimit: settings.rateLimit === undefined ? defaults.rateLimit : settings.rateLimit,
      storm: settings.storm === undefined ? defaults.storm : settings.storm,
    };
  }

  /** After an integration changes on this instance; others catch up within KEY_CACHE_MS. */
  invalidateKeys(): void {
    this.#keys.clear();
  }

  async close(): Promise<void> {
    await this.queue.close();
  }
}

/**
 * What both databases can store (core/storable-text.ts): the parsed body is already free of NUL
 * and lone surrogates (routes/ingest.ts); the raw body, kept as received, may hold NUL; and a
 * dedup key too long for a PostgreSQL index is shortened the same way every time it arrives.
 */
function storableItem(item: BatchItem): BatchItem {
  const { signals, updates } = item.result;
  const longKey = signals.some((s) => storableKey(s.dedupKey) !== s.dedupKey) || updates.some((u) => storableKey(u.dedupKey) !== u.dedupKey);
  const result = longKey
    ? { ...item.result, signals: signals.map((s) => ({ ...s, dedupKey: storableKey(s.dedupKey) })), updates: updates.map((u) => ({ ...u, dedupKey: storableKey(u.dedupKey) })) }
    : item.result;
  return { ...item, result, rawBody: storableRawText(item.rawBody) };
}
