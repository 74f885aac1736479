import { readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { z } from 'zod';

/**
 * Process configuration from the environment, validated once at boot. Every problem is listed
 * together, and secrets may come from `<NAME>_FILE` (as Alertmanager's `*_file` options do),
 * so they need not sit in the environment.
 */
export const ROLES = ['api', 'ingest', 'worker'] as const;
export type Role = (typeof ROLES)[number];

const EnvSchema = z.object({
  DATABASE_URL: z.string().default('sqlite:./data/firebreak.db'),
  HOST: z.string().default('127.0.0.1'),
  PORT: z.coerce.number().int().min(0).max(65535).default(8080),
  PUBLIC_URL: z.url().optional(),
  /**
   * The public edge: status pages also served on this port, by a thread of their own, so an
   * outage-day herd of readers never delays alerts and pages (0 = any free port). Unset: off.
   */
  FIREBREAK_PUBLIC_PORT: z.coerce.number().int().min(0).max(65535).optional(),
  /**
   * Linux: how many nice steps the public edge thread runs below the main thread (0–19; 0 = the
   * same CPU priority): when the herd and alerts or pages both want the CPU, the more steps, the
   * more the pages win.
   */
  FIREBREAK_PUBLIC_NICE: z.coerce.number().int().min(0).max(19).default(5),
  FIREBREAK_CONFIG: z.string().optional(),
  FIREBREAK_ROLES: z
    .string()
    .default('api,ingest,worker')
    .transform((s) => s.split(',').map((r) => r.trim()).filter(Boolean))
    .pipe(z.array(z.enum(ROLES)).min(1)),
  FIREBREAK_ADMIN_EMAIL: z.email().default('admin@firebreak.local'),
  FIREBREAK_DB_POOL_SIZE: z.coerce.number().int().min(1).max(100).default(10),
  /** PostgreSQL: opening a connection or waiting for a free one of the pool gives up after this. */
  FIREBREAK_DB_CONNECT_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(3_000),
  /** PostgreSQL: one statement is cancelled after this (the client gives up a second later). */
  FIREBREAK_DB_STATEMENT_TIMEOUT_MS: z.coerce.number().int().min(100).max(600_000).default(5_000),
  FIREBREAK_SECURE_COOKIES: z.enum(['auto', 'true', 'false']).default('auto'),
  FIREBREAK_LOG: z.enum(['json', 'silent']).default('json'),
  /** One `http` line per request (method, route, status, time, credential id); `off` keeps the other logs. */
  FIREBREAK_ACCESS_LOG: z.enum(['on', 'off']).default('on'),
  // Paging. Outgoing notifications refuse private, loopback and link-local destinations unless
  // listed here: comma-separated CIDRs (10.0.0.0/8, ::1/128) and host names (hooks.internal,
  // *.corp.example).
  FIREBREAK_OUTBOUND_ALLOW: z.string().default(''),
  /**
   * Of the worker's send slots, how many subscriber and stakeholder sends (the bulk lane) may hold
   * at once: fewer keeps pages faster during a large fan-out, more finishes the fan-out sooner.
   */
  FIREBREAK_BULK_SEND_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(16),
  /**
   * How many subscriber and stakeholder sends a second an instance makes while it is paging (for
   * a second after each page): the fan-out goes on at this pace during an incident storm, and at
   * full width once pages stop. Higher finishes a fan-out sooner in a storm and takes more of the
   * CPU and database from the pages.
   */
  FIREBREAK_BULK_RATE_WHILE_PAGING: z.coerce.number().int().min(1).max(1000).default(8),
  /** Signs one-click ack links and feed tokens; generated and stored in the database if unset. */
  FIREBREAK_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  /** smtp://user:pass@host:587 or smtps://…; email contact methods need it. */
  FIREBREAK_SMTP_URL: z.string().optional(),
  FIREBREAK_SMTP_FROM: z.string().default('Firebreak <firebreak@localhost>'),
  FIREBREAK_SLACK_SIGNING_SECRET: z.string().optional(),
  /** An independent receiver that expects a ping every 60 s while the worker is healthy. */
  FIREBREAK_HEARTBEAT_URL: z.url().optional(),
  /** The auditor reports an escalation timer overdue by more than this. */
  FIREBREAK_AUDITOR_OVERDUE_SECONDS: z.coerce.number().int().min(5).max(3600).default(60),
  /** The auditor reports a notification still unsent this long after it fell due (still retrying). */
  FIREBREAK_AUDITOR_RETRYING_SECONDS: z.coerce.number().int().min(30).max(86_400).default(300),
  /** The auditor reports a notification that failed for good (a 4xx, attempts used up) for this long. */
  FIREBREAK_AUDITOR_FAILED_WINDOW_SECONDS: z.coerce.number().int().min(60).max(604_800).default(3600),
  /** Raw ingest payloads (what each sender sent, and what became of it) are deleted after this. */
  FIREBREAK_RAW_PAYLOAD_RETENTION_DAYS: z.coerce.number().int().min(1).max(3650).default(30),
  /** PagerDuty change events are deleted after this (PagerDuty keeps them 90 days). */
  FIREBREAK_CHANGE_EVENT_RETENTION_DAYS: z.coerce.number().int().min(1).max(3650).default(90),
  /** A request (headers and body) must arrive within this; headers within min(20 s, this). */
  FIREBREAK_HTTP_REQUEST_TIMEOUT_SECONDS: z.coerce.number().int().min(5).max(3600).default(60),
  /** Per-integration ingest rate limit (requests per second, sustained; 0: unlimited) and burst, unless the integration sets its own. */
  FIREBREAK_INGEST_RATE_PER_SECOND: z.coerce.number().min(0).max(1_000_000).default(100),
  FIREBREAK_INGEST_RATE_BURST: z.coerce.number().int().min(1).max(10_000_000).default(1000),
  /** Storm guard: more new incidents than this from one integration within the minutes below (0: off) join one storm incident. */
  FIREBREAK_INGEST_STORM_INCIDENTS: z.coerce.number().int().min(0).max(100_000).default(20),
  FIREBREAK_INGEST_STORM_MINUTES: z.coerce.number().positive().max(1440).default(1),
  /**
   * Reverse proxies whose `X-Forwarded-For` / `-Proto` / `-Host` are believed: comma-separated IPs
   * and CIDRs (or `loopback`, `linklocal`, `uniquelocal`). Empty (default): none, so a client
   * cannot choose the address that audit entries and sign-in throttling see.
   */
  FIREBREAK_TRUSTED_PROXIES: z.string().default('').transform((s) => s.split(',').map((p) => p.trim()).filter(Boolean)).pipe(z.array(z.string().refine(isProxyAddress, { error: (i) => `${String(i.input)} is not an IP address, a CIDR (10.0.0.0/8) or loopback/linklocal/uniquelocal` }))),
  /** When set, `/metrics` answers only `Authorization: Bearer <this>` (or from `_FILE`). */
  FIREBREAK_METRICS_TOKEN: z.string().min(16, 'must be at least 16 characters').optional(),
});

const PROXY_RANGES = new Set(['loopback', 'linklocal', 'uniquelocal']);

/** What Fastify's trustProxy (proxy-addr) accepts in a list: an address, a CIDR, or a named range. */
export function isProxyAddress(entry: string): boolean {
  if (PROXY_RANGES.has(entry)) return true;
  const [address, prefix, ...rest] = entry.split('/');
  const family = isIP(address ?? '');
  if (family === 0 || rest.length > 0) return false;
  if (prefix === undefined) return true;
  if (!/^\d{1,3}$/.test(prefix)) return false;
  return Number(prefix) <= (family === 4 ? 32 : 128);
}

export type EnvConfig = z.infer<typeof EnvSchema> & { publicUrl: string };

const SECRET_VARS = ['DATABASE_URL', 'FIREBREAK_SECRET', 'FIREBREAK_SMTP_URL', 'FIREBREAK_SLACK_SIGNING_SECRET', 'FIREBREAK_METRICS_TOKEN'] as const;

export class ConfigError extends Error {
  readonly problems: string[];
  constructor(problems: string[]) {
    super(`configuration is invalid:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.problems = problems;
  }
}

export function loadEnvConfig(env: NodeJS.ProcessEnv = process.env, overrides: Record<string, string | undefined> = {}): EnvConfig {
  const merged: Record<string, string | undefined> = { ...env };
  const problems: string[] = [];
  for (const name of SECRET_VARS) {
    const file = merged[`${name}_FILE`];
    if (file && merged[name] === undefined) {
      try {
        merged[name] = readFileSync(file, 'utf8').trim();
      } catch (e) {
        problems.push(`${name}_FILE: cannot read ${file} (${(e as Error).message})`);
      }
    }
  }
  for (const [k, v] of Object.entries(overrides)) if (v !== undefined) merged[k] = v;
  const parsed = EnvSchema.safeParse(merged);
  if (!parsed.success) {
    problems.push(...parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`));
  }
  if (problems.length > 0 || !parsed.success) throw new ConfigError(problems);
  const c = parsed.data;
  const host = c.HOST === '0.0.0.0' || c.HOST === '::' ? 'localhost' : c.HOST;
  return { ...c, publicUrl: (c.PUBLIC_URL ?? `http://${host}:${c.PORT}`).replace(/\/$/, '') };
}

/** For logs and `/ready`: the database URL without its password. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return url;
  }
}
