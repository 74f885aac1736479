import { createHmac, timingSafeEqual } from 'node:crypto';
import { AppError } from '../../core/errors.js';
import { parseOrThrow } from '../../core/field-issues.js';
import { grafanaHmacSettingsSchema } from '../../domain/alerts/grafana-hmac-settings.js';
import type { GrafanaHmacSettings } from '../../domain/alerts/grafana-hmac-settings.js';

/**
 * Grafana's optional webhook HMAC (`grafana/alerting http/hmac.go`): lowercase hex
 * HMAC-SHA256 of `[timestamp ":"] rawBody`, no prefix. The timestamp (Unix seconds) is part of
 * the signed bytes only when Grafana has a `timestampHeader` configured. Verify the raw bytes
 * exactly as received; re-serialised JSON will not match.
 */

export type HeaderBag = Record<string, string | string[] | undefined>;

function header(headers: HeaderBag, name: string): string | undefined {
  const wanted = name.toLowerCase();
  for (const [key, value] of Object.entries(headers)) {
    if (key.toLowerCase() === wanted) return Array.isArray(value) ? value[0] : value;
  }
  return undefined;
}

/** The signature Grafana would send for this body (and timestamp, when one is signed). */
export function grafanaSignature(secret: string, rawBody: string | Uint8Array, timestamp?: string): string {
  const hmac = createHmac('sha256', secret);
  if (timestamp !== undefined) hmac.update(`${timestamp}:`, 'utf8');
  hmac.update(typeof rawBody === 'string' ? Buffer.from(rawBody, 'utf8') : rawBody);
  return hmac.digest('hex');
}

function unauthorized(reason: string): AppError {
  return new AppError('UNAUTHORIZED', `grafana signature: ${reason}`);
}

/**
 * Throws UNAUTHORIZED unless the request carries a valid signature (and, when configured, a
 * timestamp within `toleranceSeconds` of `now`). `now` is epoch ms.
 */
export function verifyGrafanaSignature(
  settingsInput: GrafanaHmacSettings,
  headers: HeaderBag,
  rawBody: string | Uint8Array,
  now: number,
): void {
  const settings = parseOrThrow(grafanaHmacSettingsSchema, settingsInput, 'hmac');
  const given = header(headers, settings.header)?.trim();
  if (!given) throw unauthorized(`missing ${settings.header} header`);
  if (!/^[0-9a-fA-F]{64}$/.test(given)) throw unauthorized(`${settings.header} is not a hex SHA-256 HMAC`);

  let timestamp: string | undefined;
  if (settings.timestampHeader !== undefined) {
    timestamp = header(headers, settings.timestampHeader)?.trim();
    if (!timestamp) throw unauthorized(`missing ${settings.timestampHeader} header`);
    if (!/^\d{1,15}$/.test(timestamp)) throw unauthorized(`${settings.timestampHeader} is not Unix seconds`);
    const skewSeconds = Math.abs(now / 1000 - Number(timestamp));
    if (skewSeconds > settings.toleranceSeconds) {
      throw unauthorized(`timestamp is ${Math.round(skewSeconds)}s away from now (limit ${settings.toleranceSeconds}s)`);
    }
  }

  const expected = Buffer.from(grafanaSignature(settings.secret, rawBody, timestamp), 'hex');
  const actual = Buffer.from(given.toLowerCase(), 'hex');
  // Both are 32 bytes here (checked above), which timingSafeEqual requires.
  if (!timingSafeEqual(expected, actual)) throw unauthorized('signature does not match');
}
