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

  it('while an expired answer is recomputed, the fast path serves the previous one; never one made before a clear', async () => {
    let now = 0;
    let computed = 0;
    let release: () => void = () => {};
    const cache = new PublicCache(1000, () => now);
    const make = async () => {
      computed += 1;
      const n = computed;
      if (n > 1) await new Promise<void>((r) => { release = r; });
      return { status: 200, type: 'text/plain', body: String(n) };
    };
    await cache.get('k', make);
    now = 1000;
    // Expired, nobody recomputing yet: the fast path declines; the route's reader computes and waits.
    expect(cache.peek('k')).toBeUndefined();
    const waiting = cache.get('k', make);
    // Meanwhile a herd: all served the previous answer at once, and no second computation.
    expect(Array.from({ length: 50 }, () => cache.peek('k')?.body)).toEqual(Array(50).fill('1'));
    const alsoWaiting = cache.get('k', make);
    expect(computed).toBe(2);
    release();
    expect([(await waiting).body, (await alsoWaiting).body]).toEqual(['2', '2']);
    expect(cache.peek('k')?.body).toBe('2');
    // A clear (a page changed) while the next answer is computed: that answer is not kept.
    now = 2000;
    const beforeClear = cache.get('k', make);
    cache.clear();
    release();
    await beforeClear;
    expect(cache.peek('k')).toBeUndefined();
    // Never older than staleMs (3 × TTL), even while a computation hangs.
    await cache.get('k', async () => ({ status: 200, type: 'text/plain', body: 'x' }));
    now = 3000;
    void cache.get('k', make);
    expect(cache.peek('k')?.body).toBe('x');
    now = 5000;
    expect(cache.peek('k')).toBeUndefined();
    release();
  });

  it('a failed recomputation is not remembered: the previous answer is not served again, the next reader tries', async () => {
    let now = 0;
    let attempts = 0;
    const cache = new PublicCache(1000, () => now);
    const make = async () => {
      attempts += 1;
      if (attempts === 2) throw new Error('db down');
      return { status: 200, type: 'text/plain', body: String(attempts) };
    };
    await cache.get('k', make);
    now = 1500;
    await expect(cache.get('k', make)).rejects.toThrow('db down');
    expect(cache.peek('k')).toBeUndefined();
    expect((await cache.get('k', make)).body).toBe('3');
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
