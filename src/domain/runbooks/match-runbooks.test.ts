import { describe, expect, it } from 'vitest';
import { matchRunbook, namesInRunbookUrl, type MatchCandidate } from './match-runbooks.js';

const disk: MatchCandidate = {
  id: 'rb_1', slug: 'disk-full',
  matchers: [
    { kind: 'label', name: 'alertname', op: '=', value: 'DiskFull' },
    { kind: 'label', name: 'env', op: '=~', value: 'prod|staging' },
    { kind: 'service', name: 'service', op: '=', value: 'storage' },
    { kind: 'severity', name: 'severity', op: '=', value: 'SEV-1' },
  ],
};
const none = { alerts: [], service: null, severity: 'SEV3' };

describe('matchRunbook', () => {
  it('matches when every label matcher matches one alert', () => {
    expect(matchRunbook(disk, { ...none, alerts: [{ labels: { alertname: 'DiskFull', env: 'prod' }, runbookUrl: null }] })).toMatch(/^labels: alertname=DiskFull/);
    expect(matchRunbook(disk, { ...none, alerts: [{ labels: { alertname: 'DiskFull', env: 'dev' }, runbookUrl: null }] })).toBeNull();
    // Regexes are anchored: "production" is not "prod".
    expect(matchRunbook(disk, { ...none, alerts: [{ labels: { alertname: 'DiskFull', env: 'production' }, runbookUrl: null }] })).toBeNull();
  });

  it('matches the runbook a runbook_url annotation names', () => {
    const alerts = [{ labels: {}, runbookUrl: 'https://git.example/ops/runbooks/disk-full.md' }];
    expect(matchRunbook(disk, { ...none, alerts })).toBe('runbook_url: https://git.example/ops/runbooks/disk-full.md');
    expect(namesInRunbookUrl('https://wiki/ops/Runbooks#disk-full')).toEqual(['runbooks', 'disk-full']);
  });

  it('matches service with severity, never severity alone', () => {
    expect(matchRunbook(disk, { alerts: [], service: 'storage', severity: 'SEV1' })).toBe('service: storage, severity: SEV-1');
    expect(matchRunbook(disk, { alerts: [], service: 'storage', severity: 'SEV3' })).toBeNull();
    const sevOnly: MatchCandidate = { id: 'rb_2', slug: 'x', matchers: [{ kind: 'severity', name: 'severity', op: '=', value: 'SEV1' }] };
    expect(matchRunbook(sevOnly, { alerts: [], service: 'storage', severity: 'SEV1' })).toBeNull();
  });
});
