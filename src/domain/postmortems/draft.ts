import { evaluateIncidentTargets, type TargetResult } from '../metrics/incident-targets.js';
import type { IncidentRecord } from './record.js';

/**
 * The post-mortem drafted from the record: what Firebreak knows for certain, in Markdown
 * fragments a template places into sections. Pure: records and `now` in, text out. Nothing here
 * judges people; it says what happened and when.
 */
export interface PostmortemDraft {
  title: string;
  incidents: { number: number; title: string; severity: string; service: string | null; link: string }[];
  /** First alert's start (or detection) → resolution; `end` null while any incident is open. */
  impactWindow: { start: number; end: number | null; durationMs: number | null };
  sections: {
    impact: string;
    detection: string;
    response: string;
    runbooks: string;
    targets: string;
    updates: string;
    statusPage: string;
    /** The starred moments (or a note that there are none yet). */
    timeline: string;
    /** Link(s) to the full timeline on the incident page. */
    fullTimeline: string;
  };
  /** Counts a reader (and the tests) can check without parsing prose. */
  facts: { starred: number; pages: number; acknowledgements: number; updates: number; cadenceKept: number; cadenceMissed: number; targetsMissed: number };
}

export const STAR_TAGS = ['detection', 'diagnosis', 'mitigation', 'repair', 'other'] as const;
export type StarTag = (typeof STAR_TAGS)[number];

const pad = (n: number) => String(n).padStart(2, '0');
export function fmtTime(ms: number): string {
  const d = new Date(ms);
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())} UTC`;
}
export function fmtDuration(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return `${s} s`;
  const m = Math.round(s / 60);
  if (m < 60) return `${m} min`;
  const h = Math.floor(m / 60);
  if (h < 48) return m % 60 ? `${h} h ${m % 60} min` : `${h} h`;
  return `${Math.floor(h / 24)} d ${h % 24} h`;
}
const firstLine = (s: string) => (s.split('\n')[0] ?? '').trim();
/** Table cells: a pipe or newline would break the row. */
const cell = (s: string) => s.replace(/\|/g, '\\|').replace(/\s*\n\s*/g, ' ');

function problemStart(r: IncidentRecord): number {
  const starts = r.alerts.map((a) => a.startedAt ?? a.firstSeenAt);
  return starts.length ? Math.min(...starts) : r.incident.detectedAt;
}

function detection(r: IncidentRecord): string {
  const first = [...r.alerts].sort((a, b) => (a.startedAt ?? a.firstSeenAt) - (b.startedAt ?? b.firstSeenAt))[0];
  if (!first) {
    return `Declared by hand at ${fmtTime(r.incident.declaredAt)}; no alert fired${r.incident.declaredAt > r.incident.detectedAt ? ` (problem noted from ${fmtTime(r.incident.detectedAt)}, ${fmtDuration(r.incident.declaredAt - r.incident.detectedAt)} before declaring)` : ''}.`;
  }
  const from = [first.integration, first.format ? `(${first.format})` : null, first.source ? `source \`${first.source}\`` : null].filter(Boolean).join(' ');
  const began = first.startedAt ?? first.firstSeenAt;
  const lines = [
    `- First alert: **${first.summary}**${from ? ` from ${from}` : ''}.`,
    `- The problem began at ${fmtTime(began)}${first.startedAt === null ? ' (the sender gave no start time: receipt time used)' : ''}; Firebreak received the alert at ${fmtTime(first.firstSeenAt)}, ${fmtDuration(first.firstSeenAt - began)} later.`,
    `- ${r.alerts.length} alert${r.alerts.length === 1 ? '' : 's'} joined this incident.`,
  ];
  return lines.join('\n');
}

