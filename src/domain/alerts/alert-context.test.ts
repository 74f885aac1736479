import { describe, expect, it } from 'vitest';
import { alertLinks, boundAlertContext, boundDetails, CONTEXT_LIMITS, isHttpUrl, readAlertContext, TRUNCATED } from './alert-context.js';

describe('alert context', () => {
  it.each<[unknown, boolean]>([
    ['https://grafana.example/d/x', true],
    ['http://am:9093/#/alerts', true],
    ['javascript:alert(1)', false],
    ['data:image/png;base64,AAAA', false],
    ['//evil.example/x', false],
    ['HTTPS://CAPS.example', true],
    ['https://', false],
    [`https://x.example/${'a'.repeat(3000)}`, false],
    [42, false],
  ])('isHttpUrl(%j) = %j', (url, ok) => {
    expect(isHttpUrl(url)).toBe(ok);
  });

  it('is null when there is nothing to keep', () => {
    expect(boundAlertContext({})).toBeNull();
    expect(boundAlertContext({ links: [{ href: 'ftp://x' }], images: [{ src: 'javascript:1' }], tags: [] })).toBeNull();
  });

  it('keeps http(s) links once each, images with http(s) sources only, and cuts long text', () => {
    const ctx = boundAlertContext({
      links: [{ kind: 'dashboard', href: 'https://g/d', text: 'Dashboard' }, { href: 'https://g/d', text: 'again' }, { href: 'https://g/p', text: 't'.repeat(500) }],
      images: [{ src: 'https://i/1.png', href: 'javascript:x', alt: 'a' }, { src: 'file:///etc/passwd' }],
    })!;
    expect(ctx.links).toHaveLength(2);
    expect(ctx.links[1]!.text!.endsWith(TRUNCATED)).toBe(true);
    expect(ctx.links[1]!.text!.length).toBe(CONTEXT_LIMITS.textChars);
    expect(ctx.images).toEqual([{ src: 'https://i/1.png', href: null, alt: 'a' }]);
  });

  it('bounds custom_details by depth, counts and total size', () => {
    let deep: unknown = 'bottom';
    for (let i = 0; i < 20; i += 1) deep = { d: deep };
    expect(JSON.stringify(boundDetails(deep))).toContain(TRUNCATED);
    const wide = boundDetails(Array.from({ length: 300 }, (_, i) => i)) as unknown[];
    expect(wide).toHaveLength(CONTEXT_LIMITS.items + 1);
    expect(wide.at(-1)).toBe(`${TRUNCATED} 200 more`);
    const big = boundDetails(Object.fromEntries(Array.from({ length: 90 }, (_, i) => [`k${i}`, 'v'.repeat(1000)])));
    expect(JSON.stringify(big).length).toBeLessThan(CONTEXT_LIMITS.totalChars * 1.5);
    expect(JSON.stringify(big)).toContain(TRUNCATED);
    expect(boundDetails({ a: 1, b: [true, null, 'x'] })).toEqual({ a: 1, b: [true, null, 'x'] });
  });

  it('reads rows from before migration 0025 as empty', () => {
    expect(readAlertContext(null)).toEqual({ links: [], images: [], customDetails: null, tags: [] });
    expect(readAlertContext('not json').links).toEqual([]);
  });

  it('lists runbook first, then stored links, URL annotations, then the source', () => {
    const links = alertLinks({
      generatorUrl: 'http://prom/graph', runbookUrl: 'https://rb/x',
      annotations: { summary: 'not a link', dashboard_url: 'https://g/d', runbook_url: 'https://rb/x', other: 'https://o/1' },
      context: { links: [{ kind: 'silence', href: 'https://g/s', text: 'Silence' }], images: [], customDetails: null, tags: [] },
    });
    expect(links.map((l) => `${l.kind}:${l.href}`)).toEqual(['runbook:https://rb/x', 'silence:https://g/s', 'dashboard:https://g/d', 'link:https://o/1', 'generator:http://prom/graph']);
  });
});
