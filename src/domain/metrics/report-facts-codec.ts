import type { ReportFacts } from './report-facts.js';

/**
 * How a cached day is stored (report_days.data): a small JSON header (the dictionaries and the
 * column lengths), then the columns' bytes as they are in memory, little-endian, the 8-byte
 * ones first so every column is aligned. Decoding is one copy and a view per column: a year of
 * facts is tens of megabytes, which as JSON took longer to parse than all the rest of the
 * report. A change to this layout or to what the facts mean must raise FACTS_FORMAT: cached
 * days of another format are rebuilt.
 */
export const FACTS_FORMAT = 2;

interface Header {
  sev: string[];
  svc: string[];
  ppl: string[];
  /** Incidents, pages, acknowledgements, cadence outcomes. */
  n: [number, number, number, number];
}

type Columns = { f64: Float64Array[]; i32: Int32Array[]; u8: Uint8Array[] };

function columnsOf(f: ReportFacts): Columns {
  const { incidents: i, pages: p, acks: a, cadence: c } = f;
  return {
    f64: [i.number, i.detectedAt, i.declared, i.acknowledged, i.mitigated, i.resolved, p.incident, p.at, a.incident, a.at, a.handoffAt, c.incident, c.at],
    i32: [i.severity, i.service, p.person, a.person, c.kind],
    u8: [i.drill],
  };
}

if (new Uint8Array(new Uint16Array([1]).buffer)[0] !== 1) throw new Error('the report day cache stores columns little-endian; this machine is not');

export function encodeFacts(f: ReportFacts): Buffer {
  const header: Header = { sev: f.severities, svc: f.services, ppl: f.people, n: [f.incidents.number.length, f.pages.at.length, f.acks.at.length, f.cadence.at.length] };
  const head = Buffer.from(JSON.stringify(header));
  const start = align8(4 + head.length);
  const cols = columnsOf(f);
  const size = [...cols.f64, ...cols.i32, ...cols.u8].reduce((sum, c) => sum + c.byteLength, 0);
  const out = Buffer.alloc(start + size);
  out.writeUInt32LE(head.length, 0);
  head.copy(out, 4);
  let at = start;
  for (const c of [...cols.f64, ...cols.i32, ...cols.u8]) {
    out.set(new Uint8Array(c.buffer, c.byteOffset, c.byteLength), at);
    at += c.byteLength;
  }
  return out;
}

export function decodeFacts(data: Uint8Array): ReportFacts {
  const view = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  const headLength = view.readUInt32LE(0);
  const header = JSON.parse(view.toString('utf8', 4, 4 + headLength)) as Header;
  const start = align8(4 + headLength);
  // Every column is a view into the body: the data's own bytes where they are 8-byte aligned
  // (a buffer of its own, as large blobs come), else an aligned copy.
  let body = data.subarray(start);
  if (body.byteOffset % 8 !== 0) {
    body = new Uint8Array(data.byteLength - start);
    body.set(data.subarray(start));
  }
  const [ni, np, na, nc] = header.n;
  let at = 0;
  const f64 = (n: number) => { const c = new Float64Array(body.buffer, body.byteOffset + at, n); at += n * 8; return c; };
  const i32 = (n: number) => { const c = new Int32Array(body.buffer, body.byteOffset + at, n); at += n * 4; return c; };
  const u8 = (n: number) => { const c = new Uint8Array(body.buffer, body.byteOffset + at, n); at += n; return c; };
  // The order of columnsOf.
  const number = f64(ni), detectedAt = f64(ni), declared = f64(ni), acknowledged = f64(ni), mitigated = f64(ni), resolved = f64(ni);
  const pageIncident = f64(np), pageAt = f64(np);
  const ackIncident = f64(na), ackAt = f64(na), handoffAt = f64(na);
  const cadenceIncident = f64(nc), cadenceAt = f64(nc);
  const severity = i32(ni), service = i32(ni), pagePerson = i32(np), ackPerson = i32(na), kind = i32(nc);
  const drill = u8(ni);
  if (at !== body.byteLength) throw new Error(`report day cache: ${body.byteLength} bytes where the header says ${at}`);
  return {
    severities: header.sev, services: header.svc, people: header.ppl,
    incidents: { number, severity, service, drill, detectedAt, declared, acknowledged, mitigated, resolved },
    pages: { incident: pageIncident, person: pagePerson, at: pageAt },
    acks: { incident: ackIncident, person: ackPerson, at: ackAt, handoffAt },
    cadence: { incident: cadenceIncident, kind, at: cadenceAt },
  };
}

const align8 = (n: number): number => Math.ceil(n / 8) * 8;
