import type { FastifyInstance } from 'fastify';
import { storableJson, storableParsedJson } from '../core/storable-text.js';

/**
 * Every string a request brings (JSON body, query, path parameters) is made storable before a
 * handler sees it: NUL and lone surrogates become U+FFFD (core/storable-text.ts), so both
 * databases accept and compare the same text, and an id with `%00` is simply not found. The
 * ingest endpoints parse their own bodies and do the same there (routes/ingest.ts).
 */
export function installStorableInput(app: FastifyInstance): void {
  // Fastify's own parser (it refuses `__proto__` and `constructor.prototype` keys), then the walk.
  const parseJson = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (req, body, done) => {
    const text = typeof body === 'string' ? body : body.toString('utf8');
    parseJson(req, text, (error, value) => (error ? done(error, undefined) : done(null, storableParsedJson(text, value))));
  });
  app.addHook('preValidation', async (req) => {
    storableJson(req.params);
    storableJson(req.query);
  });
}
