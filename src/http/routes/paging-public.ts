import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError, isAppError } from '../../core/errors.js';
import { storableJson } from '../../core/storable-text.js';
import type { UserRole } from '../../core/actor.js';
import type { Ctx } from '../../domain/context.js';
import { changeIncidentStatus } from '../../domain/incidents/change-incident-status.js';
import { boundedWindow, renderScheduleIcal, renderUserIcal, shiftsBetween } from '../../domain/oncall/index.js';
import { verifyFeedToken, type LinkClaims, type LinkSigner } from '../../domain/paging/ack-token.js';
import { loadSchedule, loadSchedules } from '../../domain/paging/schedules-repo.js';
import { verifySlackRequest } from '../../notify/slack/verify.js';
import { route, type RouteTable } from '../route.js';

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/**
 * The one-click pages are opened on a phone, often at night, from an e-mail or a push: one column,
 * large type and a full-width button, light and dark, no script, and a way on to the incident.
 */
const PAGE_STYLE = `:root{color-scheme:light dark;--fg:#1b1b1f;--muted:#5b5b66;--card:#fff;--bg:#f3f3f6;--line:#d9d9e0;--accent:#b3261e}
@media (prefers-color-scheme:dark){:root{--fg:#ececf1;--muted:#a5a5b0;--card:#1f1f25;--bg:#131317;--line:#34343c;--accent:#ff8a80}}
*{box-sizing:border-box}body{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;margin:0;background:var(--bg);color:var(--fg);line-height:1.5}
main{max-width:30rem;margin:0 auto;padding:2rem 1rem}.card{background:var(--card);border:1px solid var(--line);border-radius:12px;padding:1.25rem 1.25rem 1.5rem}
.brand{font-weight:600;color:var(--muted);font-size:.9rem;margin:0 0 1rem}h1{font-size:1.35rem;margin:0 0 .75rem;line-height:1.3}
.sev{display:inline-block;font-weight:700;font-size:.8rem;padding:.1rem .5rem;border-radius:999px;border:1px solid var(--accent);color:var(--accent);margin-right:.4rem;vertical-align:.1em}
.title{font-size:1.05rem;margin:0 0 .5rem}.muted{color:var(--muted);margin:0 0 1.25rem}
button{display:block;width:100%;font:inherit;font-size:1.15rem;font-weight:600;padding:.85rem 1rem;border:0;border-radius:10px;background:var(--accent);color:#fff;cursor:pointer;min-height:48px}
@media (prefers-color-scheme:dark){button{color:#131317}}
a.open{display:block;text-align:center;margin-top:1rem;color:inherit;font-weight:500}`;

