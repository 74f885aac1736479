import { useEffect, useState, type FormEvent } from 'react';
import { api, query } from '../api/client.js';
import type { components } from '../api/schema.js';
import { ErrorBanner } from '../components/error-banner.js';
import { linkClick, navigate, useLocation } from '../lib/router.js';
import { secondsText } from '../lib/time.js';
import { AckHistogramChart, SeverityCountChart, TimesTrendChart } from '../reports/charts.js';

type View = components['schemas'];
type Report = View['IncidentReport'];
type Group = View['ReportGroup'];
type Completion = View['CompletionFigure'];

const share = (x: number | null) => (x === null ? '–' : `${Math.round(x * 100)}%`);

function CompletionText({ c }: { c: Completion }) {
  if (!c.available) return <span className="muted">{c.note}</span>;
  return <span>{c.completed} of {c.total} ({share(c.completedShare)}), {c.overdue} overdue</span>;
}

function Figure({ d }: { d: View['ReportFigure'] }) {
  if (d.count === 0) return <span className="muted">–</span>;
  return (
    <span title={`${d.definition}\nn=${d.count}, max ${secondsText(d.max)}, mean ${secondsText(d.mean)}`}>
      {secondsText(d.median)} / {secondsText(d.p90)}
      {d.smallSample ? <span className="warn-text" title="small sample"> *</span> : null}
    </span>
  );
}

