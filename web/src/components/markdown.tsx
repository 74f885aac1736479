import { memo, useMemo } from 'react';
import { renderMarkdownHtml } from '../lib/markdown.js';

/**
 * Markdown through markdown-it and DOMPurify (lib/markdown.ts). The HTML set here is the
 * sanitiser's output, never the source: `<script>` in a note stays text. `headingOffset` 2
 * (default) puts a note's `#` below the page's own headings.
 */
export const Markdown = memo(function Markdown({ source, className, headingOffset = 2 }: { source: string; className?: string; headingOffset?: number }) {
  const html = useMemo(() => renderMarkdownHtml(source, { headingOffset }), [source, headingOffset]);
  return <div className={className ? `md ${className}` : 'md'} dangerouslySetInnerHTML={{ __html: html }} />;
});
