import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * One-click links in notifications: `<payload>.<mac>`, both base64url, payload
 * `{i: incident id, u: user id, a: action, e: expiry (epoch s)}`. HMAC-SHA256 with the server's
 * link key; a link acts as the paged user, for that incident and action only, until it expires.
 */
export type LinkAction = 'acknowledge' | 'resolve';

export interface LinkClaims {
  incidentId: string;
  userId: string;
  action: LinkAction;
  /** Epoch ms. */
  expiresAt: number;
}

export interface LinkSigner {
  sign(claims: LinkClaims): string;
  /** The claims, or why the token is refused. */
  verify(token: string, now: number): LinkClaims | { error: string };
}

export function createLinkSigner(key: string): LinkSigner {
  const mac = (payload: string) => createHmac('sha256', `firebreak-link:${key}`).update(payload).digest('base64url');
  return {
    sign(claims) {
      const payload = Buffer.from(JSON.stringify({ i: claims.incidentId, u: claims.userId, a: claims.action, e: Math.floor(claims.expiresAt / 1000) })).toString('base64url');
      return `${payload}.${mac(payload)}`;
    },
    verify(token, now) {
      const [payload, given] = token.split('.');
      if (!payload || !given || token.split('.').length !== 2) return { error: 'this link is malformed' };
      const expected = Buffer.from(mac(payload));
      const got = Buffer.from(given);
      if (got.length !== expected.length || !timingSafeEqual(got, expected)) return { error: 'this link is not valid (was it copied completely?)' };
      let body: { i?: unknown; u?: unknown; a?: unknown; e?: unknown };
      try {
        body = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
      } catch {
        return { error: 'this link is malformed' };
      }
      if (typeof body.i !== 'string' || typeof body.u !== 'string' || (body.a !== 'acknowledge' && body.a !== 'resolve') || typeof body.e !== 'number') {
        return { error: 'this link is malformed' };
      }
      if (body.e * 1000 <= now) return { error: 'this link has expired; open the incident in Firebreak instead' };
      return { incidentId: body.i, userId: body.u, action: body.a, expiresAt: body.e * 1000 };
    },
  };
}

/** Feed tokens for .ics URLs: calendar clients cannot send headers, so the URL carries a MAC. */
export function feedToken(key: string, kind: 'schedule' | 'user', id: string): string {
  return createHmac('sha256', `firebreak-feed:${key}`).update(`${kind}:${id}`).digest('base64url').slice(0, 32);
}

export function verifyFeedToken(key: string, kind: 'schedule' | 'user', id: string, token: string): boolean {
  const expected = Buffer.from(feedToken(key, kind, id));
  const got = Buffer.from(token);
  return got.length === expected.length && timingSafeEqual(got, expected);
}
