import { describe, expect, it } from 'vitest';
import { formatMatchers, parseLabels, parseMatchers } from './matchers.js';

describe('label matchers as text', () => {
  it.each([
    ['service="checkout"', [{ name: 'service', op: '=', value: 'checkout' }]],
    ['env!=staging, instance=~"db-.*"', [{ name: 'env', op: '!=', value: 'staging' }, { name: 'instance', op: '=~', value: 'db-.*' }]],
    ['a!~"x,y"\nb=""', [{ name: 'a', op: '!~', value: 'x,y' }, { name: 'b', op: '=', value: '' }]],
    ['', []],
  ])('parses %j', (text, expected) => {
    expect(parseMatchers(text)).toEqual({ matchers: expected, error: null });
  });

  it('names the part it cannot read', () => {
    expect(parseMatchers('service="x", nonsense').error).toContain('"nonsense" is not a matcher');
  });

  it('round-trips through the text form', () => {
    const matchers = [{ name: 'a', op: '=~' as const, value: 'x"y,z' }, { name: 'b', op: '!=' as const, value: '' }];
    expect(parseMatchers(formatMatchers(matchers)).matchers).toEqual(matchers);
  });

  it('reads dry-run labels', () => {
    expect(parseLabels('service=checkout\nrole="worker"')).toEqual({ labels: { service: 'checkout', role: 'worker' }, error: null });
    expect(parseLabels('oops').error).toContain('"oops" is not name=value');
  });
});
