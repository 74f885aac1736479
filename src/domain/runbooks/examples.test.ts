import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { importRunbookDocument } from './import-runbooks.js';

const examples = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../examples/runbooks');
const now = Date.parse('2026-01-01T00:00:00Z');
const load = (name: string) => importRunbookDocument(readFileSync(path.join(examples, name), 'utf8'), { sourceName: name, now });

describe('examples/runbooks', () => {
  it('api-latency.md: front matter makes the runbook exact', () => {
    const { runbooks, report } = load('api-latency.md');
    expect(runbooks).toHaveLength(1);
    const rb = runbooks[0]!;
    expect(rb).toMatchObject({ slug: 'api-latency-above-objective', service: 'public-api', severity: 'SEV-2', owner: 'platform-oncall', reviewIntervalDays: 90, reviewedAt: '2025-11-03' });
    expect(rb.matchers).toEqual([
      { name: 'alertname', op: '=', value: 'ApiLatencyP99High' },
      { name: 'service', op: '=', value: 'public-api' },
    ]);
    expect(rb.targets).toEqual({ acknowledgeSeconds: 300, mitigateSeconds: 1200, resolveSeconds: 7200 });
    expect(rb.phases.map((p) => p.kind)).toEqual(['symptoms', 'investigation', 'mitigation', 'verification', 'post-incident']);
    const drain = rb.phases[2]!.steps.find((s) => s.command?.startsWith('kubectl drain'))!;
    expect(drain).toMatchObject({ dangerous: true, warned: true, placeholders: ['$NODE_NAME'] });
    expect(rb.phases[2]!.steps[1]!.placeholders).toEqual(['<replicas>']);
    expect(report.lint[0]!.warnings).toEqual([]);
  });

  it('database-failover.md: conventions alone give severity, targets and matchers', () => {
    const { runbooks, document } = load('database-failover.md');
    expect(runbooks.map((r) => r.slug)).toEqual(['primary-database-lost']);
    const rb = runbooks[0]!;
    expect(document.severityScheme!.levels.map((l) => [l.id, l.responseSeconds])).toEqual([['SEV-1', 0], ['SEV-2', 1800]]);
    expect(rb.targets.mitigateSeconds).toBe(900);
    expect(rb.matchers.map((m) => m.value)).toEqual(['PostgresPrimaryDown', 'PostgresReplicationLag']);
    expect(rb.phases.map((p) => p.kind)).toEqual(['symptoms', 'immediate', 'recovery', 'verification']);
    const recovery = rb.phases[2]!;
    expect(recovery.steps).toHaveLength(3);
    expect(recovery.steps[0]!.dangerous).toBe(false);
    expect(rb.phases[1]!.timebox).toEqual({ minSeconds: 0, maxSeconds: 300 });
  });

  it('front matter errors are VALIDATION errors naming the field', () => {
    const md = '---\ntargets:\n  mitigate: soonish\n---\n# X\n\n1. do it\n';
    expect(() => importRunbookDocument(md, { sourceName: 'x', now })).toThrowError(
      expect.objectContaining({ code: 'VALIDATION', issues: [{ field: 'frontMatter.targets.mitigate', message: expect.any(String) }] }),
    );
  });

  it('runbooks.<slug> in front matter targets one runbook of a multi-runbook document', () => {
    const md = '---\nowner: sre\nmatchers: [alertname=Ignored]\nrunbooks:\n  disk-full:\n    matchers: [alertname=DiskFull]\n    targets: { resolve: 30 minutes }\n---\n# Ops\n\n## Disk full\n\n1. Free space\n\n## CPU hot\n\n1. Scale out\n';
    const { runbooks, report } = importRunbookDocument(md, { sourceName: 'x', now });
    expect(runbooks.map((r) => [r.slug, r.owner, r.matchers.map((m) => m.value), r.targets.resolveSeconds])).toEqual([
      ['disk-full', 'sre', ['DiskFull'], 1800],
      ['cpu-hot', 'sre', [], undefined],
    ]);
    expect(report.warnings.map((w) => w.code)).toContain('front-matter-matchers-ignored');
  });
});