function GroupTable({ title, groups, report }: { title: string; groups: Group[]; report: Report }) {
  return (
    <table className="report-table">
      <caption>{title}</caption>
      <thead>
        <tr>
          <th scope="col">Group</th><th scope="col">Incidents</th><th scope="col">Open</th>
          <th scope="col" title={report.definitions.ttd}>TTD median / p90</th>
          <th scope="col" title={report.definitions.tta}>TTA median / p90</th>
          <th scope="col" title={report.definitions.ttr}>TTR median / p90</th>
          <th scope="col" title={report.definitions.targets}>Ack met / missed</th>
          <th scope="col" title={report.definitions.targets}>Resolve met / missed</th>
        </tr>
      </thead>
      <tbody>
        {groups.map((g) => (
          <tr key={String(g.key)}>
            <th scope="row">{g.key ?? '(none)'}</th><td>{g.count}</td><td>{g.open}</td>
            <td><Figure d={g.figures.ttd} /></td><td><Figure d={g.figures.tta} /></td><td><Figure d={g.figures.ttr} /></td>
            <td>{g.targets.ack.met} / {g.targets.ack.missed}</td><td>{g.targets.resolve.met} / {g.targets.resolve.missed}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

const day = (iso: string) => iso.slice(0, 10);

/** A plain-table metrics page; the range lives in the URL so a view can be shared. */
export function ReportsPage() {
  const { search } = useLocation();
  const to = search.get('to') ?? day(new Date(Date.now() + 86_400_000).toISOString());
  const from = search.get('from') ?? day(new Date(Date.parse(to) - 30 * 86_400_000).toISOString());
  const bucket = search.get('bucket') === 'month' ? 'month' : 'week';
  const [report, setReport] = useState<Report | null>(null);
  const [error, setError] = useState<unknown>(null);

  useEffect(() => {
    let cancelled = false;
    api.get('/api/v1/reports/incidents', { params: { query: { from: from || undefined, to: to || undefined, bucket: bucket || undefined } } })
      .then((r) => { if (!cancelled) { setReport(r); setError(null); } })
      .catch((e: unknown) => { if (!cancelled) setError(e); });
    return () => { cancelled = true; };
  }, [from, to, bucket]);

  const submit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    navigate(`/reports${query({ from: String(form.get('from')), to: String(form.get('to')), bucket: String(form.get('bucket')) })}`);
  };

  return (
    <div className="reports">
      <h1>Incident metrics</h1>
      <p className="muted">Follow-ups: <a href="/action-items" onClick={linkClick}>action items</a> (open and overdue, by team and owner).</p>
      <p className="muted"><a href="/postmortems" onClick={linkClick}>Post-mortems</a>: drafted from each incident's record, with their review status and due dates.</p>
      <form className="report-filters" onSubmit={submit}>
        <label>From <input type="date" name="from" defaultValue={from} key={`f${from}`} /></label>
        <label>To <input type="date" name="to" defaultValue={to} key={`t${to}`} /></label>
        <label>Trend by <select name="bucket" defaultValue={bucket} key={`b${bucket}`}><option value="week">week</option><option value="month">month</option></select></label>
        <button type="submit" className="btn">Show</button>
      </form>
      <ErrorBanner error={error} onDismiss={() => setError(null)} />
      {report ? (
        <>
          <p className="muted">
            Incidents detected {day(report.range.from)} to {day(report.range.to)} (to excluded); drills apart. Median / p90; <span className="warn-text">*</span> {report.definitions.smallSample}
          </p>
          {report.overall.count === 0 ? <p className="empty">No incidents in this range.</p> : null}
          <div className="charts">
            <TimesTrendChart points={report.trend.map((b) => ({ start: b.start, tta: b.figures.tta, ttr: b.figures.ttr, severityCounts: b.severityCounts }))} bucket={report.range.bucket} />
            <SeverityCountChart points={report.trend.map((b) => ({ start: b.start, tta: b.figures.tta, ttr: b.figures.ttr, severityCounts: b.severityCounts }))} bucket={report.range.bucket} severities={report.bySeverity.map((g) => String(g.key)).sort()} />
            <AckHistogramChart histogram={report.overall.figures.tta.histogram} />
          </div>
          <GroupTable title="All incidents" groups={[{ ...report.overall, key: 'all' }, { ...report.drills, key: 'drills' }]} report={report} />
          <GroupTable title="By severity" groups={report.bySeverity} report={report} />
          <GroupTable title="By service" groups={report.byService} report={report} />
          <GroupTable title="By team" groups={report.byTeam} report={report} />
          <GroupTable title={`Trend by ${report.range.bucket}`} groups={report.trend.map((b) => ({ ...b, key: day(b.start) }))} report={report} />
          <table className="report-table">
            <caption title={report.definitions.onCall}>On-call load</caption>
            <thead><tr><th scope="col">Person</th><th scope="col">Time zone</th><th scope="col">Pages</th><th scope="col">Out of hours</th><th scope="col">Night</th><th scope="col">Drill pages</th><th scope="col" title={report.onCall.timeAcknowledgedDefinition}>Acknowledgements</th><th scope="col" title={report.onCall.timeAcknowledgedDefinition}>Time acknowledged</th></tr></thead>
            <tbody>
              {report.onCall.people.map((p) => (
                <tr key={p.userId}><th scope="row">{p.name}</th><td>{p.timeZone}</td><td>{p.pages}</td><td>{p.outOfHours}</td><td>{p.night}</td><td>{p.drillPages}</td><td>{p.acknowledgements}</td><td>{secondsText(p.acknowledgedSeconds)}</td></tr>
              ))}
            </tbody>
          </table>
          <table className="report-table">
            <caption title={report.cadence.definition}>Update-cadence adherence</caption>
            <thead><tr><th scope="col">Severity</th><th scope="col">Deadlines kept</th><th scope="col">Missed</th><th scope="col">Posted late</th><th scope="col">Kept</th></tr></thead>
            <tbody>
              {[...report.cadence.bySeverity, { ...report.cadence.overall, severity: 'all' }].map((c) => (
                <tr key={String(c.severity)}><th scope="row">{c.severity}</th><td>{c.kept}</td><td>{c.missed}</td><td>{c.late}</td><td>{share(c.keptShare)}</td></tr>
              ))}
            </tbody>
          </table>
          <table className="report-table">
            <caption title={report.followUps.definition}>Follow-up completion</caption>
            <tbody>
              <tr><th scope="row">Post-mortems</th><td><CompletionText c={report.followUps.postMortems} /></td></tr>
              <tr><th scope="row">Action items</th><td><CompletionText c={report.followUps.actionItems} /></td></tr>
            </tbody>
          </table>
          <dl className="definitions">
            {Object.entries(report.definitions).map(([k, v]) => (<div key={k}><dt>{k}</dt><dd>{v}</dd></div>))}
          </dl>
        </>
      ) : null}
    </div>
  );
}
