// Writes docs/api.md from the OpenAPI document the app serves, so the reference cannot drift
// from the routes. Run after `npm run build`: `npm run docs:api`. A test fails when it is stale.
import { writeFileSync } from 'node:fs';
import { renderApiReference } from '../dist/http/api-reference.js';

writeFileSync(new URL('../docs/api.md', import.meta.url), await renderApiReference());
console.log('wrote docs/api.md');
