import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FastifyInstance } from 'fastify';
import type { Logger } from '../../core/logger.js';
import type { Store } from '../../store/index.js';
import { isPublicPagePath, PublicCache, PublicHosts } from './cache.js';
import { publicFastPath } from './public-routes.js';

/**
 * What every server that answers status pages needs, the API server and the public edge alike
 * (edge-app.ts): the per-instance answer cache, the custom host names, the URL rewrite that
 * serves a custom host's page at its root, and the fast path in front of Fastify.
 */
export interface PublicSurface {
  cache: PublicCache;
  hosts: PublicHosts;
  /** Fastify's `rewriteUrl`: `/` on a page's custom host is `/status/<slug>`. */
  rewriteUrl(req: IncomingMessage): string;
  /** Puts the fast path in front of Fastify's own request listener. */
  installFastPath(app: FastifyInstance, orElse?: (req: IncomingMessage, res: ServerResponse) => boolean): void;
  /** A page changed: forget the cached answers and reload the host names. */
  changed(): Promise<void>;
}

export async function createPublicSurface(store: Store, log: Logger): Promise<PublicSurface> {
  const warn = (e: unknown) => log.warn('http', 'status page host names could not be loaded', { error: String(e) });
  const cache = new PublicCache();
  const hosts = new PublicHosts(
    async () => new Map((await store.db.selectFrom('status_pages').select(['host_name', 'slug']).where('host_name', 'is not', null).execute()).map((r) => [r.host_name!, r.slug])),
    2000,
    warn,
  );
  // Known before the first request, so a custom host is served from the start.
  await hosts.refresh().catch(warn);
  return {
    cache,
    hosts,
    rewriteUrl: (req) => {
      const url = req.url ?? '/';
      const host = (req.headers.host ?? '').split(':')[0]!.toLowerCase();
      const path = url.split('?')[0]!;
      if (!isPublicPagePath(path)) return url;
      const slug = hosts.lookup(host);
      return slug ? `/status/${slug}${path === '/' ? '' : path}` : url;
    },
    installFastPath: (app, orElse) => {
      // Public status answers already in the cache skip Fastify entirely (the outage-day herd).
      const fast = publicFastPath(cache, (host) => hosts.lookup(host));
      const fastifyHandlers = app.server.listeners('request') as ((req: IncomingMessage, res: ServerResponse) => void)[];
      app.server.removeAllListeners('request');
      app.server.on('request', (req: IncomingMessage, res: ServerResponse) => {
        if (fast(req, res) || orElse?.(req, res)) return;
        for (const h of fastifyHandlers) h(req, res);
      });
    },
    changed: async () => {
      cache.clear();
      await hosts.refresh().catch(warn);
    },
  };
}
