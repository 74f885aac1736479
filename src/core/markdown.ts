/**
 * Markdown to safe HTML on the server (public status pages, post-mortem exports, e-mails).
 * CommonMark + GFM tables and task lists through markdown-it; raw HTML in the source is never
 * passed through (markdown-it escapes it), and the output goes through sanitize-html's allowlist
 * anyway so that a future plugin or option cannot open a hole. Links keep http(s) and mailto only
 * and open with rel="noopener noreferrer nofollow".
 */
import MarkdownIt from 'markdown-it';
import taskLists from 'markdown-it-task-lists';
import sanitizeHtml from 'sanitize-html';

const renderer = new MarkdownIt({ html: false, linkify: true, typographer: false }).use(taskLists, { enabled: false });

const ALLOWED_TAGS = [
  'p', 'br', 'hr', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'strong', 'em', 's', 'del', 'code', 'pre', 'blockquote',
  'ul', 'ol', 'li', 'a', 'table', 'thead', 'tbody', 'tr', 'th', 'td', 'input',
];

const SANITIZE: sanitizeHtml.IOptions = {
  allowedTags: ALLOWED_TAGS,
  allowedAttributes: {
    a: ['href', 'title'],
    ol: ['start'],
    th: ['style'],
    td: ['style'],
    li: ['class'],
    ul: ['class'],
    input: ['type', 'checked', 'disabled', 'class'],
  },
  allowedClasses: { li: ['task-list-item'], ul: ['contains-task-list'], input: ['task-list-item-checkbox'] },
  allowedStyles: { th: { 'text-align': [/^(left|right|center)$/] }, td: { 'text-align': [/^(left|right|center)$/] } },
  allowedSchemes: ['http', 'https', 'mailto'],
  allowProtocolRelative: false,
  transformTags: {
    a: sanitizeHtml.simpleTransform('a', { rel: 'noopener noreferrer nofollow' }),
    input: (tagName, attribs) => (attribs.type === 'checkbox' ? { tagName, attribs: { ...attribs, disabled: '' } } : { tagName: 'span', attribs: {} }),
  },
};

/** Renders Markdown into sanitised HTML; `headingOffset` pushes `#` down (1 → `<h2>`) under a page's own headings. */
export function renderMarkdown(source: string, options: { headingOffset?: number } = {}): string {
  const html = sanitizeHtml(renderer.render(source), {
    ...SANITIZE,
    allowedAttributes: { ...SANITIZE.allowedAttributes, a: ['href', 'title', 'rel'] },
  });
  const offset = options.headingOffset ?? 0;
  if (offset <= 0) return html;
  return html.replace(/<(\/?)h([1-6])>/g, (_m, slash: string, level: string) => `<${slash}h${Math.min(6, Number(level) + offset)}>`);
}

/** Plain text of a Markdown source (for e-mail text parts, feeds and summaries). */
export function markdownToText(source: string): string {
  const html = renderer.render(source);
  return sanitizeHtml(html, { allowedTags: [], allowedAttributes: {} })
    .replace(/&amp;/g, '&').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'")
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}
