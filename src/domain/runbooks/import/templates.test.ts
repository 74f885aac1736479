import { describe, expect, it } from 'vitest';
import { parseMarkdown } from '../parse-markdown.js';
import { importRunbookDocument } from './document.js';
import { checklistItemsOf } from './templates.js';

describe('checklistItemsOf', () => {
  it.each([
    ['- [ ] page on-call\n- [x] open channel', [{ text: 'page on-call', checked: false }, { text: 'open channel', checked: true }]],
    ['- Before\n  - [ ] snapshot', [{ text: 'snapshot', checked: false, group: 'Before' }]],
    ['```\n[ ] one\n[x] two\n```', [{ text: 'one', checked: false }, { text: 'two', checked: true }]],
    ['Just a paragraph.', undefined],
  ])('%j', (markdown, expected) => {
    expect(checklistItemsOf(parseMarkdown(markdown).blocks[0]!)).toEqual(expected);
  });
});

describe('template and checklist sections', () => {
  const doc = (markdown: string) => importRunbookDocument(`# Doc\n\n${markdown}`, { sourceName: 't.md', now: 0 }).document;
  it.each([
    ['Communication Templates', '## Communication Templates\n\n### Initial\n\n```\nWe are investigating {{summary}}\n```\n\n### Resolved\n\n```\nResolved at {{time}}\n```\n', { templates: ['communication:Initial', 'communication:Resolved'], checklists: [] }],
    ['Post-mortem template', '## Post-Mortem Template\n\n```markdown\n# Post-mortem: {{title}}\n```\n', { templates: ['postmortem:Post-Mortem Template'], checklists: [] }],
    ['Checklist with a time window', '## Post-Incident Checklist (within 48 hours)\n\n- [ ] timeline\n- [ ] actions\n', { templates: [], checklists: ['Post-Incident Checklist:2'] }],
  ])('%s', (_name, markdown, expected) => {
    const d = doc(markdown);
    expect({
      templates: d.templates.map((t) => `${t.kind}:${t.title}`),
      checklists: d.checklists.map((c) => `${c.title}:${c.items.length}`),
    }).toEqual(expected);
  });
});
