import { describe, expect, it } from 'vitest';
import { renderMarkdownHtml, safeHref } from './markdown.js';

describe('renderMarkdownHtml (markdown-it + task lists)', () => {
  it('renders GFM tables', () => {
    const html = renderMarkdownHtml('| When | What |\n| --- | :-: |\n| 10:00 | deploy \\| rollback |');
    expect(html).toContain('<table>');
    expect(html).toContain('<th>When</th>');
    expect(html).toContain('<td style="text-align:center">deploy | rollback</td>');
  });

  it('renders task lists as disabled checkboxes', () => {
    const html = renderMarkdownHtml('- [ ] add an alert\n- [x] roll back');
    expect(html).toContain('class="contains-task-list"');
    expect(html).toMatch(/<input class="task-list-item-checkbox"\s*disabled="" type="checkbox"> add an alert/);
    expect(html).toMatch(/<input class="task-list-item-checkbox" checked=""\s*disabled="" type="checkbox"> roll back/);
  });

  it('keeps fenced code inside list items', () => {
    const html = renderMarkdownHtml('1. Run:\n\n   ```sh\n   kubectl rollout undo <x>\n   ```\n2. Watch');
    expect(html).toMatch(/<li>\s*<p>Run:<\/p>\s*<pre><code class="language-sh">kubectl rollout undo &lt;x&gt;\n<\/code><\/pre>\s*<\/li>/);
  });

  it('never passes raw HTML through: script and event handlers stay text', () => {
    const html = renderMarkdownHtml('<script>alert(1)</script>\n\n<img src=x onerror=alert(1)> **bold**');
    expect(html).not.toContain('<script');
    expect(html).not.toContain('<img');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toContain('<strong>bold</strong>');
  });

  it('links http(s), mailto and same-site paths only', () => {
    expect(renderMarkdownHtml('[docs](https://example.com/a)')).toContain('<a href="https://example.com/a" target="_blank" rel="noopener noreferrer">docs</a>');
    expect(renderMarkdownHtml('[mail](mailto:ops@example.com)')).toContain('href="mailto:ops@example.com"');
    expect(renderMarkdownHtml('[timeline](/incidents/42#timeline)')).toContain('<a href="/incidents/42#timeline">timeline</a>');
    for (const bad of ['javascript:alert(1)', 'data:text/html,hi', '//evil.example/x', 'vbscript:x']) {
      const html = renderMarkdownHtml(`[x](${bad})`);
      expect(html, bad).not.toContain('<a');
    }
    expect(renderMarkdownHtml('see https://grafana.example.com/d/x.')).toContain('<a href="https://grafana.example.com/d/x" target="_blank" rel="noopener noreferrer">https://grafana.example.com/d/x</a>.');
  });

  it('keeps single line breaks of a note', () => {
    expect(renderMarkdownHtml('first line\nsecond')).toBe('<p>first line<br>\nsecond</p>\n');
  });

  it('pushes headings down by the offset', () => {
    expect(renderMarkdownHtml('# Title', { headingOffset: 2 })).toBe('<h3>Title</h3>\n');
    expect(renderMarkdownHtml('## Impact')).toBe('<h2>Impact</h2>\n');
  });
});

describe('safeHref', () => {
  it.each([
    ['https://a.example/x', 'https://a.example/x'],
    ['HTTP://A.EXAMPLE', 'http://a.example/'],
    ['mailto:a@b.example', 'mailto:a@b.example'],
    ['/incidents/1', '/incidents/1'],
    ['javascript:alert(1)', null],
    ['//evil.example', null],
    ['/\\evil.example', null],
  ])('%s → %s', (input, expected) => {
    expect(safeHref(input)).toBe(expected);
  });
});