function page(title: string, body: string, incidentUrl?: string): string {
  const open = incidentUrl ? `<a class="open" href="${esc(incidentUrl)}">Open the incident in Firebreak</a>` : '';
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><meta name="robots" content="noindex"><title>${esc(title)}</title>
<style>${PAGE_STYLE}</style></head><body><main><div class="card"><p class="brand">Firebreak</p>${body}${open}</div></main></body></html>`;
}

const DAY = 86_400_000;
/**
 * Rotation turns a feed request computes: 30 days back and 90 ahead of ordinary rotations fit
 * with room to spare; a schedule of very short shifts gets a narrower window around now (60 s
 * shifts × 5 layers took 5.7 s per feed request, on a URL that needs only a token).
 */
const ICAL_TURNS = 2_000;

/**
 * Routes reached without a session: one-click ack/resolve links, Slack interactions and the
 * calendar feeds. Each carries its own proof (a signed token, Slack's request signature, a feed
 * MAC) instead of a cookie or API key. Links never act on GET: mail scanners and chat unfurlers
 * fetch them; the GET shows a confirm button that POSTs.
 */
export function registerPagingPublicRoutes(
  app: FastifyInstance,
  table: RouteTable,
  buildCtx: (req: FastifyRequest) => Ctx,
  deps: { links: LinkSigner; keys: { feed: string }; slackSigningSecret?: string | undefined; publicUrl: string },
): void {
  const incidentUrl = (number: number): string => `${deps.publicUrl.replace(/\/+$/, '')}/incidents/${number}`;

  /** Acts as the user the link was made for; refuses disabled users. */
  async function actOnLink(ctx: Ctx, claims: LinkClaims, note: string): Promise<{ ok: boolean; message: string }> {
    const user = await ctx.store.db.selectFrom('users').select(['id', 'name', 'role', 'disabled']).where('id', '=', claims.userId).executeTakeFirst();
    if (!user || user.disabled) return { ok: false, message: 'The user this link was sent to no longer exists or is disabled.' };
    const asUser: Ctx = { ...ctx, actor: { type: 'user', id: user.id, name: user.name, role: user.role as UserRole } };
    try {
      const inc = await changeIncidentStatus({ ctx: asUser, input: { incident: claims.incidentId, event: claims.action, note } });
      return { ok: true, message: `Incident #${inc.number} is now ${inc.status}.` };
    } catch (e) {
      if (isAppError(e) && (e.code === 'CONFLICT' || e.code === 'NOT_FOUND' || e.code === 'FORBIDDEN')) return { ok: false, message: e.message };
      throw e;
    }
  }

  app.register(async (scope) => {
    // Form posts (the confirm page, ntfy actions, Slack) arrive urlencoded; keep the raw text,
    // Slack's signature is over the exact bytes.
    scope.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_req, body, done) => done(null, body));
    const r = <B, Q>(spec: Parameters<typeof route<B, Q>>[2]) => route(scope, table, spec, buildCtx);

    r({
      method: 'GET', url: '/ack/:token', tag: 'paging', access: 'public', summary: 'Confirm page of a one-click acknowledge/resolve link (does not act).',
      handler: async ({ ctx, params, reply }) => {
        reply.header('cache-control', 'no-store').type('text/html; charset=utf-8');
        const claims = deps.links.verify(params.token!, ctx.clock.now());
        if ('error' in claims) return reply.code(400).send(page('Link not valid', `<h1>Link not valid</h1><p>${esc(claims.error)}</p>`));
        const inc = await ctx.store.db.selectFrom('incidents').select(['number', 'title', 'status', 'severity']).where('id', '=', claims.incidentId).executeTakeFirst();
        if (!inc) return reply.code(404).send(page('Not found', '<h1>Incident not found</h1>'));
        const verb = claims.action === 'acknowledge' ? 'Acknowledge' : 'Resolve';
        return reply.send(page(`${verb} #${inc.number}`, `<h1>${verb} incident #${inc.number}?</h1><p class="title"><span class="sev">${esc(inc.severity)}</span>${esc(inc.title)}</p><p class="muted">Status now: ${esc(inc.status)}</p>
<form method="post"><button type="submit">${verb}</button></form>`, incidentUrl(inc.number)));
      },
    });
    r({
      method: 'POST', url: '/ack/:token', tag: 'paging', access: 'public', summary: 'Acknowledge or resolve from a signed link.',
      handler: async ({ ctx, params, raw, reply }) => {
        reply.header('cache-control', 'no-store');
        const claims = deps.links.verify(params.token!, ctx.clock.now());
        const wantsHtml = (raw.headers.accept ?? '').includes('text/html') || raw.headers['content-type']?.startsWith('application/x-www-form-urlencoded');
        const answer = (status: number, title: string, message: string, url?: string) =>
          wantsHtml ? reply.code(status).type('text/html; charset=utf-8').send(page(title, `<h1>${esc(title)}</h1><p class="muted">${esc(message)}</p>`, url)) : reply.code(status).send({ ok: status < 300, message, ...(url ? { incidentUrl: url } : {}) });
        if ('error' in claims) return answer(400, 'Link not valid', claims.error);
        const result = await actOnLink(ctx, claims, 'via one-click link');
        const inc = await ctx.store.db.selectFrom('incidents').select('number').where('id', '=', claims.incidentId).executeTakeFirst();
        return answer(result.ok ? 200 : 409, result.ok ? 'Done' : 'Nothing to do', result.message, inc ? incidentUrl(inc.number) : undefined);
      },
    });

    r({
      method: 'POST', url: '/integrations/slack/interactions', tag: 'paging', access: 'public', summary: 'Slack interactivity endpoint (buttons on paging messages); verified with Slack request signing.',
      handler: async ({ ctx, raw, reply }) => {
        // Not configured is not an outage: a 503 would tell Slack (and monitors) to retry forever.
        if (!deps.slackSigningSecret) throw new AppError('NOT_FOUND', 'Slack interactions are not configured on this server: set FIREBREAK_SLACK_SIGNING_SECRET');
        const rawBody = typeof raw.body === 'string' ? raw.body : '';
        const header = (n: string) => { const v = raw.headers[n]; return Array.isArray(v) ? v[0] : v; };
        const check = verifySlackRequest(deps.slackSigningSecret, { timestamp: header('x-slack-request-timestamp'), signature: header('x-slack-signature') }, rawBody, Math.floor(ctx.clock.now() / 1000));
        if (!check.ok) throw new AppError('UNAUTHORIZED', `Slack signature check failed: ${check.reason}`);
        let payload: { type?: string; user?: { username?: string; name?: string }; actions?: { action_id?: string; value?: string }[] };
        try {
          payload = storableJson(JSON.parse(new URLSearchParams(rawBody).get('payload') ?? ''));
        } catch {
          throw new AppError('VALIDATION', 'payload: is not JSON', { issues: [{ field: 'payload', message: 'is not JSON' }] });
        }
        const action = payload.actions?.find((a) => a.action_id === 'firebreak_ack' || a.action_id === 'firebreak_resolve');
        if (!action?.value) return reply.code(200).send({ text: 'Nothing to do.' });
        const claims = deps.links.verify(action.value, ctx.clock.now());
        if ('error' in claims) return reply.code(200).send({ response_type: 'ephemeral', text: claims.error });
        const who = payload.user?.username ?? payload.user?.name ?? 'someone';
        const result = await actOnLink(ctx, claims, `via Slack by @${who}`);
        return reply.code(200).send({ response_type: 'ephemeral', replace_original: false, text: result.message });
      },
    });

    const ical = (reply: FastifyReply, body: string) =>
      reply.header('cache-control', 'private, max-age=300').type('text/calendar; charset=utf-8').send(body);
    const host = new URL(deps.publicUrl).hostname || 'firebreak';

    r({
      method: 'GET', url: '/ical/schedules/:file', tag: 'schedules', access: 'public', summary: 'iCalendar feed of a schedule (…/sch_x.ics?token=…).',
      handler: async ({ ctx, params, raw, reply }) => {
        const id = params.file!.replace(/\.ics$/, '');
        const token = String((raw.query as Record<string, unknown>).token ?? '');
        if (!verifyFeedToken(deps.keys.feed, 'schedule', id, token)) throw new AppError('NOT_FOUND', 'no such feed');
        const s = await loadSchedule(ctx.store.db, id);
        const now = ctx.clock.now();
        const users = Object.fromEntries((await ctx.store.db.selectFrom('users').select(['id', 'name']).execute()).map((u) => [u.id, u.name]));
        const window = boundedWindow(s, now - 30 * DAY, now + 90 * DAY, now, ICAL_TURNS);
        return ical(reply, renderScheduleIcal({ id: s.id, name: s.name, timeZone: s.timeZone }, shiftsBetween(s, window.from, window.to), { now, uidDomain: host, userNames: users, urlFor: () => `${deps.publicUrl}/schedules/${s.id}` }));
      },
    });
    r({
      method: 'GET', url: '/ical/users/:file', tag: 'schedules', access: 'public', summary: "iCalendar feed of one user's shifts across schedules.",
      handler: async ({ ctx, params, raw, reply }) => {
        const id = params.file!.replace(/\.ics$/, '');
        const token = String((raw.query as Record<string, unknown>).token ?? '');
        if (!verifyFeedToken(deps.keys.feed, 'user', id, token)) throw new AppError('NOT_FOUND', 'no such feed');
        const user = await ctx.store.db.selectFrom('users').select(['id', 'name']).where('id', '=', id).executeTakeFirst();
        if (!user) throw new AppError('NOT_FOUND', 'no such feed');
        const now = ctx.clock.now();
        const ids = (await ctx.store.db.selectFrom('schedules').select('id').execute()).map((r) => r.id);
        const schedules = await loadSchedules(ctx.store.db, ids, now - 30 * DAY);
        const perSchedule = [...schedules.values()].map((s) => {
          const window = boundedWindow(s, now - 30 * DAY, now + 90 * DAY, now, Math.max(1, Math.floor(ICAL_TURNS / schedules.size)));
          return { schedule: { id: s.id, name: s.name }, shifts: shiftsBetween(s, window.from, window.to) };
        });
        return ical(reply, renderUserIcal(user, perSchedule, { now, uidDomain: host, urlFor: (sid) => `${deps.publicUrl}/schedules/${sid}` }));
      },
    });
  });
}
