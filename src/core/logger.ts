/** A structured logger; the sink is chosen at the composition root. */
export type LogCategory = 'lifecycle' | 'http' | 'store' | 'worker' | 'ingest' | 'notify' | 'audit' | 'config' | 'runner' | 'runbooks';

export interface Logger {
  info(category: LogCategory, message: string, data?: Record<string, unknown>): void;
  warn(category: LogCategory, message: string, data?: Record<string, unknown>): void;
  error(category: LogCategory, message: string, data?: Record<string, unknown>): void;
}

const SECRET_KEY = /pass(word)?|secret|token|key|authorization|cookie/i;

/** Replace values under secret-looking keys so they never reach a log line. */
export function redact(data: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(data)) {
    out[k] = SECRET_KEY.test(k) && v != null ? '[redacted]' : v;
  }
  return out;
}

export function jsonLogger(write: (line: string) => void = (l) => process.stdout.write(l + '\n')): Logger {
  const log = (level: string) => (category: LogCategory, message: string, data?: Record<string, unknown>) =>
    write(JSON.stringify({ t: new Date().toISOString(), level, category, message, ...(data ? redact(data) : {}) }));
  return { info: log('info'), warn: log('warn'), error: log('error') };
}

export const silentLogger: Logger = { info() {}, warn() {}, error() {} };
