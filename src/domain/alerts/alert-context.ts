/**
 * What an incident page needs from an alert beyond its columns (summary, description, labels,
 * annotations, generator and runbook links), stored with the alert at ingest: the raw payload
 * it came in is pruned by retention, the incident is not. Bounded, so a sender cannot make one
 * alert row arbitrarily large: what does not fit is cut and says so (`TRUNCATED`).
 */

export type AlertLinkKind = 'dashboard' | 'panel' | 'silence' | 'generator' | 'runbook' | 'link';

export interface AlertLink {
  kind: AlertLinkKind;
  href: string;
  text: string | null;
}

/** An image the sender attached (PD `images`, Grafana `imageURL`); only http(s) sources are kept. */
export interface AlertImage {
  src: string;
  href: string | null;
  alt: string | null;
}

export interface AlertContext {
  links: AlertLink[];
  images: AlertImage[];
  /** PD `custom_details` (any JSON), bounded; null when the sender sent none. */
  customDetails: unknown;
  /** Opsgenie `tags`. */
  tags: string[];
}

/** The marker a cut value ends with, and the key/item that stands for what was left out. */
export const TRUNCATED = '…[truncated]';

export const CONTEXT_LIMITS = {
  links: 20,
  images: 10,
  tags: 50,
  urlChars: 2048,
  textChars: 200,
  /** custom_details: nesting, keys per object, items per array, chars per string, chars in all. */
  depth: 8,
  keys: 100,
  items: 100,
  stringChars: 2000,
  totalChars: 16_000,
} as const;

/** True for an absolute http: or https: URL (what a browser may safely link or load). */
export function isHttpUrl(text: unknown): text is string {
  if (typeof text !== 'string' || text.length > CONTEXT_LIMITS.urlChars) return false;
  if (!/^https?:\/\//i.test(text)) return false;
  try {
    const url = new URL(text);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}

export function cutText(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, Math.max(0, max - TRUNCATED.length))}${TRUNCATED}`;
}

const textOrNull = (value: unknown): string | null =>
  typeof value === 'string' && value.trim() !== '' ? cutText(value, CONTEXT_LIMITS.textChars) : null;

/**
 * custom_details made bounded: a walk that spends a character budget, cutting long strings,
 * objects and arrays past their counts, and anything nested deeper than the limit, each with
 * the marker, so a reader sees that something was left out and where.
 */
export function boundDetails(value: unknown): unknown {
  let budget: number = CONTEXT_LIMITS.totalChars;
  const walk = (v: unknown, depth: number): unknown => {
    if (v === null || typeof v === 'number' || typeof v === 'boolean') {
      budget -= 5;
      return v;
    }
    if (typeof v === 'string') {
      const max = Math.max(0, Math.min(CONTEXT_LIMITS.stringChars, budget));
      const out = v.length > max ? cutText(v, Math.max(max, TRUNCATED.length)) : v;
      budget -= out.length + 2;
      return out;
    }
    if (typeof v !== 'object') return null;
    if (depth >= CONTEXT_LIMITS.depth) {
      budget -= TRUNCATED.length;
      return TRUNCATED;
    }
    if (Array.isArray(v)) {
      const out: unknown[] = [];
      for (let i = 0; i < v.length; i += 1) {
        if (i >= CONTEXT_LIMITS.items || budget <= 0) {
          out.push(`${TRUNCATED} ${v.length - i} more`);
          break;
        }
        out.push(walk(v[i], depth + 1));
      }
      return out;
    }
    const out: Record<string, unknown> = {};
    const entries = Object.entries(v as Record<string, unknown>);
    for (let i = 0; i < entries.length; i += 1) {
      if (i >= CONTEXT_LIMITS.keys || budget <= 0) {
        out[TRUNCATED] = `${entries.length - i} more`;
        break;
      }
      const [key, item] = entries[i]!;
      const k = cutText(key, CONTEXT_LIMITS.textChars);
      budget -= k.length + 3;
      out[k] = walk(item, depth + 1);
    }
    return out;
  };
  return value === undefined ? null : walk(value, 0);
}

export interface AlertContextInput {
  links?: readonly { kind?: AlertLinkKind; href: unknown; text?: unknown }[];
  images?: readonly { src: unknown; href?: unknown; alt?: unknown }[];
  customDetails?: unknown;
  tags?: readonly string[];
}

/** The bounded context, or null when there is nothing to keep (most Alertmanager alerts). */
export function boundAlertContext(input: AlertContextInput): AlertContext | null {
  const links: AlertLink[] = [];
  const seen = new Set<string>();
  for (const link of input.links ?? []) {
    if (links.length >= CONTEXT_LIMITS.links) break;
    if (!isHttpUrl(link.href) || seen.has(link.href)) continue;
    seen.add(link.href);
    links.push({ kind: link.kind ?? 'link', href: link.href, text: textOrNull(link.text) });
  }
  const images: AlertImage[] = [];
  for (const image of input.images ?? []) {
    if (images.length >= CONTEXT_LIMITS.images) break;
    if (!isHttpUrl(image.src)) continue;
    images.push({ src: image.src, href: isHttpUrl(image.href) ? image.href : null, alt: textOrNull(image.alt) });
  }
  const customDetails = input.customDetails === undefined || input.customDetails === null ? null : boundDetails(input.customDetails);
  const tags = (input.tags ?? []).slice(0, CONTEXT_LIMITS.tags).map((t) => cutText(t, CONTEXT_LIMITS.textChars));
  if (links.length === 0 && images.length === 0 && customDetails === null && tags.length === 0) return null;
  return { links, images, customDetails, tags };
}

export const EMPTY_CONTEXT: AlertContext = { links: [], images: [], customDetails: null, tags: [] };

/** The stored column back into a context; a row from before migration 0025 has none. */
export function readAlertContext(text: string | null | undefined): AlertContext {
  if (!text) return EMPTY_CONTEXT;
  try {
    const parsed = JSON.parse(text) as Partial<AlertContext>;
    return { links: parsed.links ?? [], images: parsed.images ?? [], customDetails: parsed.customDetails ?? null, tags: parsed.tags ?? [] };
  } catch {
    return EMPTY_CONTEXT;
  }
}

const ANNOTATION_KINDS: [RegExp, AlertLinkKind][] = [
  [/panel/i, 'panel'],
  [/dashboard|grafana/i, 'dashboard'],
  [/silence/i, 'silence'],
  [/runbook|playbook/i, 'runbook'],
];

/**
 * Every link of an alert, for display: the stored ones, the generator and runbook columns, and
 * annotations whose value is an http(s) URL (`dashboard_url`, `grafana`…), each once.
 */
export function alertLinks(alert: {
  generatorUrl: string | null;
  runbookUrl: string | null;
  annotations: Record<string, string>;
  context: AlertContext;
}): AlertLink[] {
  const out: AlertLink[] = [];
  const seen = new Set<string>();
  const add = (link: AlertLink): void => {
    if (out.length >= CONTEXT_LIMITS.links || !isHttpUrl(link.href) || seen.has(link.href)) return;
    seen.add(link.href);
    out.push(link);
  };
  if (alert.runbookUrl) add({ kind: 'runbook', href: alert.runbookUrl, text: 'Runbook' });
  for (const link of alert.context.links) add(link);
  for (const [key, value] of Object.entries(alert.annotations)) {
    if (!isHttpUrl(value)) continue;
    add({ kind: ANNOTATION_KINDS.find(([re]) => re.test(key))?.[1] ?? 'link', href: value, text: key });
  }
  if (alert.generatorUrl) add({ kind: 'generator', href: alert.generatorUrl, text: 'Source' });
  return out;
}
