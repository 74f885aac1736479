import type { IncidentReport } from '../metrics/build-report.js';
import { duration, reportCsv } from '../metrics/report-csv.js';

export interface ReportMail {
  to: string[];
  subject: string;
  text: string;
  html: string;
  attachments: { filename: string; content: string; contentType: string }[];
  /** Stable per schedule and period: a resend after a crash is recognisably the same message. */
  messageId: string;
}

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
const day = (iso: string) => iso.slice(0, 10);
const pair = (d: { median: number | null; p90: number | null }) => `${duration(d.median)} / ${duration(d.p90)}`;
const share = (x: number | null) => (x === null ? 'no deadlines' : `${Math.round(x * 100)}%`);
const completion = (c: IncidentReport['followUps']['postMortems']) => (c.available ? `${c.completed} of ${c.total}, ${c.overdue} overdue` : 'not available');

/** The headline rows, shared by the text and HTML bodies so the two never disagree. */
export function headlineRows(r: IncidentReport): [string, string][] {
  const o = r.overall;
  return [
    ['Incidents', `${o.count} (${o.open} open, ${r.drills.count} drills apart)`],
    ['Time to acknowledge, median / p90', pair(o.figures.tta)],
    ['Time to resolve, median / p90', pair(o.figures.ttr)],
    ['Acknowledge target met / missed', `${o.targets.ack.met} / ${o.targets.ack.missed}`],
    ['Resolve target met / missed', `${o.targets.resolve.met} / ${o.targets.resolve.missed}`],
    ['Update deadlines kept', `${r.cadence.overall.kept} kept, ${r.cadence.overall.missed} missed (${share(r.cadence.overall.keptShare)})`],
    ['Post-mortems', completion(r.followUps.postMortems)],
    ['Action items', completion(r.followUps.actionItems)],
  ];
}

export function renderReportEmail(input: { scheduleName: string; report: IncidentReport; to: string[]; sendId: string; publicUrl: string }): ReportMail {
  const { report: r, scheduleName } = input;
  const range = `${day(r.range.from)} to ${day(r.range.to)}`;
  const subject = `Firebreak report ${scheduleName}: ${range}, ${r.overall.count} incident${r.overall.count === 1 ? '' : 's'}`;
  const rows = headlineRows(r);
  const severities = r.bySeverity.map((g) => [String(g.key), String(g.count), pair(g.figures.tta), pair(g.figures.ttr)]);
  const small = r.overall.count > 0 && r.overall.figures.tta.smallSample ? `\nFewer than ${r.smallSampleBelow} incidents: ${r.definitions.smallSample}\n` : '';
  const link = `${input.publicUrl.replace(/\/$/, '')}/reports?from=${day(r.range.from)}&to=${day(r.range.to)}&bucket=${r.range.bucket}`;
  const text = [
    `Incident report "${scheduleName}", incidents detected ${range} (to excluded).`,
    '',
    ...rows.map(([k, v]) => `${k}: ${v}`),
    small,
    'By severity (incidents, TTA median / p90, TTR median / p90):',
    ...(severities.length ? severities.map((s) => `  ${s.join('  ')}`) : ['  none']),
    '',
    `Every group and the definitions: the attached CSV, or ${link}`,
  ].join('\n');
  const html = [
    `<p>Incident report <strong>${escapeHtml(scheduleName)}</strong>, incidents detected ${range} (to excluded).</p>`,
    '<table cellpadding="4" style="border-collapse:collapse">',
    ...rows.map(([k, v]) => `<tr><th align="left" scope="row">${escapeHtml(k)}</th><td>${escapeHtml(v)}</td></tr>`),
    '</table>',
    small ? `<p><em>${escapeHtml(small.trim())}</em></p>` : '',
    '<table cellpadding="4" style="border-collapse:collapse"><caption>By severity</caption>',
    '<tr><th scope="col">Severity</th><th scope="col">Incidents</th><th scope="col">TTA median / p90</th><th scope="col">TTR median / p90</th></tr>',
    ...severities.map((s) => `<tr>${s.map((c) => `<td>${escapeHtml(c)}</td>`).join('')}</tr>`),
    '</table>',
    `<p>Every group and the definitions: the attached CSV, or <a href="${escapeHtml(link)}">the metrics page</a>.</p>`,
  ].join('\n');
  return {
    to: input.to, subject, text, html, messageId: `<report-${input.sendId}@firebreak>`,
    attachments: [{ filename: `firebreak-${scheduleName}-${day(r.range.from)}.csv`, content: reportCsv(r), contentType: 'text/csv' }],
  };
}
