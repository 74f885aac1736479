import { describe, expect, it } from 'vitest';
import { parseInline, parseMarkdown, safeHref } from './markdown.js';

describe('parseInline', () => {
  it.each([
    ['plain', [{ type: 'text', text: 'plain' }]],
    ['**bold**', [{ type: 'strong', children: [{ type: 'text', text: 'bold' }] }]],
    ['*em* and _em_', [{ type: 'em', children: [{ type: 'text', text: 'em' }] }, { type: 'text', text: ' and ' }, { type: 'em', children: [{ type: 'text', text: 'em' }] }]],
    ['`a*b*`', [{ type: 'code', text: 'a*b*' }]],
    ['snake_case_name', [{ type: 'text', text: 'snake_case_name' }]],
    ['window.__xss=1 and window.__xss', [{ type: 'text', text: 'window.__xss=1 and window.__xss' }]],
    ['2 * 3 * 4', [{ type: 'text', text: '2 * 3 * 4' }]],
    ['\\*not em\\*', [{ type: 'text', text: '*not em*' }]],
    ['<script>alert(1)</script>', [{ type: 'text', text: '<script>alert(1)</script>' }]],
  ])('%s', (input, expected) => {
    expect(parseInline(input)).toEqual(expected);
  });

  it('keeps only http(s) links', () => {
    expect(parseInline('[docs](https://example.com/a)')).toEqual([{ type: 'link', href: 'https://example.com/a', children: [{ type: 'text', text: 'docs' }] }]);
    expect(parseInline('[x](javascript:alert(1))')).toEqual([{ type: 'text', text: '[x](javascript:alert(1))' }]);
    expect(parseInline('[x](data:text/html,hi)')).toEqual([{ type: 'text', text: '[x](data:text/html,hi)' }]);
  });

  it('links bare URLs without swallowing trailing punctuation', () => {
    expect(parseInline('see https://grafana.example.com/d/x.')).toEqual([
      { type: 'text', text: 'see ' },
      { type: 'link', href: 'https://grafana.example.com/d/x', children: [{ type: 'text', text: 'https://grafana.example.com/d/x' }] },
      { type: 'text', text: '.' },
    ]);
  });
});

describe('parseMarkdown', () => {
  it('parses paragraphs, headings, lists, quotes and fenced code', () => {
    const blocks = parseMarkdown('# Title\n\nfirst line\nsecond\n\n- a\n- b\n\n1. one\n2. two\n\n> quoted\n\n```sh\nrm -rf <x>\n```');
    expect(blocks.map((b) => b.type)).toEqual(['heading', 'paragraph', 'list', 'list', 'quote', 'code']);
    expect(blocks[1]).toEqual({ type: 'paragraph', children: [{ type: 'text', text: 'first line' }, { type: 'br' }, { type: 'text', text: 'second' }] });
    expect(blocks[3]).toMatchObject({ type: 'list', ordered: true });
    expect(blocks[5]).toEqual({ type: 'code', lang: 'sh', text: 'rm -rf <x>' });
  });

  it('treats an unclosed fence as code to the end', () => {
    expect(parseMarkdown('```\nnever closed')).toEqual([{ type: 'code', lang: '', text: 'never closed' }]);
  });
});

describe('safeHref', () => {
  it.each([
    ['https://a.example/x', 'https://a.example/x'],
    ['HTTP://A.EXAMPLE', 'http://a.example/'],
    ['javascript:alert(1)', null],
    ['//evil.example', null],
    [' https://a.example ', 'https://a.example/'],
  ])('%s → %s', (input, expected) => {
    expect(safeHref(input)).toBe(expected);
  });
});
