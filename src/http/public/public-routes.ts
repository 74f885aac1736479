import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Clock } from '../../core/clock.js';
import { notFound } from '../../core/errors.js';
import type { Ctx } from '../../domain/context.js';
import { findPublicPage, loadPublicPage, type PublicPage } from '../../domain/statuspages/public-page.js';
import type { Store } from '../../store/index.js';
import { route, type RouteTable } from '../route.js';
import { isPublicPagePath, type CachedAnswer, type PublicCache, type ReadyAnswer } from './cache.js';
import { historyFeed } from './feeds.js';
import { renderPublicPage } from './render-page.js';
import {
  activeMaintenancesJson, componentsJson, incidentsJson, maintenancesJson, statusJson, summaryJson, unresolvedJson, upcomingMaintenancesJson,
} from './statuspage-json.js';

const PUBLIC_CSP = "default-src 'self'; script-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; frame-ancestors 'self'; base-uri 'none'; form-action 'self'";

/** Every public answer's headers but its type and ETag (the fast path and the routes send the same). */
const PUBLIC_HEADERS: Record<string, string> = {
  'content-security-policy': PUBLIC_CSP, 'cache-control': 'public, max-age=2', 'access-control-allow-origin': '*',
  'x-content-type-options': 'nosniff', 'referrer-policy': 'same-origin',
};

type Shape = (page: PublicPage, publicUrl: string) => unknown;

const JSON_ROUTES: [string, Shape, string][] = [
  ['summary.json', summaryJson, 'Statuspage-compatible summary: page, components, unresolved incidents, maintenances, status.'],
  ['status.json', statusJson, 'Statuspage-compatible top-level status {indicator, description}.'],
  ['components.json', componentsJson, 'Statuspage-compatible components with their current status.'],
  ['incidents.json', incidentsJson, 'Statuspage-compatible incidents (the 50 most recent public ones) with their updates.'],
  ['incidents/unresolved.json', unresolvedJson, 'Statuspage-compatible unresolved public incidents.'],
  ['scheduled-maintenances.json', maintenancesJson, 'Statuspage-compatible scheduled maintenances: the 50 most recent (upcoming, active, completed).'],
  ['scheduled-maintenances/upcoming.json', upcomingMaintenancesJson, 'Statuspage-compatible upcoming maintenances (status scheduled), soonest first.'],
  ['scheduled-maintenances/active.json', activeMaintenancesJson, 'Statuspage-compatible active maintenances (in_progress or verifying).'],
];

/**
 * The public status surface: HTML, Statuspage-compatible JSON and feeds of each page under
 * `/status/<slug>` (and, for a mapped custom host, at its root: see the URL rewrite in app.ts).
 * Reads the store directly, without an actor; answers come from the per-instance cache.
 */
export function registerPublicRoutes(app: FastifyInstance, table: RouteTable, buildCtx: (req: FastifyRequest) => Ctx, deps: { store: Store; clock: Clock; publicUrl: string; cache: PublicCache }): void {
  const answer = async (slug: string, key: string, make: (page: PublicPage) => CachedAnswer): Promise<ReadyAnswer> =>
    deps.cache.get(`${slug}\n${key}`, async () => {
      const row = await findPublicPage(deps.store.db, { slug });
      if (!row) throw notFound('status page', slug);
      return make(await loadPublicPage(deps.store.db, row, deps.clock.now()));
    });
  const serve = (url: string, key: string | ((req: FastifyRequest) => string), summary: string, make: (page: PublicPage, req: FastifyRequest) => CachedAnswer) =>
    route(app, table, {
      method: 'GET', url, tag: 'status pages (public)', access: 'public', summary,
      handler: async ({ params, reply, raw }) => {
        const a = await answer(params.slug!, typeof key === 'string' ? key : key(raw), (page) => make(page, raw));
        // Same CSP as the app, except that the app's own editor may frame the page (its preview).
        reply.headers(PUBLIC_HEADERS).header('etag', a.etag).type(a.type);
        if (a.status === 200 && raw.headers['if-none-match'] === a.etag) return reply.code(304).send();
        return reply.code(a.status).send(a.bytes);
      },
    }, buildCtx);

  const host = (req: FastifyRequest) => hostOf(req.headers.host);
  serve('/status/:slug', (req) => `html ${host(req)}`, 'The public status page (server-rendered HTML; works without JavaScript).', (page, req) => {
    // Served at a custom host's root, links stay on that host.
    const base = page.hostName && host(req) === page.hostName ? '' : `/status/${page.slug}`;
    return { status: 200, type: 'text/html; charset=utf-8', body: renderPublicPage(page, { base }) };
  });
  for (const [file, shape, summary] of JSON_ROUTES) {
    serve(`/status/:slug/api/v2/${file}`, file, summary, (page) => ({ status: 200, type: 'application/json; charset=utf-8', body: JSON.stringify(shape(page, deps.publicUrl)) }));
  }
  serve('/status/:slug/history.rss', 'rss', 'RSS 2.0 feed of the page\'s public incidents.', (page) => ({ status: 200, type: 'application/rss+xml; charset=utf-8', body: historyFeed(page, deps.publicUrl).rss2() }));
  serve('/status/:slug/history.atom', 'atom', 'Atom 1.0 feed of the page\'s public incidents.', (page) => ({ status: 200, type: 'application/atom+xml; charset=utf-8', body: historyFeed(page, deps.publicUrl).atom1() }));
}

