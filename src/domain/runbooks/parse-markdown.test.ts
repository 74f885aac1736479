import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AppError } from '../../core/errors.js';
import { importRunbookDocument } from './import-runbooks.js';
import { MARKDOWN_LIMITS, normaliseSource, parseMarkdown } from './parse-markdown.js';

const now = Date.parse('2026-01-01T00:00:00Z');
const opts = { sourceName: 'test.md', now };

function outputText(value: unknown): string {
  const out: string[] = [];
  const walk = (v: unknown): void => {
    if (typeof v === 'string') out.push(v);
    else if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') Object.values(v).forEach(walk);
  };
  walk(value);
  return out.join('\n');
}

describe('parseMarkdown', () => {
  it('parses the block kinds', () => {
    const md = [
      '---', 'service: api', '---', '# Title', '', 'Para one', 'continues', '', '```bash', 'echo hi', '```', '',
      '1. first', '   - [ ] nested box', '2. second', '', '| a | b |', '|---|---|', '| 1 | 2 |', '', '> quoted', '', '***',
    ].join('\n');
    const parsed = parseMarkdown(md);
    expect(parsed.frontMatter?.data).toEqual({ service: 'api' });
    expect(parsed.blocks.map((b) => b.type)).toEqual(['heading', 'paragraph', 'code', 'list', 'table', 'blockquote', 'rule']);
    const list = parsed.blocks[3]!;
    if (list.type !== 'list') throw new Error('list');
    expect(list.ordered).toBe(true);
    expect(list.items[0]!.children[0]).toMatchObject({ type: 'list', items: [{ text: 'nested box', checked: false }] });
  });

  it('refuses a 10 MB document with a VALIDATION error', () => {
    const big = 'a'.repeat(10 * 1024 * 1024);
    expect(() => parseMarkdown(big)).toThrowError(expect.objectContaining({ code: 'VALIDATION', issues: [expect.objectContaining({ field: 'markdown' })] }));
    // Multi-byte characters count as bytes, not UTF-16 units.
    expect(() => parseMarkdown('é'.repeat(MARKDOWN_LIMITS.maxBytes / 2 + 1))).toThrow(AppError);
  });

  it('survives 10k-deep nested lists without recursion blow-up and keeps the text', () => {
    // Indentation makes 10k levels exceed the size limit, so indent 1k levels and nest 10k
    // levels on one line (`- - - … leaf`) and in a quote.
    const deep = Array.from({ length: 1000 }, (_, i) => `${'  '.repeat(i)}- item ${i}`).join('\n');
    const started = performance.now();
    const parsed = parseMarkdown(deep);
    expect(performance.now() - started).toBeLessThan(5000);
    expect(parsed.warnings.some((w) => w.code === 'depth-limit')).toBe(true);
    const oneLine = `${'- '.repeat(10_000)}leaf`;
    expect(parseMarkdown(oneLine).warnings[0]?.code).toBe('depth-limit');
    const result = importRunbookDocument(`# Deep\n\n${deep}`, opts);
    expect(outputText(result)).toContain('item 999');
    expect(parseMarkdown('>'.repeat(10_000) + ' deep quote').blocks[0]).toMatchObject({ type: 'blockquote', text: 'deep quote' });
  });

  it('does not backtrack on pathological lines', () => {
    const evil = ['#'.repeat(5) + ' '.repeat(200_000) + 'x', '|' + ' -'.repeat(100_000), '`'.repeat(100_000), '[' .repeat(100_000), '<'.repeat(50_000) + 'a'.repeat(50_000)];
    const started = performance.now();
    importRunbookDocument(evil.join('\n\n'), opts);
    expect(performance.now() - started).toBeLessThan(5000);
  });

  it('keeps HTML and script as inert text in unclassified Markdown', () => {
    const md = '# Doc\n\n## Notes\n\n<script>alert("x")</script>\n<img src=x onerror=alert(1)>\n';
    const result = importRunbookDocument(md, opts);
    expect(result.document.unclassifiedMarkdown.join('\n')).toContain('<script>alert("x")</script>');
    expect(result.report.unclassified).toHaveLength(1);
  });

  it('rejects malformed front matter and non-string input clearly', () => {
    expect(() => parseMarkdown('---\nservice: [unclosed\n---\n# x')).toThrowError(expect.objectContaining({ code: 'VALIDATION' }));
    expect(() => parseMarkdown('---\n- a list\n---\n')).toThrowError(/mapping/);
    expect(() => parseMarkdown(42)).toThrowError(expect.objectContaining({ code: 'VALIDATION' }));
    const laughs = '---\na: &a ["x","x","x","x","x","x","x","x","x"]\n' + Array.from({ length: 12 }, (_, i) => `${String.fromCharCode(98 + i)}: &${String.fromCharCode(98 + i)} [*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)}]`).join('\n') + '\n---\n';
    expect(() => parseMarkdown(laughs)).toThrowError(expect.objectContaining({ code: 'VALIDATION' }));
  });
});

describe('properties', () => {
  const mdish = fc.array(
    fc.oneof(
      fc.string(),
      fc.constantFrom('# ', '## ', '### Symptoms', '- ', '1. ', '- [ ] ', '```bash', '```', '| a | b |', '|---|---|', '> ', '---', '   ', '**Time to Mitigate**: 5-10 minutes', '⚠️ **DANGER**: data loss', 'kubectl delete pod <pod-name>', '# Step 1: x'),
      fc.tuple(fc.constantFrom('# ', '## ', '- ', '1. ', '   ', '> ', '| '), fc.string()).map(([a, b]) => a + b),
    ),
    { maxLength: 40 },
  ).map((lines) => lines.join('\n'));

  it('never throws anything but AppError and never drops a non-blank line', () => {
    fc.assert(
      fc.property(fc.oneof(mdish, fc.string({ unit: 'binary', maxLength: 300 })), (input) => {
        let result;
        try {
          result = importRunbookDocument(input, opts);
        } catch (error) {
          expect(error).toBeInstanceOf(AppError);
          return;
        }
        const kept = [
          ...result.runbooks.map((r) => r.sourceMarkdown),
          ...result.document.outline.map((o) => `${o.title}\n${o.markdown ?? ''}`),
        ].join('\n');
        const body = result.document.frontMatter ? normaliseSource(input).split('\n').slice(parseMarkdown(input).frontMatter!.endLine) : normaliseSource(input).split('\n');
        for (const line of body) {
          if (line.trim() !== '') expect(kept).toContain(line.trim());
        }
      }),
      { numRuns: 400 },
    );
  });
});
