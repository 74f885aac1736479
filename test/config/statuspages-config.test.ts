import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatConfigProblem, parseConfigText, summariseConfig, type FirebreakConfig } from '../../src/config/config-file.js';
import { applyConfig } from '../../src/domain/config/apply-config.js';
import { bearer, createTestApp, type TestApp } from '../helpers/app.js';
import { DIALECTS } from '../helpers/dialects.js';

/** The `statusPages:` section of firebreak.yaml: pages and components declared as code. */
function parse(text: string): FirebreakConfig {
  const result = parseConfigText(text);
  if (!result.ok) throw new Error(result.problems.map(formatConfigProblem).join('\n'));
  return result.loaded.config;
}

const FILE = (components: string) => [
  'services:',
  '  - { slug: payments, name: Payments }',
  '  - { slug: search, name: Search }',
  'statusPages:',
  '  - slug: acme',
  '    name: Acme Cloud',
  '    severityMap: { SEV1: partial_outage }',
  '    components:',
  components,
].join('\n');

describe('statusPages: in firebreak.yaml, checked before anything is applied', () => {
  it('names a component name used twice on a page, across groups, and a slug used twice', () => {
    const result = parseConfigText([
      'statusPages:',
      '  - slug: acme',
      '    name: Acme',
      '    components:',
      '      - name: Core',
      '        components:',
      '          - { name: API }',
      '      - { name: API }',
      '  - { slug: acme, name: Again }',
    ].join('\n'), 'firebreak.yaml');
    expect(result.ok ? [] : result.problems.map(formatConfigProblem)).toEqual([
      expect.stringMatching(/^firebreak\.yaml:8:\d+ statusPages\.0\.components\.1\.name: duplicate component name 'API' on page acme \(first declared at statusPages\.0\.components\.0\.components\.0\.name\)$/),
      expect.stringMatching(/^firebreak\.yaml:9:\d+ statusPages\.1\.slug: duplicate slug 'acme' \(first declared at statusPages\.0\)$/),
    ]);
  });
});

