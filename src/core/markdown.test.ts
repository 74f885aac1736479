import { describe, expect, it } from 'vitest';
import { markdownToText, renderMarkdown } from './markdown.js';

describe('renderMarkdown', () => {
  it('renders GFM tables, task lists and code inside list items', () => {
    const html = renderMarkdown('| a | b |\n|---|:-:|\n| 1 | 2 |\n\n- [x] done\n- [ ] open\n\n1. step\n   ```\n   kubectl get pods\n   ```\n');
    expect(html).toContain('<table>');
    expect(html).toContain('<td style="text-align:center">2</td>');
    expect(html).toMatch(/<input class="task-list-item-checkbox" checked disabled type="checkbox" \/> done/);
    expect(html).toContain('<ol>');
    expect(html).toContain('<pre><code>kubectl get pods\n</code></pre>');
  });

  it('never passes HTML or unsafe links through', () => {
    const html = renderMarkdown('<script>alert(1)</script>\n\n[x](javascript:alert(1)) <img src=x onerror=alert(1)> [ok](https://example.com)');
    expect(html).not.toContain('<script');
    expect(html).not.toContain('<img');
    expect(html).not.toContain('href="javascript');
    expect(html).toContain('href="https://example.com"');
    expect(html).toContain('rel="noopener noreferrer nofollow"');
  });

  it('pushes headings down under the page', () => {
    expect(renderMarkdown('# Title', { headingOffset: 2 })).toBe('<h3>Title</h3>\n');
  });

  it('gives plain text for e-mail and feeds', () => {
    expect(markdownToText('**Degraded** checkout & <b>login</b>')).toBe('Degraded checkout & <b>login</b>');
  });
});
