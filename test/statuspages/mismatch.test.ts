import { describe, expect, it } from 'vitest';
import { findMismatches, type MismatchComponent, type MismatchIncident } from '../../src/domain/statuspages/mismatch.js';
import { planAutoPublish } from '../../src/domain/statuspages/auto-publish.js';

const c = (id: string, status: MismatchComponent['status'], extra: Partial<MismatchComponent> = {}): MismatchComponent => ({ id, name: id.toUpperCase(), group: false, groupId: null, status, ...extra });
const i = (id: string, components: string[], extra: Partial<MismatchIncident> = {}): MismatchIncident => ({ id, name: id, status: 'investigating', draft: false, components, ...extra });

describe('status page mismatches', () => {
  it('flags a degraded or down component that no published, unresolved incident names', () => {
    const out = findMismatches([c('a', 'degraded_performance'), c('b', 'major_outage'), c('m', 'under_maintenance'), c('ok', 'operational')], [i('i1', ['b'])]);
    expect(out.map((m) => [m.kind, m.componentId])).toEqual([['status_without_incident', 'a']]);
  });

  it('does not count drafts or resolved incidents as explaining a component, and says a draft waits', () => {
    const out = findMismatches([c('a', 'partial_outage')], [i('d', ['a'], { draft: true }), i('r', ['a'], { status: 'resolved' })]);
    expect(out).toHaveLength(1);
    expect(out[0]!.message).toBe('A is shown as partial outage but no public incident says why (a draft is waiting to be published)');
  });

  it('flags a published incident whose components are all operational, not one naming none or a troubled one', () => {
    const comps = [c('a', 'operational'), c('b', 'operational'), c('x', 'partial_outage')];
    const out = findMismatches(comps, [i('all-ok', ['a', 'b']), i('mixed', ['a', 'x']), i('none', []), i('draft', ['a'], { draft: true }), i('done', ['a'], { status: 'resolved' })]);
    expect(out.map((m) => [m.kind, m.publicIncidentId])).toEqual([['incident_without_status', 'all-ok']]);
    expect(out[0]!.message).toBe('public incident "all-ok" is open but A, B are shown operational');
  });

  it('judges groups through their members: an incident on a group covers them, a group is never flagged itself', () => {
    const comps = [c('g', 'major_outage', { group: true }), c('m1', 'major_outage', { groupId: 'g' }), c('m2', 'operational', { groupId: 'g' })];
    expect(findMismatches(comps, [i('on-group', ['g'])])).toEqual([]);
    expect(findMismatches(comps, []).map((m) => m.componentId)).toEqual(['m1']);
  });
});

describe('auto-publish plan', () => {
  const components = [
    { id: 'p', name: 'Payments', group: false, services: ['svc-pay'], status: 'partial_outage' as const },
    { id: 'w', name: 'Web', group: false, services: ['svc-web', 'svc-pay'], status: 'major_outage' as const },
    { id: 'g', name: 'Group', group: true, services: ['svc-pay'], status: 'major_outage' as const },
  ];
  const settings = { severities: { SEV1: 'publish' as const, SEV2: 'draft' as const }, title: '', body: '' };

  it('makes a draft or a publication for chosen severities, from public facts only', () => {
    const plan = planAutoPublish({ settings, pageName: 'Acme', severity: 'SEV2', serviceId: 'svc-pay', components });
    expect(plan).toEqual({ mode: 'draft', name: 'Payments, Web: service outage', body: 'We are investigating problems with Payments, Web. We will post an update as soon as we know more.', impact: 'critical', components: ['p', 'w'] });
    expect(planAutoPublish({ settings, pageName: 'Acme', severity: 'SEV1', serviceId: 'svc-web', components })?.mode).toBe('publish');
  });

  it('makes nothing for other severities, no service, or a service no component maps', () => {
    expect(planAutoPublish({ settings, pageName: 'Acme', severity: 'SEV3', serviceId: 'svc-pay', components })).toBeNull();
    expect(planAutoPublish({ settings, pageName: 'Acme', severity: 'SEV1', serviceId: null, components })).toBeNull();
    expect(planAutoPublish({ settings, pageName: 'Acme', severity: 'SEV1', serviceId: 'svc-other', components })).toBeNull();
  });

  it('renders custom templates and refuses unknown variables (the internal title is not one)', () => {
    const custom = { ...settings, title: '{{ page.name }}: {{ severity }} on {{ components | first }}', body: 'Impact {{ impact }}.' };
    expect(planAutoPublish({ settings: custom, pageName: 'Acme', severity: 'SEV1', serviceId: 'svc-web', components })).toMatchObject({ name: 'Acme: SEV1 on Web', body: 'Impact critical.' });
    expect(() => planAutoPublish({ settings: { ...settings, title: '{{ incident.title }}' }, pageName: 'Acme', severity: 'SEV1', serviceId: 'svc-web', components })).toThrow(/autoPublish.title/);
  });
});
