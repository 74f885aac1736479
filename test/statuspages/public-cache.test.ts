import { describe, expect, it } from 'vitest';
import { isPublicPagePath, PublicCache } from '../../src/http/public/cache.js';

describe('public answer cache', () => {
  it('shares one computation among concurrent readers and keeps it for the TTL', async () => {
    let now = 0;
    let computed = 0;
    const cache = new PublicCache(1500, () => now);
    const make = async () => ({ status: 200, type: 'text/plain', body: String(++computed) });
    const answers = await Promise.all(Array.from({ length: 100 }, () => cache.get('acme\nhtml', make)));
    expect(new Set(answers.map((a) => a.body))).toEqual(new Set(['1']));
    now = 1499;
    expect((await cache.get('acme\nhtml', make)).body).toBe('1');
    now = 1500;
    expect((await cache.get('acme\nhtml', make)).body).toBe('2');
    cache.clear();
    expect((await cache.get('acme\nhtml', make)).body).toBe('3');
  });

  it('does not remember a failure', async () => {
    const cache = new PublicCache(1500, () => 0);
    await expect(cache.get('k', async () => { throw new Error('db down'); })).rejects.toThrow('db down');
    expect((await cache.get('k', async () => ({ status: 200, type: 'text/plain', body: 'ok' }))).body).toBe('ok');
  });

  it('rewrites only the public page paths of a custom host', () => {
    expect(['/', '/history.rss', '/history.atom', '/api/v2/summary.json', '/api/v2/incidents/unresolved.json', '/api/v2/scheduled-maintenances/active.json'].every(isPublicPagePath)).toBe(true);
    expect(['/api/v2/alerts', '/api/v1/incidents', '/incidents/4', '/api/v2/summary.jsonx'].some(isPublicPagePath)).toBe(false);
  });
});
