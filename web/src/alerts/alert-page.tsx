import { useEffect, useState } from 'react';
import { api } from '../api/client.js';
import { ErrorBanner } from '../components/error-banner.js';
import { TimeAgo } from '../components/time-ago.js';
import { linkClick } from '../lib/router.js';
import { AlertsNav, AlertStatusBadge } from './alerts-nav.js';
import { SilenceForm } from './silence-form.js';
import type { AlertDetail, ApiMatcher } from './types.js';
import './alerts.css';

/** Labels that differ between otherwise identical alerts: a silence from one alert leaves them out. */
const VOLATILE = new Set(['__name__']);

/** One matcher per label, equal to its value: Alertmanager's "silence this alert". */
export function matchersFromLabels(labels: Record<string, string>): ApiMatcher[] {
  return Object.entries(labels)
    .filter(([k]) => !VOLATILE.has(k))
    .map(([name, value]) => ({ name, value, isRegex: false, isEqual: true }));
}

function Pairs({ record, label }: { record: Record<string, string>; label: string }) {
  const entries = Object.entries(record);
  if (entries.length === 0) return <p className="muted">None.</p>;
  return (
    <dl className="alert-pairs" aria-label={label}>
      {entries.map(([k, v]) => (
        <div key={k} className="alert-pair">
          <dt>{k}</dt>
          <dd>{v}</dd>
        </div>
      ))}
    </dl>
  );
}

/** Pretty-printed when it is JSON; as received otherwise. Credentials were redacted by the server. */
function prettyBody(body: string): string {
  try {
    return JSON.stringify(JSON.parse(body), null, 2);
  } catch {
    return body;
  }
}

export function AlertPage({ id }: { id: string }) {
  const [alert, setAlert] = useState<AlertDetail | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [silencing, setSilencing] = useState(false);
  const [silenced, setSilenced] = useState<string | null>(null);
  const [reload, setReload] = useState(0);

  useEffect(() => {
    let stale = false;
    api.get('/api/v1/alerts/{id}', { params: { path: { id } } }).then(
      (a) => {
        if (stale) return;
        setAlert(a);
        document.title = `${a.summary} · Alerts · Firebreak`;
      },
      (e: unknown) => !stale && setError(e),
    );
    return () => {
      stale = true;
    };
  }, [id, reload]);

  if (!alert) {
    return (
      <div className="alerts-page">
        <AlertsNav current="/alerts" />
        <ErrorBanner error={error} />
        {!error ? <p className="muted">Loading…</p> : null}
      </div>
    );
  }
  const links = [
    alert.runbookUrl ? { href: alert.runbookUrl, label: 'Runbook' } : null,
    alert.generatorUrl ? { href: alert.generatorUrl, label: 'Source' } : null,
  ].filter((l): l is { href: string; label: string } => l !== null && /^https?:\/\//i.test(l.href));

  return (
    <div className="alerts-page alert-page">
      <AlertsNav current="/alerts" />
      <div className="page-head">
        <div className="alert-title">
          <div className="alert-row-head">
            <AlertStatusBadge status={alert.status} suppressed={alert.suppressedBy !== null} />
            {alert.severity ? <span className="badge alert-sev">{alert.severity}</span> : null}
            {alert.flapping ? <span className="tag">flapping</span> : null}
          </div>
          <h1>{alert.summary}</h1>
        </div>
        {!silencing ? (
          <button type="button" className="btn btn-primary" onClick={() => setSilencing(true)}>
            Silence…
          </button>
        ) : null}
      </div>
      {silenced ? (
        <p className="card alert-silenced" role="status">
          Silence {silenced} saved.{' '}
          <a href="/silences" onClick={linkClick}>
            See silences
          </a>
        </p>
      ) : null}
      {silencing ? (
        <SilenceForm
          title="Silence alerts like this one"
          initial={matchersFromLabels(alert.labels)}
          onCancel={() => setSilencing(false)}
          onSaved={(sid) => {
            setSilencing(false);
            setSilenced(sid);
            setReload((n) => n + 1);
          }}
        />
      ) : null}

      <section className="card" aria-labelledby="alert-facts-h">
        <h2 id="alert-facts-h">About</h2>
        <dl className="alert-facts">
          <div>
            <dt>Incident</dt>
            <dd>
              {alert.incident ? (
                <a href={`/incidents/${alert.incident.number}`} onClick={linkClick}>
                  #{alert.incident.number} {alert.incident.title}
                </a>
              ) : (
                'none'
              )}
              {alert.incident ? <span className="muted"> ({alert.incident.status})</span> : null}
            </dd>
          </div>
          <div>
            <dt>Why</dt>
            <dd>
              {alert.decision ? `${alert.decision.kind}: ${alert.decision.message}` : '-'}
              {alert.suppressedBy ? (
                <>
                  {' '}
                  (held by{' '}
                  <a href={alert.suppressedBy.startsWith('mw_') ? '/maintenance-windows' : '/silences'} onClick={linkClick}>
                    {alert.suppressedBy}
                  </a>
                  )
                </>
              ) : null}
            </dd>
          </div>
          <div>
            <dt>Integration</dt>
            <dd>
              <a href={`/integrations/${alert.integrationId}`} onClick={linkClick}>
                {alert.integrationName ?? alert.integrationId}
              </a>
            </dd>
          </div>
          <div>
            <dt>Seen</dt>
            <dd>
              {alert.count}× · <TimeAgo iso={alert.firstSeenAt} prefix="first" /> · <TimeAgo iso={alert.lastSeenAt} prefix="last" />
              {alert.resolvedAt ? (
                <>
                  {' '}
                  · <TimeAgo iso={alert.resolvedAt} prefix="resolved" />
                </>
              ) : null}
            </dd>
          </div>
          <div>
            <dt>Dedup key</dt>
            <dd className="mono">{alert.dedupKey}</dd>
          </div>
          {links.length ? (
            <div>
              <dt>Links</dt>
              <dd className="alert-links">
                {links.map((l) => (
                  <a key={l.label} href={l.href} target="_blank" rel="noreferrer noopener">
                    {l.label}
                  </a>
                ))}
              </dd>
            </div>
          ) : null}
        </dl>
        {alert.description?.trim() ? <p className="alert-description">{alert.description}</p> : null}
      </section>
      <section className="card" aria-labelledby="alert-labels-h">
        <h2 id="alert-labels-h">Labels</h2>
        <Pairs record={alert.labels} label="Labels" />
      </section>
      <section className="card" aria-labelledby="alert-annotations-h">
        <h2 id="alert-annotations-h">Annotations</h2>
        <Pairs record={alert.annotations} label="Annotations" />
      </section>
      <section className="card" aria-labelledby="alert-raw-h">
        <h2 id="alert-raw-h">Raw payload</h2>
        {alert.rawPayload ? (
          <>
            <p className="muted">
              {alert.rawPayload.format}, received <TimeAgo iso={alert.rawPayload.receivedAt} />. Keys and tokens are redacted.
            </p>
            <pre className="alert-raw" data-testid="raw-payload" tabIndex={0}>
              {prettyBody(alert.rawPayload.body)}
            </pre>
          </>
        ) : (
          <p className="muted">Pruned: older than the retention period.</p>
        )}
      </section>
    </div>
  );
}
