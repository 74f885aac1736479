import { randomUUID } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { findSenderAlert, findSenderRequest } from '../../domain/alerts/sender-reads.js';
import type { AlertLookup, IngestReply } from '../../domain/alerts/signal.js';
import { opsgenieError } from '../../ingest/opsgenie/map.js';
import { opsgenieAlert, opsgenieRequestStatus } from '../../ingest/opsgenie/reads.js';
import type { AppDeps } from '../app.js';

/**
 * Opsgenie's read endpoints, authenticated by the integration's GenieKey like its writes (the
 * ingest context's onRequest hook admits the key before a handler runs): `GET /v2/alerts/{id}`
 * and `GET /v2/alerts/requests/{requestId}`, in Opsgenie's shapes, 404 in its error shape.
 */

const LOOKUPS: Record<string, AlertLookup> = { id: 'alert-id', tiny: 'tiny-id', alias: 'dedup-key' };

/** The answer to an accepted write names its stored request, which the requests endpoint reads. */
export function withOpsgenieRequestId(reply: IngestReply, requestId: string): IngestReply {
  const body = reply.body as Record<string, unknown> | null;
  return body && typeof body === 'object' && 'requestId' in body ? { ...reply, body: { ...body, requestId } } : reply;
}

export function registerOpsgenieReads(
  ingest: FastifyInstance,
  deps: AppDeps,
  routeConfig: { config: unknown },
  fail: (req: FastifyRequest, reply: FastifyReply, error: unknown) => FastifyReply,
): void {
  const send = (reply: FastifyReply, answer: IngestReply): FastifyReply => reply.code(answer.status).type('application/json').send(JSON.stringify(answer.body));
  const took = (start: number): number => Math.round((performance.now() - start)) / 1000;

  ingest.get('/v2/alerts/requests/:requestId', { ...(routeConfig as object) }, async (req, reply) => {
    const start = performance.now();
    try {
      const { requestId } = req.params as { requestId: string };
      const raw = await findSenderRequest(deps.store.db, req.ingestIntegration!.id, requestId);
      if (!raw) return send(reply, opsgenieError(404, 'Request not found. It might not be processed, yet.', randomUUID(), took(start)));
      return send(reply, { status: 200, body: { data: opsgenieRequestStatus(raw), took: took(start), requestId: randomUUID() } });
    } catch (error) {
      return fail(req, reply, error);
    }
  });

  ingest.get('/v2/alerts/:identifier', { ...(routeConfig as object) }, async (req, reply) => {
    const start = performance.now();
    try {
      const { identifier } = req.params as { identifier: string };
      const type = (req.query as { identifierType?: string }).identifierType ?? 'id';
      const lookup = LOOKUPS[type];
      if (!lookup) return send(reply, opsgenieError(422, 'identifierType: must be one of id, tiny, alias', randomUUID(), took(start)));
      const row = await findSenderAlert(deps.store.db, req.ingestIntegration!.id, identifier, lookup);
      if (!row) return send(reply, opsgenieError(404, `Alert with ${type === 'alias' ? 'alias' : 'id'} [${identifier}] does not exist`, randomUUID(), took(start)));
      return send(reply, { status: 200, body: { data: opsgenieAlert(row), took: took(start), requestId: randomUUID() } });
    } catch (error) {
      return fail(req, reply, error);
    }
  });
}