function response(r: IncidentRecord): { text: string; acks: number } {
  const rows: { at: number; what: string }[] = [];
  for (const p of r.pages) rows.push({ at: p.at, what: `${p.purpose === 'manual' ? 'Paged by hand' : 'Paged'}: **${p.userName}** (${p.channels.join(', ')})${p.sent ? '' : ', not delivered'}` });
  let acks = 0;
  for (const e of r.timeline) {
    const d = e.data;
    if (e.kind === 'status_changed' && d['from'] === 'triggered' && d['to'] !== 'resolved' && d['to'] !== 'triggered') {
      acks++;
      rows.push({ at: e.at, what: `Acknowledged by **${e.actorName}** (${String(d['to'])})` });
    } else if (e.kind === 'status_changed' && d['event'] === 'retrigger') rows.push({ at: e.at, what: 'Acknowledgement timed out; paging again' });
    else if (e.kind === 'escalation_advanced' || e.kind === 'escalation_exhausted') rows.push({ at: e.at, what: `Escalation: ${firstLine(e.body)}` });
    else if (e.kind === 'handoff') rows.push({ at: e.at, what: `Hand-off: ${firstLine(e.body)}` });
    else if (e.kind === 'role_assigned') rows.push({ at: e.at, what: firstLine(e.body) });
    else if (e.kind === 'status_changed' && d['to'] === 'resolved') rows.push({ at: e.at, what: `Resolved by **${e.actorName}**` });
  }
  rows.sort((a, b) => a.at - b.at);
  if (rows.length === 0) return { text: 'Nobody was paged and nobody acknowledged.', acks };
  return { text: ['| Time | What |', '| --- | --- |', ...rows.map((x) => `| ${fmtTime(x.at)} | ${cell(x.what)} |`)].join('\n'), acks };
}

function runbooks(r: IncidentRecord): string {
  if (r.runbooks.length === 0) return 'No runbook was followed.';
  return r.runbooks.map((run) => {
    const taken = run.steps.filter((s) => s.state !== 'pending');
    const head = `**${run.title}**: ${taken.length} of ${run.steps.length} steps taken.`;
    if (taken.length === 0) return head;
    const rows = taken.map((s) => {
      const took = s.startedAt !== null && s.at !== null ? ` (${fmtDuration(s.at - s.startedAt)})` : '';
      return `| ${s.at !== null ? fmtTime(s.at) : ''} | ${cell(firstLine(s.text))} | ${s.state}${took}${s.reason ? `: ${cell(s.reason)}` : ''} | ${cell(s.by ?? '')} |`;
    });
    return [head, '', '| Time | Step | Result | By |', '| --- | --- | --- | --- |', ...rows].join('\n');
  }).join('\n\n');
}

function targetLine(name: string, t: TargetResult): string {
  if (t.outcome === 'notApplicable') return `- ${name}: no target${t.actualSeconds !== null ? ` (took ${fmtDuration(t.actualSeconds * 1000)})` : ''}.`;
  const target = fmtDuration((t.targetSeconds ?? 0) * 1000);
  if (t.outcome === 'pending') return `- ${name}: target ${target}, not reached yet.`;
  const took = t.actualSeconds !== null ? `took ${fmtDuration(t.actualSeconds * 1000)}` : 'never happened';
  return `- ${name}: target ${target}, ${took}: **${t.outcome}**.`;
}

function targets(r: IncidentRecord, now: number): { text: string; missed: number } {
  const s = r.severity;
  const t = evaluateIncidentTargets(
    { detectedAt: r.incident.detectedAt, acknowledgedAt: r.incident.acknowledgedAt, resolvedAt: r.incident.resolvedAt },
    { ackTargetSeconds: s?.ackTargetSeconds ?? null, resolveTargetSeconds: s?.resolveTargetSeconds ?? null },
    now,
  );
  const missed = [t.ack, t.resolve].filter((x) => x.outcome === 'missed').length;
  return { text: [`Severity ${r.incident.severity}${s ? ` (${s.name})` : ''}, measured from detection:`, targetLine('Acknowledge', t.ack), targetLine('Resolve', t.resolve)].join('\n'), missed };
}

function updates(r: IncidentRecord): { text: string; kept: number; missed: number } {
  if (r.updates.length === 0) return { text: 'No stakeholder update was posted.', kept: 0, missed: 0 };
  let kept = 0;
  let missed = 0;
  const rows = r.updates.map((u, i) => {
    const next = r.updates[i + 1];
    let cadence = 'no next update promised';
    if (u.nextUpdateBy !== null) {
      // A promise that ended with the incident's resolution was kept by resolving.
      const answeredAt = next?.postedAt ?? r.incident.resolvedAt;
      if (answeredAt !== null && answeredAt <= u.nextUpdateBy) { kept++; cadence = 'next one on time'; }
      else if (answeredAt !== null) { missed++; cadence = `next one **${fmtDuration(answeredAt - u.nextUpdateBy)} late**`; }
      else cadence = `next promised by ${fmtTime(u.nextUpdateBy)}`;
    }
    return `| ${fmtTime(u.postedAt)} | ${u.kind} | ${u.audiences.join(', ')} | ${cell(u.author)} | ${cadence} |`;
  });
  const cadence = r.severity?.updateCadenceSeconds ? `Cadence for ${r.incident.severity}: every ${fmtDuration(r.severity.updateCadenceSeconds * 1000)}. ` : '';
  const verdict = `${cadence}Promises kept: ${kept}, missed: ${missed}.`;
  return { text: [verdict, '', '| Posted | Kind | Audiences | By | Cadence |', '| --- | --- | --- | --- | --- |', ...rows].join('\n'), kept, missed };
}

