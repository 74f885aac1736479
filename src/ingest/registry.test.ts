import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { AppError } from '../core/errors.js';
import { ingestRegistry, isIngestFormat, parseIngest } from './registry.js';
import { INGEST_FORMATS } from '../domain/alerts/signal.js';

const fixturesRoot = new URL('../../test/fixtures/ingest/', import.meta.url);
const now = Date.parse('2026-03-01T10:05:00Z');

describe('ingest registry', () => {
  it('registers every format under its own name', () => {
    expect(Object.keys(ingestRegistry).sort()).toEqual([...INGEST_FORMATS].sort());
    for (const format of INGEST_FORMATS) {
      expect(ingestRegistry[format].format).toBe(format);
      expect(ingestRegistry[format].endpoints.length).toBeGreaterThan(0);
    }
    expect(isIngestFormat('opsgenie')).toBe(true);
    expect(isIngestFormat('nagios')).toBe(false);
  });

  it('has a fixture folder for every format and every fixture either parses or fails with VALIDATION', () => {
    expect(readdirSync(fixturesRoot).sort()).toEqual([...INGEST_FORMATS].sort());
    for (const format of INGEST_FORMATS) {
      for (const file of readdirSync(new URL(`${format}/`, fixturesRoot))) {
        const body: unknown = JSON.parse(readFileSync(new URL(`${format}/${file}`, fixturesRoot), 'utf8'));
        const ctx = {
          now,
          newUuid: () => '00000000-0000-4000-8000-000000000000',
          endpoint: file.startsWith('change') ? 'change' : undefined,
          settings: format === 'generic-webhook' ? { summary: '$.title' } : undefined,
        };
        try {
          const result = parseIngest(format, body, ctx);
          expect(result.format).toBe(format);
          expect(result.reply.status).toBeGreaterThanOrEqual(200);
        } catch (error) {
          expect(error, `${format}/${file}`).toBeInstanceOf(AppError);
          expect((error as AppError).code).toBe('VALIDATION');
        }
      }
    }
  });

  it.each(INGEST_FORMATS)('%s rejects garbage with a VALIDATION error naming a field', (format) => {
    const entry = ingestRegistry[format];
    const ctx = { now, settings: format === 'generic-webhook' ? { summary: '$.x' } : undefined };
    let caught: unknown;
    try {
      entry.parse(42, ctx);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(AppError);
    const error = caught as AppError;
    expect(error.code).toBe('VALIDATION');
    expect(error.issues.length).toBeGreaterThan(0);
    expect(error.message).toContain(`${error.issues[0]?.field}: `);
    const reply = entry.errorReply(error, ctx);
    if (format === 'pagerduty-events-v2') expect(reply?.status).toBe(400);
    if (format === 'opsgenie') expect(reply?.status).toBe(422);
    if (format === 'alertmanager-api') expect(reply).toEqual({ status: 400, body: error.message });
  });
});
