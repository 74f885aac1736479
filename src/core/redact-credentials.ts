/**
 * Credentials never reach the database or an API answer inside a stored raw payload. Senders put
 * them in known places: the PagerDuty `routing_key` (which *is* the integration key) and the old
 * `service_key`, an Opsgenie `apiKey`, `Authorization` / `GenieKey` values copied into a body,
 * tokens in URL query strings and passwords in URL user-info. The integration key itself is also
 * replaced wherever it appears (a Grafana template that prints its own webhook URL).
 *
 * Text-level replacement, not parse-and-reserialise: the rest of the payload stays byte for byte
 * as received, which is what it is kept for. The key check is one substring search; the scan for
 * credential members, query tokens and URL passwords costs about as much as parsing the body, so
 * callers run it only for formats whose senders put credentials in the body (PagerDuty, Opsgenie,
 * generic webhooks): Alertmanager and Grafana write fixed schemas with none, at the highest rates.
 */

export const REDACTED = '[redacted]';

/** `"routing_key": "…"`, `"apiKey": "…"`, `"Authorization": "…"`: JSON string members named like a credential. */
const CREDENTIAL_MEMBER = /((?:routing_key|service_key|integration_key|api[_-]?key|geniekey|authorization|token|secret|password|passwd)"\s*:\s*")((?:[^"\\]|\\.)*)"/gi;
/** What may stand between the member's opening quote and the credential word (`auth_token`, `X-Api-Key`). */
const NAME_PREFIX = /"[A-Za-z0-9_-]{0,40}$/;

/** `?token=…`, `&api_key=…`, `&X-Amz-Signature=…` in a URL anywhere in the text. */
const CREDENTIAL_QUERY = /([?&][A-Za-z0-9_.-]{0,40}?(?:token|api[_-]?key|geniekey|routing_key|secret|password|passwd|signature|sig|auth)=)([^&#"'\s\\<>]+)/gi;

/** `https://user:password@host`. */
const URL_USERINFO = /(:\/\/[^/\s"'@:]{1,200}:)([^/\s"'@]{1,200})@/g;

/** Keys shorter than this are not replaced in free text: they would match ordinary words. */
const MIN_KEY_LENGTH = 8;

/** Redacts credential members, query tokens and URL passwords: what can be found without the key. */
export function redactCredentialText(text: string): string {
  let out = text;
  // A cheap gate per pattern: most payloads have no credential member and no `://` user-info.
  if (out.includes('"')) {
    out = out.replace(CREDENTIAL_MEMBER, (match: string, head: string, value: string, offset: number, whole: string) => {
      // The word must end a member name: `"auth_token": "…"`, not a value that ends in "token".
      if (!NAME_PREFIX.test(whole.slice(Math.max(0, offset - 41), offset))) return match;
      return value === '' || value === REDACTED ? match : `${head}${REDACTED}"`;
    });
  }
  if (out.includes('=')) out = out.replace(CREDENTIAL_QUERY, (_m, head: string, value: string) => (value === REDACTED ? `${head}${value}` : `${head}${REDACTED}`));
  if (out.includes('@')) out = out.replace(URL_USERINFO, (_m, head: string) => `${head}${REDACTED}@`);
  return out;
}

/** Whether `key` is long enough to be looked for in free text. */
export function searchableKey(key: string | null | undefined): key is string {
  return typeof key === 'string' && key.length >= MIN_KEY_LENGTH;
}

/**
 * A raw payload as it may be stored: every occurrence of the key the request authenticated with
 * (in a PagerDuty body, the routing key; elsewhere it came in the URL or a header, and is looked
 * for in case the body repeats it), plus, with `scanCredentials`, every known credential place.
 */
export function redactRawPayload(body: string, key: string | null | undefined, scanCredentials = true): string {
  let out = body;
  if (searchableKey(key) && out.includes(key)) out = out.split(key).join(REDACTED);
  return scanCredentials ? redactCredentialText(out) : out;
}

/** Replaces `key` in every string of a JSON-like value (labels, annotations, details). */
export function redactKeyDeep<T>(value: T, key: string): T {
  const walk = (v: unknown): unknown => {
    if (typeof v === 'string') return v.includes(key) ? v.split(key).join(REDACTED) : v;
    if (Array.isArray(v)) return v.map(walk);
    // fromEntries defines own properties, so a `__proto__` key stays a plain key.
    if (v !== null && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, inner]) => [k, walk(inner)]));
    return v;
  };
  return walk(value) as T;
}
