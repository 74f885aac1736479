// Writes web/src/api/schema.d.ts (the web client's types) from the OpenAPI document the app
// serves. Run after `npm run build`: `npm run web:types`. A test fails when it is stale.
import { writeFileSync } from 'node:fs';
import { renderWebTypes } from '../dist/http/web-types.js';

writeFileSync(new URL('../web/src/api/schema.d.ts', import.meta.url), await renderWebTypes());
console.log('wrote web/src/api/schema.d.ts');