const hostOf = (header: string | undefined) => (header ?? '').split(':')[0]!.toLowerCase();
const JSON_FILES = new Set(JSON_ROUTES.map(([file]) => file));

/** The cache key a public GET answers from (as the routes above make it), or null for any other path. */
export function publicCacheKey(path: string, host: string): string | null {
  const m = /^\/status\/([a-z0-9][a-z0-9-]*)(\/.*)?$/.exec(path);
  if (!m) return null;
  const [, slug, rest] = m;
  if (rest === undefined) return `${slug}\nhtml ${host}`;
  if (rest === '/history.rss') return `${slug}\nrss`;
  if (rest === '/history.atom') return `${slug}\natom`;
  const file = rest.startsWith('/api/v2/') ? rest.slice(8) : '';
  return JSON_FILES.has(file) ? `${slug}\n${file}` : null;
}

/**
 * The outage-day fast path, in front of Fastify on the raw server: a GET of a public page whose
 * answer is in the cache is written at once from its precomputed bytes (304 when the ETag
 * matches), skipping routing, hooks and serialisation. Anything else (a miss, a stale entry,
 * another path) returns false and goes to Fastify, which computes and caches the answer.
 */
export function publicFastPath(cache: PublicCache, lookupHost: (host: string) => string | undefined): (req: IncomingMessage, res: ServerResponse) => boolean {
  // Per answer, its headers as the flat [name, value, …] list `writeHead` takes as is: an object
  // built per request (spread, then walked and validated by Node) cost a third of the fast path's
  // throughput (BENCHMARKS.md, outage-day herd).
  const wire = new WeakMap<ReadyAnswer, { ok: string[]; notModified: string[] }>();
  const wireOf = (a: ReadyAnswer) => {
    let w = wire.get(a);
    if (!w) {
      const common = [...Object.entries(PUBLIC_HEADERS).flat(), 'content-type', a.type, 'etag', a.etag];
      w = { ok: [...common, 'content-length', String(a.bytes.length)], notModified: common };
      wire.set(a, w);
    }
    return w;
  };
  // `/status/…` URL and Host header as sent → cache key, remembered (bounded: both are the client's).
  const keys = new Map<string, string | null>();
  const statusKeyOf = (url: string, rawHost: string) => {
    const memo = `${rawHost}\n${url}`;
    let key = keys.get(memo);
    if (key === undefined) {
      const q = url.indexOf('?');
      key = publicCacheKey(q === -1 ? url : url.slice(0, q), hostOf(rawHost));
      if (keys.size >= 512) keys.clear();
      keys.set(memo, key);
    }
    return key;
  };
  return (req, res) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return false;
    const url = req.url ?? '/';
    let key: string | null;
    if (url.startsWith('/status/')) {
      key = statusKeyOf(url, req.headers.host ?? '');
    } else {
      // A custom host's page at its root: the host names can change, so nothing is remembered.
      const q = url.indexOf('?');
      const path = q === -1 ? url : url.slice(0, q);
      if (!isPublicPagePath(path)) return false;
      const host = hostOf(req.headers.host);
      const slug = lookupHost(host);
      if (!slug) return false;
      key = publicCacheKey(`/status/${slug}${path === '/' ? '' : path}`, host);
    }
    const a = key ? cache.peek(key) : undefined;
    if (!a || a.status !== 200) return false;
    const w = wireOf(a);
    if (req.headers['if-none-match'] === a.etag) {
      res.writeHead(304, w.notModified).end();
    } else {
      res.writeHead(200, w.ok).end(req.method === 'HEAD' ? undefined : a.bytes);
    }
    return true;
  };
}
