import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfigText, type FirebreakConfig } from '../../src/config/config-file.js';
import { applyConfig } from '../../src/domain/config/apply-config.js';
import { bearer, createTestApp, type TestApp } from '../helpers/app.js';
import { DIALECTS } from '../helpers/dialects.js';

function parse(text: string): FirebreakConfig {
  const result = parseConfigText(text, 'firebreak.yaml');
  if (!result.ok) throw new Error(result.problems.map((p) => `${p.line}:${p.col} ${p.path}: ${p.message}`).join('; '));
  return result.loaded.config;
}

const FILE = `
updateTemplates:
  - kind: initial
    audience: public
    body: |
      We are investigating {{ incident.title }}.
      Next update by {{ nextUpdateBy }}.
  - kind: resolution
    body: "Resolved: {{ incident.title }}"
`;

describe('updateTemplates: in firebreak.yaml (loading)', () => {
  it('refuses a template that fails to render, at its line, naming the template line and column', () => {
    const result = parseConfigText(`updateTemplates:\n  - kind: update\n    body: "Owner {{ incident.owner }}"\n  - kind: update\n    body: ok\n`, 'firebreak.yaml');
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems.map((p) => `${p.line} ${p.path}: ${p.message}`)).toEqual([
      '3 updateTemplates.0.body: template error at line 1, column 10: undefined variable: incident.owner',
      '4 updateTemplates.1.kind: a second update/any template (first declared at updateTemplates.0)',
    ]);
  });
});

describe.each(DIALECTS)('updateTemplates: in firebreak.yaml on %s', (dialect) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(dialect);
  });
  afterAll(async () => {
    await t?.close();
  });

  it('applies templates as managed objects: created, unchanged on re-apply, refused over the API, removed when dropped', async () => {
    const first = await applyConfig({ ctx: t.ctx(), input: { config: parse(FILE) } });
    expect(first.changes).toEqual(['update template initial/public: created', 'update template resolution/any: created']);
    expect((await applyConfig({ ctx: t.ctx(), input: { config: parse(FILE) } })).changed).toBe(false);
    const admin = await t.userWithKey('admin');
    const list = (await t.app.inject({ method: 'GET', url: '/api/v1/update-templates', headers: bearer(admin.token) })).json().items as { kind: string; audience: string | null; source: string }[];
    expect(list.filter((x) => x.source === 'config').map((x) => `${x.kind}/${x.audience}`)).toEqual(['initial/public', 'resolution/null']);
    const edit = await t.app.inject({ method: 'PUT', url: '/api/v1/update-templates/initial?audience=public', payload: { body: 'x' }, headers: bearer(admin.token) });
    expect(edit.statusCode).toBe(409);
    expect(edit.json().message).toContain('firebreak.yaml');
    const dropped = await applyConfig({ ctx: t.ctx(), input: { config: parse('updateTemplates:\n  - { kind: resolution, body: "Resolved: {{ incident.title }}" }\n') } });
    expect(dropped.changes).toEqual(['update template initial/public: removed']);
  });
});
