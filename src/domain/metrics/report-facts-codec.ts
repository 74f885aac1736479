import type { ReportFacts } from './report-facts.js';

/**
 * How a cached day is stored (report_days.data): the facts' columns as JSON arrays under short
 * keys. JSON because both databases hand text back without a copy through hex (PostgreSQL's
 * bytea would), and V8 parses arrays of numbers fast. A change to this layout or to what the
 * facts mean must raise FACTS_FORMAT: cached days of another format are rebuilt.
 */
export const FACTS_FORMAT = 1;

interface Stored {
  sev: string[];
  svc: string[];
  ppl: string[];
  i: [number[], number[], number[], number[], number[], number[], (number | null)[], (number | null)[], (number | null)[]];
  p: [number[], number[], number[]];
  a: [number[], number[], number[], (number | null)[]];
  c: [number[], number[], number[]];
}

export function encodeFacts(f: ReportFacts): string {
  const i = f.incidents;
  const stored: Stored = {
    sev: f.severities, svc: f.services, ppl: f.people,
    i: [i.number, i.severity, i.service, i.drill, i.detectedAt, i.declared, i.acknowledged, i.mitigated, i.resolved],
    p: [f.pages.incident, f.pages.person, f.pages.at],
    a: [f.acks.incident, f.acks.person, f.acks.at, f.acks.handoffAt],
    c: [f.cadence.incident, f.cadence.kind, f.cadence.at],
  };
  return JSON.stringify(stored);
}

export function decodeFacts(data: string): ReportFacts {
  const s = JSON.parse(data) as Stored;
  const [number, severity, service, drill, detectedAt, declared, acknowledged, mitigated, resolved] = s.i;
  return {
    severities: s.sev, services: s.svc, people: s.ppl,
    incidents: { number, severity, service, drill, detectedAt, declared, acknowledged, mitigated, resolved },
    pages: { incident: s.p[0], person: s.p[1], at: s.p[2] },
    acks: { incident: s.a[0], person: s.a[1], at: s.a[2], handoffAt: s.a[3] },
    cadence: { incident: s.c[0], kind: s.c[1], at: s.c[2] },
  };
}
