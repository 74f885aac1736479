import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import Fastify, { type FastifyInstance, type FastifyRequest } from 'fastify';
import { systemActor } from '../../core/actor.js';
import type { Clock } from '../../core/clock.js';
import type { Logger } from '../../core/logger.js';
import type { Ctx } from '../../domain/context.js';
import type { Store } from '../../store/index.js';
import { DEFAULT_HTTP_LIMITS, fastifyConnectionOptions, type HttpLimits } from '../connection-limits.js';
import { errorHandler } from '../errors.js';
import { RouteTable } from '../route.js';
import { publicCacheKey, registerPublicRoutes } from './public-routes.js';
import { createPublicSurface, type PublicSurface } from './public-surface.js';

export interface EdgeDeps {
  store: Store;
  clock: Clock;
  log: Logger;
  publicUrl: string;
  /** The instance's main listener: everything the edge does not answer itself goes there. */
  upstream: URL;
  httpLimits?: HttpLimits;
}

/**
 * The public edge (FIREBREAK_PUBLIC_PORT): the status pages' GETs (HTML, Statuspage JSON, feeds)
 * answered on a listener of their own, run by a thread of their own (edge-thread.ts), so an
 * outage-day herd of readers never queues in front of alerts and pages on the main event loop.
 * It reads the same database; anything else (subscribe forms, the API, the UI) is passed to the
 * main listener unchanged.
 */
export async function buildEdgeApp(deps: EdgeDeps): Promise<{ app: FastifyInstance; surface: PublicSurface }> {
  const surface = await createPublicSurface(deps.store, deps.log);
  let reqCounter = 0;
  const app = Fastify({
    logger: false,
    genReqId: () => `req_edge${(reqCounter++).toString(36)}`,
    forceCloseConnections: true,
    rewriteUrl: (req) => surface.rewriteUrl(req),
    ...fastifyConnectionOptions(deps.httpLimits ?? DEFAULT_HTTP_LIMITS),
  });
  // Answered here: GET/HEAD of a public page (a cache hit by the fast path, a miss by the routes).
  // Everything else is the main listener's.
  surface.installFastPath(app, (req, res) => {
    if ((req.method === 'GET' || req.method === 'HEAD') && isPublicRead(req, surface)) return false;
    passUpstream(req, res, deps.upstream, deps.log);
    return true;
  });
  app.setErrorHandler(errorHandler(deps));
  const buildCtx = (req: FastifyRequest): Ctx => ({ actor: systemActor('anonymous'), clock: deps.clock, log: deps.log, requestId: req.id, store: deps.store });
  registerPublicRoutes(app, new RouteTable(), buildCtx, { store: deps.store, clock: deps.clock, publicUrl: deps.publicUrl, cache: surface.cache });
  return { app, surface };
}

function isPublicRead(req: IncomingMessage, surface: PublicSurface): boolean {
  const url = surface.rewriteUrl(req);
  const q = url.indexOf('?');
  return publicCacheKey(q === -1 ? url : url.slice(0, q), '') !== null;
}

/** The request as it came, to the main listener; its answer as it comes back. */
function passUpstream(req: IncomingMessage, res: ServerResponse, upstream: URL, log: Logger): void {
  const peer = req.socket.remoteAddress ?? '';
  const forwarded = req.headers['x-forwarded-for'];
  const headers = { ...req.headers, 'x-forwarded-for': forwarded ? `${String(forwarded)}, ${peer}` : peer };
  const up = http.request({ host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers }, (answer) => {
    res.writeHead(answer.statusCode ?? 502, answer.headers);
    answer.pipe(res);
  });
  up.on('error', (e) => {
    log.warn('http', 'the public edge could not reach the main listener', { error: String(e) });
    if (!res.headersSent) res.writeHead(502, { 'content-type': 'application/json' }).end(JSON.stringify({ code: 'UNAVAILABLE', message: 'the main listener did not answer; try again' }));
    else res.destroy();
  });
  req.pipe(up);
}