describe.each(DIALECTS)('statusPages: in firebreak.yaml on %s', (dialect) => {
  let t: TestApp;
  let admin: { token: string };
  const apply = (text: string) => applyConfig({ ctx: t.ctx({ type: 'system', name: 'firebreak.yaml' }), input: { config: parse(text), file: 'firebreak.yaml' } });
  // The admin view: public answers are cached for 1.5 s, and a file applied here clears nothing.
  const summary = async () => (await t.app.inject({ url: '/api/v1/status-pages/acme', headers: bearer(admin.token) })).json();

  beforeAll(async () => {
    t = await createTestApp(dialect);
    admin = await t.userWithKey('admin');
  });
  afterAll(() => t?.close());

  it('creates the page and its groups, keeps component ids across re-applies, removes what the file drops', async () => {
    const first = await apply(FILE(['      - name: Core', '        components:', '          - { name: Payments, services: [payments] }', '          - { name: Search, services: [search] }', '      - { name: Website }'].join('\n')));
    expect(first.changes).toEqual(expect.arrayContaining(['status page acme: created', 'status page acme: component Payments added']));
    expect(summariseConfig(parse(FILE('      - { name: Website }')))).toMatchObject({ statusPages: 1 });
    const before = await summary();
    expect(before.components.map((c: { name: string; group: boolean }) => [c.name, c.group])).toEqual([['Core', true], ['Payments', false], ['Search', false], ['Website', false]]);
    const paymentsId = before.components[1].id;

    // SEV1 maps to partial_outage on this page.
    expect((await t.app.inject({ method: 'POST', url: '/api/v1/incidents', payload: { title: 'x', severity: 'SEV1', service: 'payments' }, headers: bearer(admin.token) })).statusCode).toBe(201);
    expect((await summary()).components[1].status).toBe('partial_outage');

    // A subscriber who followed only Search follows the whole page once the file drops it.
    const sub = await t.app.inject({ method: 'POST', url: '/api/v1/status-pages/acme/subscribers', payload: { kind: 'email', address: 'search@example.test', components: ['Search'], confirmed: true }, headers: bearer(admin.token) });
    expect(sub.statusCode, sub.body).toBe(201);
    expect((await apply(FILE(['      - name: Core', '        components:', '          - { name: Payments, services: [payments] }', '      - { name: Website }'].join('\n')))).changes)
      .toEqual(expect.arrayContaining(['status page acme: component Search removed', 'status page acme: 1 subscriber(s) who followed only removed components now follow the whole page']));
    const subscribers = (await t.app.inject({ url: '/api/v1/status-pages/acme/subscribers', headers: bearer(admin.token) })).json().items;
    expect(subscribers.map((s: { components: string[] }) => s.components)).toEqual([[]]);
    const after = await summary();
    expect(after.components.map((c: { name: string }) => c.name)).toEqual(['Core', 'Payments', 'Website']);
    expect(after.components[1].id).toBe(paymentsId);
    expect((await apply(FILE(['      - name: Core', '        components:', '          - { name: Payments, services: [payments] }', '      - { name: Website }'].join('\n')))).changed).toBe(false);

    // Components of a page the file owns are changed in the file, not through the API.
    const refused = await t.app.inject({ method: 'POST', url: '/api/v1/status-pages/acme/components', payload: { name: 'Extra' }, headers: bearer(admin.token) });
    expect(refused.statusCode).toBe(409);
    expect((await t.app.inject({ method: 'PATCH', url: '/api/v1/status-pages/acme/components/Website', payload: { name: 'Site' }, headers: bearer(admin.token) })).statusCode).toBe(409);
    expect((await t.app.inject({ method: 'DELETE', url: '/api/v1/status-pages/acme/components/Website', headers: bearer(admin.token) })).statusCode).toBe(409);
  });

  it('names the field of an unknown service', async () => {
    await expect(apply(FILE('      - { name: Billing, services: [billing] }'))).rejects.toMatchObject({ issues: [{ field: 'statusPages.0.components.0.services.0' }] });
  });

  it('declares auto-publish per severity; a template that does not render names its field', async () => {
    const withAuto = (title: string) => FILE(['      - { name: Payments, services: [payments] }', '    autoPublish:', '      severities: { SEV2: draft, SEV1: publish }', `      title: '${title}'`].join('\n'));
    await expect(apply(withAuto('{{ incident.title }}'))).rejects.toMatchObject({ issues: [{ field: 'statusPages.0.autoPublish.title' }] });
    expect((await apply(withAuto('{{ components | join: ", " }} trouble'))).changes).toEqual(expect.arrayContaining(['status page acme: changed']));
    expect((await summary()).autoPublish).toEqual({ severities: { SEV2: 'draft', SEV1: 'publish' }, title: '{{ components | join: ", " }} trouble', body: '' });
    const inc = await t.app.inject({ method: 'POST', url: '/api/v1/incidents', payload: { title: 'internal', severity: 'SEV2', service: 'payments' }, headers: bearer(admin.token) });
    expect(inc.statusCode).toBe(201);
    expect((await summary()).openPublicIncidents.find((i: { incidentNumber: number }) => i.incidentNumber === inc.json().number)).toMatchObject({ draft: true, name: 'Payments trouble' });
    // A page the file owns is changed in the file.
    expect((await t.app.inject({ method: 'PATCH', url: '/api/v1/status-pages/acme', payload: { autoPublish: { severities: {} } }, headers: bearer(admin.token) })).statusCode).toBe(409);
  });

  it('removes a page the file no longer declares', async () => {
    expect((await apply('services:\n  - { slug: payments, name: Payments }\n  - { slug: search, name: Search }\n')).changes).toEqual(expect.arrayContaining(['status page acme: removed']));
    expect((await t.app.inject({ url: '/api/v1/status-pages/acme', headers: bearer(admin.token) })).statusCode).toBe(404);
  });
});