function statusPage(r: IncidentRecord): string {
  if (r.statusPages.length === 0) return 'Not published on a status page.';
  return r.statusPages.map((p) => [
    `**${p.name}** (impact ${p.impact}):`,
    ...p.updates.map((u) => `- ${fmtTime(u.at)} **${u.status}**: ${firstLine(u.body)}`),
  ].join('\n')).join('\n\n');
}

function starred(r: IncidentRecord): { text: string; count: number } {
  const byId = new Map(r.timeline.map((e) => [e.id, e]));
  const rows = r.stars.map((s) => ({ s, e: byId.get(s.eventId) })).filter((x) => x.e).sort((a, b) => a.e!.at - b.e!.at);
  if (rows.length === 0) return { text: '_No key moments starred yet: star them on the incident timeline._', count: 0 };
  return {
    text: ['| Time | Moment | What happened | By |', '| --- | --- | --- | --- |', ...rows.map(({ s, e }) => `| ${fmtTime(e!.at)} | ${s.tag} | ${cell(firstLine(e!.body))} | ${cell(e!.actorName)} |`)].join('\n'),
    count: rows.length,
  };
}

/** Several incidents: each one's part under its own heading; one incident: the part alone. */
function joined(records: readonly IncidentRecord[], part: (r: IncidentRecord) => string): string {
  if (records.length === 1) return part(records[0]!);
  return records.map((r) => `**#${r.incident.number} ${r.incident.title}**\n\n${part(r)}`).join('\n\n');
}

export function draftPostmortem(records: readonly IncidentRecord[], now: number): PostmortemDraft {
  if (records.length === 0) throw new Error('a post-mortem covers at least one incident');
  const start = Math.min(...records.map(problemStart));
  const open = records.some((r) => r.incident.resolvedAt === null);
  const end = open ? null : Math.max(...records.map((r) => r.incident.resolvedAt!));
  const facts = { starred: 0, pages: 0, acknowledgements: 0, updates: 0, cadenceKept: 0, cadenceMissed: 0, targetsMissed: 0 };
  const services = [...new Set(records.map((r) => r.incident.service).filter((s): s is string => s !== null))];
  const impact = [
    `- Impact window: ${fmtTime(start)} → ${end === null ? 'ongoing (not resolved yet)' : `${fmtTime(end)} (${fmtDuration(end - start)})`}, from the first alert's start to the resolution.`,
    `- Severity: ${[...new Set(records.map((r) => r.incident.severity))].join(', ')}${services.length ? `; services: ${services.join(', ')}` : ''}.`,
    ...records.filter((r) => r.incident.summary.trim()).map((r) => `- ${records.length > 1 ? `#${r.incident.number}: ` : ''}${firstLine(r.incident.summary)}`),
  ].join('\n');
  const sections = {
    impact,
    detection: joined(records, detection),
    response: joined(records, (r) => { const x = response(r); facts.acknowledgements += x.acks; facts.pages += r.pages.length; return x.text; }),
    runbooks: joined(records, runbooks),
    targets: joined(records, (r) => { const x = targets(r, now); facts.targetsMissed += x.missed; return x.text; }),
    updates: joined(records, (r) => { const x = updates(r); facts.cadenceKept += x.kept; facts.cadenceMissed += x.missed; facts.updates += r.updates.length; return x.text; }),
    statusPage: joined(records, statusPage),
    timeline: joined(records, (r) => { const x = starred(r); facts.starred += x.count; return x.text; }),
    fullTimeline: records.map((r) => `[Full timeline of #${r.incident.number}](/incidents/${r.incident.number}#timeline)`).join(' · '),
  };
  const first = records[0]!.incident;
  return {
    title: `Post-mortem: ${first.title}`,
    incidents: records.map((r) => ({ number: r.incident.number, title: r.incident.title, severity: r.incident.severity, service: r.incident.service, link: `/incidents/${r.incident.number}` })),
    impactWindow: { start, end, durationMs: end === null ? null : end - start },
    sections,
    facts,
  };
}
