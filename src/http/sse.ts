import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Clock } from '../core/clock.js';
import type { Ctx } from '../domain/context.js';
import { getIncident, listTimeline } from '../domain/incidents/index.js';

const POLL_MS = 700;
const HEARTBEAT_MS = 15_000;

/**
 * Live timeline over server-sent events. Each stream polls the database for events newer than
 * the last it sent, so an event written by any instance reaches every viewer; nothing is
 * shared in memory. Event ids are ULIDs: ordered by time of writing.
 */
export async function streamTimeline(ctx: Ctx, incidentRef: string, req: FastifyRequest, reply: FastifyReply, clock: Clock): Promise<void> {
  const incident = await getIncident({ ctx, input: { incident: incidentRef } });
  const lastEventId = typeof req.headers['last-event-id'] === 'string' ? req.headers['last-event-id'] : undefined;
  let after = lastEventId ?? (await listTimeline({ ctx, input: { incident: incident.id } })).at(-1)?.id;

  reply.hijack();
  const res = reply.raw;
  res.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache, no-transform',
    connection: 'keep-alive',
    'x-accel-buffering': 'no',
  });
  res.write(`retry: 2000\n\n`);

  let closed = false;
  let lastWrite = clock.now();
  const poll = async () => {
    if (closed) return;
    try {
      const events = await listTimeline({ ctx, input: { incident: incident.id, after } });
      for (const event of events) {
        res.write(`id: ${event.id}\nevent: timeline\ndata: ${JSON.stringify(event)}\n\n`);
        after = event.id;
        lastWrite = clock.now();
      }
      if (clock.now() - lastWrite > HEARTBEAT_MS) {
        res.write(`: keep-alive\n\n`);
        lastWrite = clock.now();
      }
    } catch {
      // A passing database error: the next poll tries again; the client keeps its place.
    }
    if (!closed) timer = setTimeout(poll, POLL_MS);
  };
  let timer = setTimeout(poll, POLL_MS);
  req.raw.on('close', () => {
    closed = true;
    clearTimeout(timer);
  });
}
