import { ErrorBanner } from '../components/error-banner.js';
import { TimeAgo } from '../components/time-ago.js';
import { DetailsTree } from './details-tree.js';
import type { IncidentAlert } from './types.js';
import type { IncidentAlertsState } from './use-incident-alerts.js';
import './alerts.css';

/** Only absolute http(s) URLs become links or images: never javascript:, data: or relative ones. */
export function isHttpUrl(text: string | null | undefined): text is string {
  if (!text || !/^https?:\/\//i.test(text)) return false;
  try {
    const url = new URL(text);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}

const LINK_WORDS: Record<string, string> = { dashboard: 'Dashboard', panel: 'Panel', silence: 'Silence', runbook: 'Runbook', generator: 'Source' };

/** The incident's alerts: counts, first/last seen, then each alert with everything it said. */
export function IncidentAlertsPanel({ alerts }: { alerts: IncidentAlertsState }) {
  const { page, items } = alerts;
  if (!page) return alerts.error ? <ErrorBanner error={alerts.error} /> : null;
  if (page.counts.total === 0) return null;
  const { counts } = page;
  return (
    <section className="card incident-alerts" id="alerts" aria-labelledby="alerts-h">
      <div className="card-head">
        <h2 id="alerts-h">
          Alerts <span className="muted">({counts.total})</span>
        </h2>
      </div>
      <p className="alert-counts">
        {counts.firing ? <span className="alert-count st-firing">{counts.firing} firing</span> : null}
        {counts.acknowledged ? <span className="alert-count st-acknowledged">{counts.acknowledged} acknowledged</span> : null}
        {counts.resolved ? <span className="alert-count st-resolved">{counts.resolved} resolved</span> : null}
        {page.firstSeenAt ? <TimeAgo iso={page.firstSeenAt} prefix="First seen" /> : null}
        {page.lastSeenAt ? <TimeAgo iso={page.lastSeenAt} prefix="Last seen" /> : null}
      </p>
      <ErrorBanner error={alerts.error} />
      <ul className="alert-list">
        {items.map((alert, i) => (
          <li key={alert.id}>
            <AlertItem alert={alert} open={i === 0} />
          </li>
        ))}
      </ul>
      {alerts.next ? (
        <button type="button" className="btn btn-quiet" onClick={() => void alerts.loadMore()} disabled={alerts.loadingMore}>
          {alerts.loadingMore ? 'Loading…' : `Show more alerts (${counts.total - items.length} more)`}
        </button>
      ) : null}
    </section>
  );
}

function AlertItem({ alert, open }: { alert: IncidentAlert; open: boolean }) {
  const links = alert.links.filter((l) => isHttpUrl(l.href));
  const images = alert.images.filter((img) => isHttpUrl(img.src));
  const linkHrefs = new Set(links.map((l) => l.href));
  // Annotations that are shown as links already are not repeated as text.
  const annotations = Object.entries(alert.annotations).filter(([, v]) => !linkHrefs.has(v));
  const labels = Object.entries(alert.labels);
  return (
    <details className="alert-item" open={open} data-alert-id={alert.id}>
      <summary>
        <span className={`alert-status st-${alert.status}`}>{alert.status}</span> <span className="alert-summary">{alert.summary}</span>
        <span className="alert-meta muted">
          {alert.severityRaw ? <span>{alert.severityRaw}</span> : null}
          {alert.count > 1 ? <span>×{alert.count}</span> : null}
          <TimeAgo iso={alert.lastSeenAt} prefix="Last seen" />
        </span>
      </summary>
      <div className="alert-body">
        {alert.description ? <p className="alert-description">{alert.description}</p> : null}
        {links.length ? (
          <ul className="alert-links" aria-label="Links">
            {links.map((l) => (
              <li key={l.href}>
                <a href={l.href} target="_blank" rel="noopener noreferrer" referrerPolicy="no-referrer">
                  {l.kind === 'link' ? (l.text ?? l.href) : LINK_WORDS[l.kind]}
                </a>
              </li>
            ))}
          </ul>
        ) : null}
        {labels.length ? (
          <div className="alert-labels" aria-label="Labels">
            {labels.map(([k, v]) => (
              <span key={k} className="label-chip">
                <span className="label-key">{k}</span>=<span className="label-value">{v}</span>
              </span>
            ))}
          </div>
        ) : null}
        {alert.tags.length ? (
          <div className="alert-tags" aria-label="Tags">
            {alert.tags.map((t) => (
              <span key={t} className="tag">
                {t}
              </span>
            ))}
          </div>
        ) : null}
        {annotations.length ? (
          <dl className="alert-annotations" aria-label="Annotations">
            {annotations.map(([k, v]) => (
              <div key={k}>
                <dt>{k}</dt>
                <dd>{v}</dd>
              </div>
            ))}
          </dl>
        ) : null}
        {images.length ? (
          <div className="alert-images">
            {images.map((img) => {
              const picture = <img src={img.src} alt={img.alt ?? 'Image attached to the alert'} loading="lazy" referrerPolicy="no-referrer" />;
              return isHttpUrl(img.href) ? (
                <a key={img.src} href={img.href} target="_blank" rel="noopener noreferrer" referrerPolicy="no-referrer">
                  {picture}
                </a>
              ) : (
                <span key={img.src}>{picture}</span>
              );
            })}
          </div>
        ) : null}
        {alert.customDetails !== null && alert.customDetails !== undefined ? (
          <details className="alert-custom-details" open>
            <summary>Details</summary>
            <DetailsTree value={alert.customDetails} />
          </details>
        ) : null}
        <p className="alert-facts muted">
          {alert.integrationName ? <span>From {alert.integrationName}</span> : null}
          {alert.source ? <span>Source {alert.source}</span> : null}
          <TimeAgo iso={alert.firstSeenAt} prefix="First seen" />
          {alert.resolvedAt ? <TimeAgo iso={alert.resolvedAt} prefix="Resolved" /> : null}
        </p>
      </div>
    </details>
  );
}

/** Shown in the summary card while the incident has no summary of its own. */
export function AlertSummary({ summary }: { summary: { text: string; description: string | null } }) {
  return (
    <div className="alert-derived-summary">
      <p>
        <span className="muted">From the alert: </span>
        <strong>{summary.text}</strong>
      </p>
      {summary.description ? <p className="alert-description">{summary.description}</p> : null}
      <p className="muted">Edit to say what users see and what you know.</p>
    </div>
  );
}
