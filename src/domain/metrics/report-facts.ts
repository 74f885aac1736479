/**
 * The incident report's raw material for a stretch of time, in typed columns: the incidents
 * detected in it, and the pages, acknowledgements and update-cadence outcomes that happened in
 * it (each event by its own time, as the report counts them). Events name their incident by
 * number; the report looks the incident up when it folds them in, so an incident's later
 * changes (its severity, service, resolution) need not touch the days its events are cached on.
 * Strings (severities, service and user ids) are indexes into the part's own dictionaries;
 * a moment that has not come is NaN.
 */
export interface ReportFacts {
  severities: string[];
  services: string[];
  people: string[];
  incidents: {
    number: Float64Array;
    severity: Int32Array;
    /** -1: no service. */
    service: Int32Array;
    drill: Uint8Array;
    detectedAt: Float64Array;
    /** The other moments as ms after detection. */
    declared: Float64Array;
    acknowledged: Float64Array;
    mitigated: Float64Array;
    resolved: Float64Array;
  };
  /** One page = one person, one incident, one escalation step: when it was queued. */
  pages: { incident: Float64Array; person: Int32Array; at: Float64Array };
  /** Acknowledgements by a person, and their own hand-off of the incident after it (NaN: none). */
  acks: { incident: Float64Array; person: Int32Array; at: Float64Array; handoffAt: Float64Array };
  /** Update-cadence outcomes; kind indexes CADENCE_EVENT_KINDS. */
  cadence: { incident: Float64Array; kind: Int32Array; at: Float64Array };
}

/** Index of `value` in a part's dictionary, adding it if new. */
export class Dictionary {
  private readonly index = new Map<string, number>();
  readonly values: string[] = [];
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

/** Facts gathered row by row, then frozen into typed columns. */
export class FactsBuilder {
  readonly severities = new Dictionary();
  readonly services = new Dictionary();
  readonly people = new Dictionary();
  private readonly inc = { number: [] as number[], severity: [] as number[], service: [] as number[], drill: [] as number[], detectedAt: [] as number[], declared: [] as number[], acknowledged: [] as number[], mitigated: [] as number[], resolved: [] as number[] };
  private readonly pages = { incident: [] as number[], person: [] as number[], at: [] as number[] };
  private readonly acks = { incident: [] as number[], person: [] as number[], at: [] as number[], handoffAt: [] as number[] };
  private readonly cadence = { incident: [] as number[], kind: [] as number[], at: [] as number[] };

  /** Moments after detection in ms, NaN for not yet. */
  incident(number: number, severity: string, serviceId: string | null, drill: boolean, detectedAt: number, declared: number, acknowledged: number, mitigated: number, resolved: number): void {
    const i = this.inc;
    i.number.push(number);
    i.severity.push(this.severities.of(severity));
    i.service.push(serviceId === null ? -1 : this.services.of(serviceId));
    i.drill.push(drill ? 1 : 0);
    i.detectedAt.push(detectedAt);
    i.declared.push(declared);
    i.acknowledged.push(acknowledged);
    i.mitigated.push(mitigated);
    i.resolved.push(resolved);
  }

  page(incident: number, userId: string, at: number): void {
    this.pages.incident.push(incident);
    this.pages.person.push(this.people.of(userId));
    this.pages.at.push(at);
  }

  ack(incident: number, userId: string, at: number, handoffAt: number): void {
    this.acks.incident.push(incident);
    this.acks.person.push(this.people.of(userId));
    this.acks.at.push(at);
    this.acks.handoffAt.push(handoffAt);
  }

  cadenceOutcome(incident: number, kind: number, at: number): void {
    this.cadence.incident.push(incident);
    this.cadence.kind.push(kind);
    this.cadence.at.push(at);
  }

  build(): ReportFacts {
    const f64 = (a: number[]) => Float64Array.from(a);
    const i32 = (a: number[]) => Int32Array.from(a);
    const { inc, pages, acks, cadence } = this;
    return {
      severities: this.severities.values, services: this.services.values, people: this.people.values,
      incidents: {
        number: f64(inc.number), severity: i32(inc.severity), service: i32(inc.service), drill: Uint8Array.from(inc.drill), detectedAt: f64(inc.detectedAt),
        declared: f64(inc.declared), acknowledged: f64(inc.acknowledged), mitigated: f64(inc.mitigated), resolved: f64(inc.resolved),
      },
      pages: { incident: f64(pages.incident), person: i32(pages.person), at: f64(pages.at) },
      acks: { incident: f64(acks.incident), person: i32(acks.person), at: f64(acks.at), handoffAt: f64(acks.handoffAt) },
      cadence: { incident: f64(cadence.incident), kind: i32(cadence.kind), at: f64(cadence.at) },
    };
  }
}

/**
 * Splits facts into UTC days (`dayMs` long, from `first`): incidents by detection, events by
 * their own time. Each day gets its own dictionaries. Facts outside [first, first + n days) are
 * dropped (the caller asked for exactly those days).
 */
export function splitByDay(facts: ReportFacts, first: number, days: number, dayMs: number): ReportFacts[] {
  const out = Array.from({ length: days }, () => new FactsBuilder());
  const dayOf = (at: number): FactsBuilder | undefined => {
    const d = Math.floor((at - first) / dayMs);
    return d >= 0 && d < days ? out[d] : undefined;
  };
  const inc = facts.incidents;
  for (let i = 0; i < inc.number.length; i++) {
    const serviceIndex = inc.service[i]!;
    dayOf(inc.detectedAt[i]!)?.incident(
      inc.number[i]!, facts.severities[inc.severity[i]!]!, serviceIndex < 0 ? null : facts.services[serviceIndex]!, inc.drill[i] === 1,
      inc.detectedAt[i]!, inc.declared[i]!, inc.acknowledged[i]!, inc.mitigated[i]!, inc.resolved[i]!,
    );
  }
  const { pages, acks, cadence } = facts;
  for (let i = 0; i < pages.at.length; i++) dayOf(pages.at[i]!)?.page(pages.incident[i]!, facts.people[pages.person[i]!]!, pages.at[i]!);
  for (let i = 0; i < acks.at.length; i++) dayOf(acks.at[i]!)?.ack(acks.incident[i]!, facts.people[acks.person[i]!]!, acks.at[i]!, acks.handoffAt[i]!);
  for (let i = 0; i < cadence.at.length; i++) dayOf(cadence.at[i]!)?.cadenceOutcome(cadence.incident[i]!, cadence.kind[i]!, cadence.at[i]!);
  return out.map((b) => b.build());
}
