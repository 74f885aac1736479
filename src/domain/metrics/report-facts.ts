/**
 * The incident report's raw material for a stretch of time, in columns: the incidents detected
 * in it, and the pages, acknowledgements and update-cadence outcomes that happened in it (each
 * event by its own time, as the report counts them). Events name their incident by number; the
 * report looks the incident up when it folds them in, so an incident's later changes (its
 * severity, service, resolution) need not touch the days its events are cached on.
 * Strings (severities, service and user ids) are indexes into the part's own dictionaries.
 */
export interface ReportFacts {
  severities: string[];
  services: string[];
  people: string[];
  incidents: {
    number: number[];
    severity: number[];
    /** -1: no service. */
    service: number[];
    drill: number[];
    detectedAt: number[];
    /** The other moments as ms after detection (null: not yet). */
    declared: number[];
    acknowledged: (number | null)[];
    mitigated: (number | null)[];
    resolved: (number | null)[];
  };
  /** One page = one person, one incident, one escalation step: when it was queued. */
  pages: { incident: number[]; person: number[]; at: number[] };
  /** Acknowledgements by a person, and their own hand-off of the incident after it, if any. */
  acks: { incident: number[]; person: number[]; at: number[]; handoffAt: (number | null)[] };
  /** Update-cadence outcomes; kind indexes CADENCE_EVENT_KINDS. */
  cadence: { incident: number[]; kind: number[]; at: number[] };
}

export function emptyFacts(): ReportFacts {
  return {
    severities: [], services: [], people: [],
    incidents: { number: [], severity: [], service: [], drill: [], detectedAt: [], declared: [], acknowledged: [], mitigated: [], resolved: [] },
    pages: { incident: [], person: [], at: [] },
    acks: { incident: [], person: [], at: [], handoffAt: [] },
    cadence: { incident: [], kind: [], at: [] },
  };
}

/** Index of `value` in a part's dictionary, adding it if new. */
export class Dictionary {
  private readonly index = new Map<string, number>();
  readonly values: string[];
  constructor(values: string[]) {
    this.values = values;
    values.forEach((v, i) => this.index.set(v, i));
  }
  of(value: string): number {
    let i = this.index.get(value);
    if (i === undefined) {
      i = this.values.length;
      this.values.push(value);
      this.index.set(value, i);
    }
    return i;
  }
}

/**
 * Splits facts into UTC days (`dayMs` long, from `first`): incidents by detection, events by
 * their own time. Each day gets its own dictionaries. Facts outside [first, first + n days) are
 * dropped (the caller asked for exactly those days).
 */
export function splitByDay(facts: ReportFacts, first: number, days: number, dayMs: number): ReportFacts[] {
  const out = Array.from({ length: days }, emptyFacts);
  const dicts = out.map((d) => ({ severities: new Dictionary(d.severities), services: new Dictionary(d.services), people: new Dictionary(d.people) }));
  const dayOf = (at: number): number => {
    const d = Math.floor((at - first) / dayMs);
    return d >= 0 && d < days ? d : -1;
  };
  const inc = facts.incidents;
  for (let i = 0; i < inc.number.length; i++) {
    const d = dayOf(inc.detectedAt[i]!);
    if (d < 0) continue;
    const to = out[d]!.incidents;
    const dict = dicts[d]!;
    to.number.push(inc.number[i]!);
    to.severity.push(dict.severities.of(facts.severities[inc.severity[i]!]!));
    to.service.push(inc.service[i]! < 0 ? -1 : dict.services.of(facts.services[inc.service[i]!]!));
    to.drill.push(inc.drill[i]!);
    to.detectedAt.push(inc.detectedAt[i]!);
    to.declared.push(inc.declared[i]!);
    to.acknowledged.push(inc.acknowledged[i]!);
    to.mitigated.push(inc.mitigated[i]!);
    to.resolved.push(inc.resolved[i]!);
  }
  for (let i = 0; i < facts.pages.at.length; i++) {
    const d = dayOf(facts.pages.at[i]!);
    if (d < 0) continue;
    const to = out[d]!.pages;
    to.incident.push(facts.pages.incident[i]!);
    to.person.push(dicts[d]!.people.of(facts.people[facts.pages.person[i]!]!));
    to.at.push(facts.pages.at[i]!);
  }
  for (let i = 0; i < facts.acks.at.length; i++) {
    const d = dayOf(facts.acks.at[i]!);
    if (d < 0) continue;
    const to = out[d]!.acks;
    to.incident.push(facts.acks.incident[i]!);
    to.person.push(dicts[d]!.people.of(facts.people[facts.acks.person[i]!]!));
    to.at.push(facts.acks.at[i]!);
    to.handoffAt.push(facts.acks.handoffAt[i]!);
  }
  for (let i = 0; i < facts.cadence.at.length; i++) {
    const d = dayOf(facts.cadence.at[i]!);
    if (d < 0) continue;
    const to = out[d]!.cadence;
    to.incident.push(facts.cadence.incident[i]!);
    to.kind.push(facts.cadence.kind[i]!);
    to.at.push(facts.cadence.at[i]!);
  }
  return out;
}
