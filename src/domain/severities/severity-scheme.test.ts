import { describe, expect, it } from 'vitest';
import { AppError } from '../../core/errors.js';
import { DEFAULT_SEVERITY_SCHEME, SeveritySchemeInput, validateSeverityScheme } from './severity-scheme.js';

describe('severity scheme', () => {
  it('default scheme is valid and ordered most severe first', () => {
    expect(validateSeverityScheme(SeveritySchemeInput.parse(DEFAULT_SEVERITY_SCHEME)).map((l) => l.key)).toEqual(['SEV1', 'SEV2', 'SEV3', 'SEV4']);
  });

  it.each([
    ['P0–P4', ['P0', 'P1', 'P2', 'P3', 'P4']],
    ['P1–P4', ['P1', 'P2', 'P3', 'P4']],
    ['SEV-1–4', ['SEV-1', 'SEV-2', 'SEV-3', 'SEV-4']],
  ])('accepts a %s ladder', (_name, keys) => {
    const levels = SeveritySchemeInput.parse(keys.map((key) => ({ key, name: key })));
    expect(validateSeverityScheme(levels)).toHaveLength(keys.length);
  });

  it.each([
    [[{ key: 'P1', name: 'a' }, { key: 'p1', name: 'b' }], 'severities.1.key'],
    [[{ key: 'P1', name: 'a', ackTargetSeconds: 600, resolveTargetSeconds: 60 }], 'severities.0.resolveTargetSeconds'],
  ])('names the bad field', (input, field) => {
    try {
      validateSeverityScheme(SeveritySchemeInput.parse(input));
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(AppError);
      expect((e as AppError).issues[0]?.field).toBe(field);
    }
  });

  it('rejects keys with spaces and empty schemes through the schema', () => {
    expect(SeveritySchemeInput.safeParse([{ key: 'P 1', name: 'x' }]).success).toBe(false);
    expect(SeveritySchemeInput.safeParse([]).success).toBe(false);
  });
});
