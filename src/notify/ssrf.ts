import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { AppError } from '../core/errors.js';

/**
 * The SSRF guard for every outgoing notification (webhook, Slack, ntfy). Anyone who may save a
 * contact method could otherwise make the server call its own admin ports, the cloud metadata
 * service or the office network (Grafana OnCall CVE-2024-5526). The rules:
 *
 * - http and https only;
 * - the host is resolved here, EVERY address is checked, and the request then connects to the
 *   checked address (see http-transport.ts), so DNS rebinding between check and connect fails;
 * - loopback, private, link-local, CGNAT, benchmarking, documentation, multicast, reserved and
 *   IPv4-mapped/compatible IPv6 forms are refused; numeric host spellings (2130706433,
 *   0x7f.1, 0177.0.0.1) are normalised before the check;
 * - an admin allow-list (`FIREBREAK_OUTBOUND_ALLOW`: CIDRs and host names) lets self-hosters page
 *   internal receivers on purpose. The error names that setting.
 *
 * It runs when a contact method is saved and again before every send.
 */

export const ALLOW_SETTING = 'FIREBREAK_OUTBOUND_ALLOW';

export type IpAddress = { family: 4; bytes: number[] } | { family: 6; bytes: number[] };

interface Cidr {
  family: 4 | 6;
  bytes: number[];
  prefix: number;
}

export interface OutboundPolicy {
  cidrs: Cidr[];
  /** Exact host names, or suffixes written `*.example.com`. Lower case. */
  hosts: string[];
}

export type Resolver = (host: string) => Promise<string[]>;

export const systemResolver: Resolver = async (host) => (await lookup(host, { all: true, verbatim: true })).map((a) => a.address);

export const DENY_ALL_PRIVATE: OutboundPolicy = { cidrs: [], hosts: [] };

/** One IPv4 part as inet_aton reads it: decimal, 0-prefixed octal or 0x hex. */
function parseV4Part(part: string): number | null {
  if (part === '') return null;
  let value: number;
  if (/^0x[0-9a-f]*$/i.test(part)) value = part.length === 2 ? 0 : parseInt(part.slice(2), 16);
  else if (/^0[0-7]+$/.test(part)) value = parseInt(part.slice(1), 8);
  else if (/^(0|[1-9][0-9]*)$/.test(part)) value = Number(part);
  else return null;
  return Number.isSafeInteger(value) ? value : null;
}

/**
 * IPv4 in every spelling resolvers and URL parsers accept: `127.0.0.1`, `2130706433`,
 * `0x7f000001`, `0177.0.0.1`, `127.1`, `127.0.1`. Returns null for anything else.
 */
export function parseIpv4Loose(text: string): number[] | null {
  const parts = text.replace(/\.$/, '').split('.');
  if (parts.length < 1 || parts.length > 4) return null;
  const nums = parts.map(parseV4Part);
  if (nums.some((n) => n === null)) return null;
  const values = nums as number[];
  const last = values[values.length - 1]!;
  const head = values.slice(0, -1);
  if (head.some((n) => n > 255)) return null;
  if (last >= 256 ** (5 - values.length)) return null;
  const bytes = [...head];
  const tailBytes = 4 - head.length;
  for (let i = tailBytes - 1; i >= 0; i -= 1) bytes.push(Math.floor(last / 256 ** i) % 256);
  return bytes;
}

function parseIpv6(text: string): number[] | null {
  let s = text.replace(/^\[|\]$/g, '');
  const zone = s.indexOf('%');
  if (zone >= 0) s = s.slice(0, zone);
  if (isIP(s) !== 6) return null;
  // An embedded dotted IPv4 tail (::ffff:127.0.0.1) becomes two hex words.
  const lastColon = s.lastIndexOf(':');
  const tail = s.slice(lastColon + 1);
  if (tail.includes('.')) {
    const v4 = parseIpv4Loose(tail);
    if (!v4) return null;
    s = `${s.slice(0, lastColon + 1)}${((v4[0]! << 8) | v4[1]!).toString(16)}:${((v4[2]! << 8) | v4[3]!).toString(16)}`;
  }
  const halves = s.split('::');
  if (halves.length > 2) return null;
  const parse = (p: string) => (p === '' ? [] : p.split(':').map((h) => parseInt(h, 16)));
  const left = parse(halves[0] ?? '');
  const words = halves.length === 2 ? (() => {
    const right = parse(halves[1] ?? '');
    return [...left, ...new Array<number>(Math.max(0, 8 - left.length - right.length)).fill(0), ...right];
  })() : left;
  if (words.length !== 8 || words.some((w) => Number.isNaN(w) || w < 0 || w > 0xffff)) return null;
  return words.flatMap((w) => [w >> 8, w & 0xff]);
}

