import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Logger } from '../core/logger.js';

/**
 * The access log: one `http` info line per answered request with the method, the route pattern
 * (not the URL: an ingest key in a path like /ingest/alertmanager/<key> must never be written),
 * the status, the time taken, the request id, and which credential it was: the integration id
 * for ingest, the API key id or user id for the API. Never a key, token, cookie or query string.
 * The field is called `credential` because the logger redacts fields whose names look secret.
 */
export function logAccess(log: Logger, req: FastifyRequest, reply: FastifyReply): void {
  const actor = req.auth?.actor;
  const credential = req.ingestIntegration ? `integration:${req.ingestIntegration.id}`
    : actor?.type === 'apiKey' ? `apikey:${actor.id}`
    : actor?.type === 'user' ? `user:${actor.id}`
    : undefined;
  log.info('http', 'request', {
    method: req.method,
    route: req.routeOptions.url ?? 'unmatched',
    status: reply.statusCode,
    ms: Math.round(reply.elapsedTime * 10) / 10,
    requestId: req.id,
    ...(credential ? { credential } : {}),
  });
}
