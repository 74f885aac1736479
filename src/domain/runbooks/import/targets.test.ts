import { describe, expect, it } from 'vitest';
import { parseMarkdown, type TableBlock } from '../parse-markdown.js';
import { labelledTargetsOnly, proseTargets, tableTargets, timeboxOf } from './targets.js';

describe('labelledTargetsOnly: a target alone on a heading or bullet', () => {
  it.each([
    ['MTTR Target: 2 minutes', { resolveSeconds: 120 }],
    ['### MTTR Target: 2 minutes', { resolveSeconds: 120 }],
    ['**Response Time**: 5 minutes', { acknowledgeSeconds: 300 }],
    ['Time to Mitigate: 5-15 minutes', { mitigateSeconds: 900 }],
    ['Response Time: Immediate', { acknowledgeSeconds: 0 }],
    ['Check the response time of the API', undefined],
    ['Restart the pod', undefined],
    ['Response Time: whenever', undefined],
  ])('%s', (text, expected) => {
    expect(labelledTargetsOnly(text)).toEqual(expected);
  });
});

describe('proseTargets: the verb picks the target', () => {
  it.each([
    ['Acknowledge within 5 minutes and restore service within 45 minutes.', { acknowledgeSeconds: 300, resolveSeconds: 2700 }],
    ['The team aims to mitigate within 20 minutes.', { mitigateSeconds: 1200 }],
    ['Incidents must be resolved in under 2 hours', { resolveSeconds: 7200 }],
    ['Page the on-call engineer within 10 min', { acknowledgeSeconds: 600 }],
    ['Errors should drop within 10 minutes', {}],
    ['Run the check within the pod', {}],
  ])('%s', (text, expected) => {
    expect(proseTargets(text)).toEqual(expected);
  });
});

function table(markdown: string): TableBlock {
  return parseMarkdown(markdown).blocks.find((b): b is TableBlock => b.type === 'table')!;
}

describe('tableTargets', () => {
  it.each([
    ['| Target | Value |\n|---|---|\n| MTTA | 5 min |\n| MTTR | 1 hour |', { acknowledgeSeconds: 300, resolveSeconds: 3600 }],
    ['| MTTA | MTTR |\n|---|---|\n| 5 min | 30 min |', { acknowledgeSeconds: 300, resolveSeconds: 1800 }],
    ['| Time to acknowledge | 10 minutes |\n|---|---|\n| Time to resolve | 2 hours |', { acknowledgeSeconds: 600, resolveSeconds: 7200 }],
    ['| Host | Port |\n|---|---|\n| db-1 | 5432 |', undefined],
  ])('%j', (markdown, expected) => {
    expect(tableTargets(table(markdown))).toEqual(expected);
  });
});

describe('timeboxOf: phase headings', () => {
  it.each([
    ['Immediate Actions (0-2 minutes)', { minSeconds: 0, maxSeconds: 120 }],
    ['Investigation (10-40 minutes)', { minSeconds: 600, maxSeconds: 2400 }],
    ['Triage (first 5 minutes)', { minSeconds: 0, maxSeconds: 300 }],
    ['Recovery (30+ min)', { minSeconds: 1800 }],
    ['Recovery', undefined],
    ['Recovery (worker)', undefined],
  ])('%s', (title, expected) => {
    expect(timeboxOf(title)).toEqual(expected);
  });
});
