import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { renderApiReference } from '../../src/http/api-reference.js';

describe('docs/api.md', () => {
  it('matches the routes the server serves (regenerate with `npm run build && npm run docs:api`)', async () => {
    const committed = readFileSync(new URL('../../docs/api.md', import.meta.url), 'utf8');
    expect(committed).toBe(await renderApiReference());
  });
});
