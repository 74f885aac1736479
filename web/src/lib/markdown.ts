/**
 * Markdown for notes, summaries, updates and post-mortems in the browser: markdown-it
 * (CommonMark + GFM tables, linkify) with task lists, then DOMPurify's allowlist. Two layers:
 * markdown-it never passes raw HTML through (`html: false` escapes it), and DOMPurify removes
 * anything a future option or plugin might let in. Links keep http(s), mailto and same-site
 * paths (`/incidents/42`) only; external ones open in a new tab without an opener.
 */
import DOMPurify from 'dompurify';
import MarkdownIt from 'markdown-it';
import taskLists from 'markdown-it-task-lists';

type Md = InstanceType<typeof MarkdownIt>;

const SAFE_LINK = /^(https?:\/\/|mailto:)/i;

/** http(s), mailto, or a path on this site (`/…` but not `//host`); anything else is not a link. */
export function safeHref(raw: string): string | null {
  const trimmed = raw.trim();
  if (/^\/(?![/\\])/.test(trimmed)) return trimmed;
  if (!SAFE_LINK.test(trimmed)) return null;
  try {
    const url = new URL(trimmed);
    return ['http:', 'https:', 'mailto:'].includes(url.protocol) ? url.href : null;
  } catch {
    return null;
  }
}

function renderer(headingOffset: number): Md {
  // `breaks`: a note's single line breaks stay line breaks, as responders type them in chat.
  const md = new MarkdownIt({ html: false, linkify: true, typographer: false, breaks: true }).use(taskLists, { enabled: false });
  // A link markdown-it refuses is left as the text it was written as.
  md.validateLink = (url: string) => safeHref(url) !== null;
  const open = md.renderer.rules.link_open ?? ((tokens, idx, options, _env, self) => self.renderToken(tokens, idx, options));
  md.renderer.rules.link_open = (tokens, idx, options, env, self) => {
    const token = tokens[idx]!;
    if (!String(token.attrGet('href') ?? '').startsWith('/')) {
      token.attrSet('target', '_blank');
      token.attrSet('rel', 'noopener noreferrer');
    }
    return open(tokens, idx, options, env, self);
  };
  if (headingOffset > 0) {
    // Headings in a note sit below the page's own headings.
    for (const rule of ['heading_open', 'heading_close'] as const) {
      md.renderer.rules[rule] = (tokens, idx, options, _env, self) => {
        const token = tokens[idx]!;
        token.tag = `h${Math.min(6, Number(token.tag.slice(1)) + headingOffset)}`;
        return self.renderToken(tokens, idx, options);
      };
    }
  }
  return md;
}

const renderers = new Map<number, Md>();

const PURIFY = {
  ALLOWED_TAGS: ['p', 'br', 'hr', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'strong', 'em', 's', 'del', 'code', 'pre', 'blockquote', 'ul', 'ol', 'li', 'a', 'table', 'thead', 'tbody', 'tr', 'th', 'td', 'input'],
  ALLOWED_ATTR: ['href', 'title', 'target', 'rel', 'start', 'style', 'class', 'type', 'checked', 'disabled'],
  // DOMPurify checks every attribute value that is not URI-safe against this (`type="checkbox"`,
  // `start="3"` too): http(s), mailto, a same-site path, or a value with no scheme in it.
  ALLOWED_URI_REGEXP: /^(?:(?:https?|mailto):|\/(?![/\\])|\d|[a-z+.-]+(?:[^a-z+.\-:]|$))/i,
};

/** The browser's sanitiser; outside a browser (unit tests in Node) markdown-it's escaping stands alone. */
function purify(html: string): string {
  return DOMPurify.isSupported ? DOMPurify.sanitize(html, PURIFY) : html;
}

/** Markdown to sanitised HTML. `headingOffset` pushes `#` down (2: `#` → `<h3>`). */
export function renderMarkdownHtml(source: string, options: { headingOffset?: number } = {}): string {
  const offset = options.headingOffset ?? 0;
  let md = renderers.get(offset);
  if (!md) renderers.set(offset, (md = renderer(offset)));
  return purify(md.render(source));
}
