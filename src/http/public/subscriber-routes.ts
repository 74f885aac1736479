import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError, isAppError } from '../../core/errors.js';
import type { Ctx } from '../../domain/context.js';
import { confirmSubscriber, unsubscribe } from '../../domain/subscribers/confirm-subscriber.js';
import { subscribe } from '../../domain/subscribers/subscribe.js';
import { IngestRateLimiter, type RateLimit } from '../../ingest/ingest-limits.js';
import { route, type RouteTable } from '../route.js';
import { escapeHtml as e } from './render-page.js';

/** Per client address: a few tries at once, then one every few seconds (the form sends mail). */
export const SUBSCRIBE_RATE: RateLimit = { perSecond: 0.2, burst: 10 };

const PUBLIC_CSP = "default-src 'self'; script-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

function page(title: string, body: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><meta name="robots" content="noindex"><title>${e(title)}</title>
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:32rem;margin:3rem auto;padding:0 1rem;color:#1a1a1a}button{font-size:1.1rem;padding:.6rem 1.4rem;cursor:pointer}a{color:#0b57d0}</style></head><body>${body}</body></html>`;
}

/** Form posts arrive urlencoded (`components` repeated), API clients send JSON. */
function formFields(body: unknown): Record<string, unknown> {
  if (typeof body !== 'string') return (body ?? {}) as Record<string, unknown>;
  const params = new URLSearchParams(body);
  return { email: params.get('email') ?? '', components: params.getAll('components') };
}

/**
 * The public side of subscribing, without an account: the form's POST (double opt-in: it only
 * queues a confirmation mail), the confirm link and the one-click unsubscribe (the link in every
 * mail, and RFC 8058's List-Unsubscribe POST). Links never act on GET: mail scanners fetch them;
 * the GET shows a button that POSTs. Every answer about an address is the same, whatever its
 * state, so the form cannot be used to learn who is subscribed.
 */
export function registerSubscriberPublicRoutes(app: FastifyInstance, table: RouteTable, buildCtx: (req: FastifyRequest) => Ctx, deps: { wake: (at: number) => void }): void {
  const limiter = new IngestRateLimiter();
  app.register(async (scope) => {
    scope.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_req, body, done) => done(null, body));
    const r = <B, Q>(spec: Parameters<typeof route<B, Q>>[2]) => route(scope, table, spec, buildCtx);
    const html = (reply: FastifyReply, status: number, title: string, body: string) =>
      reply.code(status).header('cache-control', 'no-store').header('content-security-policy', PUBLIC_CSP).type('text/html; charset=utf-8').send(page(title, body));
    const isForm = (raw: FastifyRequest) => typeof raw.body === 'string' || (raw.headers.accept ?? '').includes('text/html');
    const back = (slug: string) => `<p><a href="/status/${e(slug)}">Back to the status page</a></p>`;
    const tokenOf = (raw: FastifyRequest) => String((raw.query as Record<string, unknown>).token ?? '');

    r({
      method: 'POST', url: '/status/:slug/subscribe', tag: 'status pages (public)', access: 'public', noStore: true,
      summary: 'Subscribe an e-mail address to a status page (form or JSON {email, components}); sends a confirmation mail (double opt-in). Rate-limited per client address; the answer never says whether the address was already subscribed.',
      handler: async ({ ctx, params, raw, reply }) => {
        const wait = limiter.take(`subscribe:${raw.ip}`, SUBSCRIBE_RATE);
        if (wait > 0) throw new AppError('LIMIT_EXCEEDED', 'too many subscribe requests from your address; try again in a little while', { retryAfterSeconds: Math.ceil(wait) });
        const form = isForm(raw);
        try {
          const result = await subscribe({ ctx, input: { ...formFields(raw.body), page: params.slug } });
          deps.wake(ctx.clock.now());
          if (!form) return reply.code(202).send(result);
          return html(reply, 202, 'Check your inbox', `<h1>Check your inbox</h1><p>${e(result.message)}</p>${back(params.slug!)}`);
        } catch (err) {
          if (!form || !isAppError(err) || err.code !== 'VALIDATION') throw err;
          const problems = err.issues.map((i) => `<li>${e(i.field)}: ${e(i.message)}</li>`).join('');
          return html(reply, 400, 'Could not subscribe', `<h1>Could not subscribe</h1><ul>${problems}</ul>${back(params.slug!)}`);
        }
      },
    });
    r({
      method: 'GET', url: '/status/:slug/subscribe/confirm', tag: 'status pages (public)', access: 'public',
      summary: 'The confirm page of a subscription link (?token=…); shows a button, does not act.',
      handler: async ({ params, raw, reply }) => html(reply, 200, 'Confirm subscription', `<h1>Confirm your subscription</h1><p>Receive status updates of this page by e-mail.</p>
<form method="post" action="/status/${e(params.slug!)}/subscribe/confirm?token=${e(encodeURIComponent(tokenOf(raw)))}"><button type="submit">Confirm subscription</button></form>`),
    });
    r({
      method: 'POST', url: '/status/:slug/subscribe/confirm', tag: 'status pages (public)', access: 'public',
      summary: 'Confirm a subscription (?token=… from the confirmation mail).',
      handler: async ({ ctx, params, raw, reply }) => {
        try {
          const done = await confirmSubscriber({ ctx, input: { page: params.slug, token: tokenOf(raw) } });
          return html(reply, 200, 'Subscribed', `<h1>You are subscribed</h1><p>You will receive status updates of ${e(done.page)}. Every mail has a link to unsubscribe.</p>${back(params.slug!)}`);
        } catch (err) {
          if (isAppError(err) && (err.code === 'NOT_FOUND' || err.code === 'VALIDATION')) return html(reply, 404, 'Link not valid', `<h1>Link not valid</h1><p>${e(err.message)}</p>${back(params.slug!)}`);
          throw err;
        }
      },
    });
    r({
      method: 'GET', url: '/status/:slug/unsubscribe', tag: 'status pages (public)', access: 'public',
      summary: 'The unsubscribe page of the link in every subscriber mail (?token=…); shows a button, does not act.',
      handler: async ({ params, raw, reply }) => html(reply, 200, 'Unsubscribe', `<h1>Unsubscribe</h1><p>Stop receiving status updates of this page.</p>
<form method="post" action="/status/${e(params.slug!)}/unsubscribe?token=${e(encodeURIComponent(tokenOf(raw)))}"><button type="submit">Unsubscribe</button></form>`),
    });
    r({
      method: 'POST', url: '/status/:slug/unsubscribe', tag: 'status pages (public)', access: 'public',
      summary: 'One-click unsubscribe (?token=…): the button of the unsubscribe page and RFC 8058 List-Unsubscribe-Post. No account needed.',
      handler: async ({ ctx, params, raw, reply }) => {
        try {
          const done = await unsubscribe({ ctx, input: { page: params.slug, token: tokenOf(raw) } });
          return html(reply, 200, 'Unsubscribed', `<h1>You are unsubscribed</h1><p>You will receive no more status updates of ${e(done.page)}.</p>${back(params.slug!)}`);
        } catch (err) {
          if (isAppError(err) && err.code === 'VALIDATION') return html(reply, 404, 'Link not valid', `<h1>Link not valid</h1><p>${e(err.message)}</p>`);
          throw err;
        }
      },
    });
  });
}
