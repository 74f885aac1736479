import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, isProxyAddress, loadEnvConfig } from './env-config.js';

describe('FIREBREAK_TRUSTED_PROXIES', () => {
  it('is empty (trust no proxy) by default', () => {
    expect(loadEnvConfig({}).FIREBREAK_TRUSTED_PROXIES).toEqual([]);
  });

  it('takes IPs, CIDRs and named ranges, comma-separated', () => {
    expect(loadEnvConfig({ FIREBREAK_TRUSTED_PROXIES: ' 10.0.0.5, 10.1.0.0/16,::1,fd00::/8, loopback ' }).FIREBREAK_TRUSTED_PROXIES)
      .toEqual(['10.0.0.5', '10.1.0.0/16', '::1', 'fd00::/8', 'loopback']);
  });

  const table: [string, boolean][] = [
    ['192.168.1.1', true], ['192.168.0.0/24', true], ['2001:db8::/32', true], ['uniquelocal', true],
    ['true', false], ['*', false], ['10.0.0.0/33', false], ['::/129', false], ['10.0.0.1/8/1', false], ['proxy.internal', false], ['10.0.0.0/', false],
  ];
  for (const [entry, ok] of table) it(`${entry} is ${ok ? 'accepted' : 'refused'}`, () => expect(isProxyAddress(entry)).toBe(ok));

  it('lists a bad entry with the other problems at start', () => {
    try {
      loadEnvConfig({ FIREBREAK_TRUSTED_PROXIES: '10.0.0.1,everyone', PORT: 'x' });
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(ConfigError);
      expect((e as ConfigError).problems.join('\n')).toMatch(/FIREBREAK_TRUSTED_PROXIES.*everyone is not an IP address/);
      expect((e as ConfigError).problems.join('\n')).toMatch(/PORT/);
    }
  });
});

describe('FIREBREAK_METRICS_TOKEN', () => {
  it('is read from FIREBREAK_METRICS_TOKEN_FILE, and refused when short', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'fb-env-')), 'token');
    writeFileSync(file, 'a-metrics-token-from-a-file\n');
    expect(loadEnvConfig({ FIREBREAK_METRICS_TOKEN_FILE: file }).FIREBREAK_METRICS_TOKEN).toBe('a-metrics-token-from-a-file');
    expect(() => loadEnvConfig({ FIREBREAK_METRICS_TOKEN: 'short' })).toThrow(/FIREBREAK_METRICS_TOKEN: must be at least 16/);
  });
});