/** Parses an IP literal (IPv6 with or without brackets, IPv4 in any numeric spelling). */
export function parseIp(text: string): IpAddress | null {
  const t = text.trim().toLowerCase();
  if (t.includes(':')) {
    const bytes = parseIpv6(t);
    return bytes ? { family: 6, bytes } : null;
  }
  const v4 = parseIpv4Loose(t);
  return v4 ? { family: 4, bytes: v4 } : null;
}

export function formatIp(ip: IpAddress): string {
  if (ip.family === 4) return ip.bytes.join('.');
  const words: string[] = [];
  for (let i = 0; i < 16; i += 2) words.push(((ip.bytes[i]! << 8) | ip.bytes[i + 1]!).toString(16));
  return words.join(':');
}

function inCidr(ip: IpAddress, cidr: Cidr): boolean {
  if (ip.family !== cidr.family) return false;
  let bits = cidr.prefix;
  for (let i = 0; bits > 0; i += 1, bits -= 8) {
    const mask = bits >= 8 ? 0xff : (0xff << (8 - bits)) & 0xff;
    if ((ip.bytes[i]! & mask) !== (cidr.bytes[i]! & mask)) return false;
  }
  return true;
}

export function parseCidr(text: string): Cidr | null {
  const [addr = '', prefixText] = text.trim().split('/');
  const ip = addr.includes(':') ? parseIp(addr) : isIP(addr) === 4 ? parseIp(addr) : null;
  if (!ip) return null;
  const max = ip.family === 4 ? 32 : 128;
  const prefix = prefixText === undefined ? max : /^\d{1,3}$/.test(prefixText) ? Number(prefixText) : NaN;
  if (!(prefix >= 0 && prefix <= max)) return null;
  return { family: ip.family, bytes: ip.bytes, prefix };
}

const BLOCKED: [string, string][] = [
  ['0.0.0.0/8', '"this network"'],
  ['10.0.0.0/8', 'private (RFC 1918)'],
  ['100.64.0.0/10', 'carrier-grade NAT (RFC 6598)'],
  ['127.0.0.0/8', 'loopback'],
  ['169.254.0.0/16', 'link-local (cloud metadata lives here)'],
  ['172.16.0.0/12', 'private (RFC 1918)'],
  ['192.0.0.0/24', 'IETF protocol assignments'],
  ['192.0.2.0/24', 'documentation'],
  ['192.88.99.0/24', '6to4 relay'],
  ['192.168.0.0/16', 'private (RFC 1918)'],
  ['198.18.0.0/15', 'benchmarking'],
  ['198.51.100.0/24', 'documentation'],
  ['203.0.113.0/24', 'documentation'],
  ['224.0.0.0/4', 'multicast'],
  ['240.0.0.0/4', 'reserved'],
  ['::/128', 'unspecified'],
  ['::1/128', 'loopback'],
  ['::ffff:0:0/96', 'IPv4-mapped IPv6'],
  ['::/96', 'IPv4-compatible IPv6'],
  ['64:ff9b::/96', 'NAT64'],
  ['64:ff9b:1::/48', 'NAT64 (local)'],
  ['100::/64', 'discard'],
  ['2001::/32', 'Teredo'],
  ['2001:db8::/32', 'documentation'],
  ['2002::/16', '6to4'],
  ['fc00::/7', 'unique local (private)'],
  ['fe80::/10', 'link-local'],
  ['fec0::/10', 'site-local'],
  ['ff00::/8', 'multicast'],
];

const BLOCKED_CIDRS = BLOCKED.map(([cidr, why]) => ({ cidr: parseCidr(cidr)!, why }));

/** Why an address may not be reached, or null when it is public. */
export function forbiddenReason(ip: IpAddress): string | null {
  for (const { cidr, why } of BLOCKED_CIDRS) if (inCidr(ip, cidr)) return why;
  return null;
}

