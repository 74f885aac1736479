import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { renderWebTypes } from '../../src/http/web-types.js';

describe('web/src/api/schema.d.ts', () => {
  it('matches the OpenAPI document the server serves (regenerate with `npm run build && npm run web:types`)', async () => {
    const committed = readFileSync(new URL('../../web/src/api/schema.d.ts', import.meta.url), 'utf8');
    expect(committed).toBe(await renderWebTypes());
  }, 60_000);
});
