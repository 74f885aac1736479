import { createHmac, createSecretKey, timingSafeEqual } from 'node:crypto';

/**
 * One-click links in notifications: `<a|r>.<expiry, base36 s>.<incident id>.<user id>.<mac>`,
 * HMAC-SHA256 with the server's link key. A link acts as the paged user, for that incident and
 * action only, until it expires.
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

const ACTION_CODE: Record<LinkAction, string> = { acknowledge: 'a', resolve: 'r' };

export function createLinkSigner(key: string): LinkSigner {
  // 128-bit MAC: plenty for a short-lived link, and keeps the URL under the 100-character path
  // parameter limit of the HTTP router.
  // A KeyObject made once: an HMAC keyed by a string re-imports the key on every call, and a
  // page signs two links per delivery.
  const secret = createSecretKey(Buffer.from(`firebreak-link:${key}`, 'utf8'));
  const mac = (payload: string) => createHmac('sha256', secret).update(payload).digest('base64url').slice(0, 22);
  return {
    sign(claims) {
      const payload = `${ACTION_CODE[claims.action]}.${Math.floor(claims.expiresAt / 1000).toString(36)}.${claims.incidentId}.${claims.userId}`;
      return `${payload}.${mac(payload)}`;
    },
    verify(token, now) {
      const parts = token.split('.');
      if (parts.length !== 5) return { error: 'this link is malformed (was it copied completely?)' };
      const [code, exp, incidentId, userId, given] = parts as [string, string, string, string, string];
      const expected = Buffer.from(mac(parts.slice(0, 4).join('.')));
      const got = Buffer.from(given);
      if (got.length !== expected.length || !timingSafeEqual(got, expected)) return { error: 'this link is not valid (was it copied completely?)' };
      const action = code === 'a' ? 'acknowledge' : code === 'r' ? 'resolve' : null;
      const expiresAt = parseInt(exp, 36) * 1000;
      if (!action || !Number.isFinite(expiresAt) || !incidentId || !userId) return { error: 'this link is malformed' };
      if (expiresAt <= now) return { error: 'this link has expired; open the incident in Firebreak instead' };
      return { incidentId, userId, action, expiresAt };
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