/** `10.0.0.0/8, hooks.internal, *.corp.example` → policy; problems name the bad entries. */
export function parseOutboundAllow(text: string): { policy: OutboundPolicy; problems: string[] } {
  const policy: OutboundPolicy = { cidrs: [], hosts: [] };
  const problems: string[] = [];
  for (const raw of text.split(/[\s,]+/).map((s) => s.trim()).filter(Boolean)) {
    const looksLikeIp = raw.includes('/') || raw.includes(':') || /^[0-9.]+$/.test(raw);
    if (looksLikeIp) {
      const cidr = parseCidr(raw);
      if (cidr) policy.cidrs.push(cidr);
      else problems.push(`${ALLOW_SETTING}: '${raw}' is not a valid CIDR or address`);
    } else if (/^(\*\.)?[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$/i.test(raw)) {
      policy.hosts.push(raw.toLowerCase());
    } else {
      problems.push(`${ALLOW_SETTING}: '${raw}' is neither a CIDR nor a host name`);
    }
  }
  return { policy, problems };
}

function hostAllowed(host: string, policy: OutboundPolicy): boolean {
  const h = host.toLowerCase().replace(/\.$/, '');
  return policy.hosts.some((entry) => (entry.startsWith('*.') ? h.endsWith(entry.slice(1)) : h === entry));
}

function addressAllowed(ip: IpAddress, policy: OutboundPolicy): boolean {
  return policy.cidrs.some((c) => inCidr(ip, c));
}

export class OutboundRefused extends AppError {
  constructor(field: string, message: string) {
    super('VALIDATION', `${field}: ${message}`, { issues: [{ field, message }] });
    this.name = 'OutboundRefused';
  }
}

export interface CheckedDestination {
  url: URL;
  /** The address to connect to: the one that was checked. */
  address: string;
  family: 4 | 6;
}

/**
 * Checks a URL before a request: scheme, host, every resolved address. Returns the address to
 * connect to; throws OutboundRefused (a VALIDATION error naming `field`) otherwise.
 */
export async function checkOutboundUrl(
  raw: string,
  options: { policy: OutboundPolicy; resolve?: Resolver; field?: string },
): Promise<CheckedDestination> {
  const field = options.field ?? 'address';
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new OutboundRefused(field, 'is not a valid URL');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new OutboundRefused(field, `scheme ${url.protocol} is not allowed; use http or https`);
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (host === '') throw new OutboundRefused(field, 'has no host');
  const fix = (what: string) =>
    `an admin can allow it by adding ${what} to ${ALLOW_SETTING}`;
  // The WHATWG parser already turned 2130706433 or 0x7f.1 into dotted form; parse loosely anyway.
  const literal = isIP(host) ? parseIp(host) : /^[0-9a-fx.]+$/i.test(host) ? parseIp(host) : null;
  if (literal) {
    const why = forbiddenReason(literal);
    if (why && !addressAllowed(literal, options.policy)) {
      throw new OutboundRefused(field, `${formatIp(literal)} is a ${why} address, which notifications may not reach; ${fix(`${formatIp(literal)}/${literal.family === 4 ? 32 : 128}`)}`);
    }
    return { url, address: formatIp(literal), family: literal.family };
  }
  const allowedByName = hostAllowed(host, options.policy);
  let addresses: string[];
  try {
    addresses = await (options.resolve ?? systemResolver)(host);
  } catch (e) {
    throw new OutboundRefused(field, `host ${host} does not resolve (${(e as { code?: string }).code ?? 'lookup failed'})`);
  }
  if (addresses.length === 0) throw new OutboundRefused(field, `host ${host} does not resolve`);
  let first: { address: string; family: 4 | 6 } | null = null;
  for (const a of addresses) {
    const ip = parseIp(a);
    if (!ip) throw new OutboundRefused(field, `host ${host} resolved to an unparseable address`);
    const why = forbiddenReason(ip);
    if (why && !allowedByName && !addressAllowed(ip, options.policy)) {
      throw new OutboundRefused(field, `host ${host} resolves to ${formatIp(ip)}, a ${why} address, which notifications may not reach; ${fix(`the host name ${host}`)}`);
    }
    first ??= { address: formatIp(ip), family: ip.family };
  }
  return { url, address: first!.address, family: first!.family };
}
