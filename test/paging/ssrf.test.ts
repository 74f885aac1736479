import { describe, expect, it } from 'vitest';
import { postGuarded } from '../../src/notify/http-transport.js';
import { checkOutboundUrl, parseIp, parseOutboundAllow, OutboundRefused, type Resolver } from '../../src/notify/ssrf.js';

const DENY = parseOutboundAllow('').policy;
// Names resolve through this table only: no packet ever leaves the machine.
const DNS: Record<string, string[]> = {
  'public.example': ['93.184.216.34'],
  'loopback.example': ['127.0.0.1'],
  'metadata.example': ['169.254.169.254'],
  'private10.example': ['10.1.2.3'],
  'private172.example': ['172.20.0.5'],
  'private192.example': ['192.168.1.10'],
  'cgnat.example': ['100.64.0.1'],
  'v6loop.example': ['::1'],
  'ula.example': ['fd12:3456::1'],
  'linklocal6.example': ['fe80::1'],
  'mapped.example': ['::ffff:127.0.0.1'],
  'mixed.example': ['93.184.216.34', '10.0.0.1'],
  'multicast.example': ['239.1.1.1'],
  'hooks.internal': ['10.9.9.9'],
};
const resolve: Resolver = async (host) => {
  const a = DNS[host];
  if (!a) throw Object.assign(new Error('not found'), { code: 'ENOTFOUND' });
  return a;
};

describe('SSRF guard', () => {
  it.each([
    'http://127.0.0.1/',
    'http://127.1/',
    'http://2130706433/',
    'http://0x7f000001/',
    'http://0x7f.0.0.1/',
    'http://0177.0.0.1/',
    'http://017700000001/',
    'http://[::1]/',
    'http://[::ffff:127.0.0.1]/',
    'http://[::ffff:7f00:1]/',
    'http://[0:0:0:0:0:ffff:a9fe:a9fe]/',
    'http://0.0.0.0/',
    'http://10.0.0.1/',
    'http://172.16.0.1/',
    'http://172.31.255.255/',
    'http://192.168.0.1/',
    'http://169.254.169.254/latest/meta-data/',
    'http://100.64.0.1/',
    'http://198.18.0.1/',
    'http://224.0.0.1/',
    'http://255.255.255.255/',
    'http://[fc00::1]/',
    'http://[fd00::1]/',
    'http://[fe80::1]/',
    'http://[ff02::1]/',
    'http://[::]/',
    'http://[64:ff9b::7f00:1]/',
    'http://[2002:7f00:1::]/',
    'http://localhost/',
    'http://loopback.example/',
    'http://metadata.example/',
    'http://private10.example/',
    'http://private172.example/',
    'http://private192.example/',
    'http://cgnat.example/',
    'http://v6loop.example/',
    'http://ula.example/',
    'http://linklocal6.example/',
    'http://mapped.example/',
    'http://mixed.example/',
    'http://multicast.example/',
    'file:///etc/passwd',
    'gopher://public.example/',
    'http://does-not-resolve.example/',
  ])('refuses %s', async (url) => {
    const localhostResolver: Resolver = async (h) => (h === 'localhost' ? ['127.0.0.1', '::1'] : resolve(h));
    await expect(checkOutboundUrl(url, { policy: DENY, resolve: localhostResolver })).rejects.toBeInstanceOf(OutboundRefused);
  });

  it('names the setting to change', async () => {
    await expect(checkOutboundUrl('http://10.0.0.1/', { policy: DENY, resolve })).rejects.toThrow(/10\.0\.0\.1\/32 to FIREBREAK_OUTBOUND_ALLOW/);
    await expect(checkOutboundUrl('http://hooks.internal/', { policy: DENY, resolve })).rejects.toThrow(/FIREBREAK_OUTBOUND_ALLOW/);
  });

  it('allows public destinations and connects to the address it checked', async () => {
    const d = await checkOutboundUrl('https://public.example/hook', { policy: DENY, resolve });
    expect(d.address).toBe('93.184.216.34');
  });

  it('lets the admin allow-list open CIDRs and host names', async () => {
    const { policy, problems } = parseOutboundAllow('127.0.0.1/32, 10.0.0.0/8 *.corp.example hooks.internal');
    expect(problems).toEqual([]);
    expect((await checkOutboundUrl('http://127.0.0.1:9/x', { policy, resolve })).address).toBe('127.0.0.1');
    expect((await checkOutboundUrl('http://hooks.internal/', { policy, resolve })).address).toBe('10.9.9.9');
    await expect(checkOutboundUrl('http://192.168.1.1/', { policy, resolve })).rejects.toBeInstanceOf(OutboundRefused);
    expect(parseOutboundAllow('10.0.0.0/33, ???').problems).toHaveLength(2);
  });

  it('parses every numeric IPv4 spelling the same way', () => {
    for (const s of ['127.0.0.1', '2130706433', '0x7f000001', '0177.0.0.1', '127.1', '127.0.1']) expect(parseIp(s)).toEqual({ family: 4, bytes: [127, 0, 0, 1] });
    expect(parseIp('::ffff:127.0.0.1')).toEqual(parseIp('::ffff:7f00:1'));
    expect(parseIp('256.1.1.1')).toBeNull();
  });

  it('never connects to a refused address, even when DNS changes its answer (rebinding)', async () => {
    const connects: string[] = [];
    let calls = 0;
    // 127.0.0.2 stands in for a permitted address so nothing leaves the machine.
    const { policy } = parseOutboundAllow('127.0.0.2/32');
    const rebinding: Resolver = async () => (calls++ === 0 ? ['127.0.0.2'] : ['10.0.0.1']);
    // First answer permitted: the request connects to that checked address, never asks DNS again.
    await postGuarded('http://rebind.example:9/', { headers: {}, body: '' }, { policy, resolve: rebinding, timeoutMs: 200, onConnect: (a) => connects.push(a) }).catch(() => {});
    expect(connects).toEqual(['127.0.0.2']);
    expect(calls).toBe(1);
    // Second answer private: refused before any connect.
    await expect(postGuarded('http://rebind.example:9/', { headers: {}, body: '' }, { policy, resolve: rebinding, timeoutMs: 200, onConnect: (a) => connects.push(a) })).rejects.toBeInstanceOf(OutboundRefused);
    expect(connects).toEqual(['127.0.0.2']);
  });

  it('shares one lookup between sends that start together, and looks up again for the next send', async () => {
    const connects: string[] = [];
    let calls = 0;
    const { policy } = parseOutboundAllow('127.0.0.2/32');
    const counting: Resolver = async () => {
      calls += 1;
      await new Promise((r) => setTimeout(r, 5));
      return calls === 1 ? ['127.0.0.2'] : ['10.0.0.1'];
    };
    const deps = { policy, resolve: counting, timeoutMs: 200, onConnect: (a: string) => connects.push(a) };
    await Promise.all(Array.from({ length: 5 }, () => postGuarded('http://burst.example:9/', { headers: {}, body: '' }, deps).catch(() => {})));
    expect(calls).toBe(1);
    expect(connects).toEqual(Array(5).fill('127.0.0.2'));
    // Not a cache: the next send checks DNS again and is refused on the new, private answer.
    await expect(postGuarded('http://burst.example:9/', { headers: {}, body: '' }, deps)).rejects.toBeInstanceOf(OutboundRefused);
    expect(calls).toBe(2);
  });
});
