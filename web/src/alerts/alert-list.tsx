import { useEffect, useState, type FormEvent } from 'react';
import { api, type QueryOf } from '../api/client.js';
import { ErrorBanner, fieldError } from '../components/error-banner.js';
import { TimeAgo } from '../components/time-ago.js';
import type { Integration } from '../integrations/types.js';
import { linkClick, navigate, useLocation } from '../lib/router.js';
import { AlertsNav, AlertStatusBadge, LabelChips } from './alerts-nav.js';
import { ALERT_STATUS_FILTERS, fromLocalInput, toLocalInput, type Alert } from './types.js';
import './alerts.css';

const SEARCH_KEYS = ['matchers', 'status', 'integration', 'since', 'until'] as const;
type Search = Record<(typeof SEARCH_KEYS)[number], string>;

function searchFrom(params: URLSearchParams): Search {
  return Object.fromEntries(SEARCH_KEYS.map((k) => [k, params.get(k) ?? ''])) as Search;
}

/** The search as the typed client's query (the server validates the values). */
const alertQuery = (q: string) => Object.fromEntries(new URLSearchParams(q)) as QueryOf<'/api/v1/alerts'>;

function queryOf(search: Search, before: string | null): string {
  const q = new URLSearchParams();
  for (const k of SEARCH_KEYS) if (search[k]) q.set(k, search[k]);
  q.set('limit', '50');
  if (before) q.set('before', before);
  return q.toString();
}

/**
 * Alerts, newest first, searched by label matchers, status, integration and when they were first
 * received. The search lives in the URL (shareable, back button works); pages load by keyset.
 */
export function AlertListPage() {
  const location = useLocation();
  const search = searchFrom(location.search);
  const key = queryOf(search, null);
  const [integrations, setIntegrations] = useState<Integration[]>([]);
  const [alerts, setAlerts] = useState<Alert[] | null>(null);
  const [next, setNext] = useState<string | null>(null);
  const [scanLimited, setScanLimited] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [loadingMore, setLoadingMore] = useState(false);

  useEffect(() => {
    document.title = 'Alerts · Firebreak';
    api.get('/api/v1/integrations').then((r) => setIntegrations(r.items), () => setIntegrations([]));
  }, []);

  useEffect(() => {
    let stale = false;
    setAlerts(null);
    setError(null);
    api.get('/api/v1/alerts', { params: { query: alertQuery(key) } }).then(
      (page) => {
        if (stale) return;
        setAlerts(page.alerts);
        setNext(page.next);
        setScanLimited(page.scanLimited);
      },
      (e: unknown) => !stale && setError(e),
    );
    return () => {
      stale = true;
    };
  }, [key]);

  async function loadMore() {
    if (!next) return;
    setLoadingMore(true);
    try {
      const page = await api.get('/api/v1/alerts', { params: { query: alertQuery(queryOf(search, next)) } });
      setAlerts((prev) => [...(prev ?? []), ...page.alerts]);
      setNext(page.next);
      setScanLimited(page.scanLimited);
    } catch (e) {
      setError(e);
    } finally {
      setLoadingMore(false);
    }
  }

  const names = new Map(integrations.map((i) => [i.id, i.name]));
  return (
    <div className="alerts-page">
      <AlertsNav current="/alerts" />
      <div className="page-head">
        <h1>Alerts</h1>
      </div>
      <SearchForm key={location.search.toString()} initial={search} integrations={integrations} error={error} />
      <ErrorBanner error={error} />
      {alerts === null && !error ? <p className="muted">Loading…</p> : null}
      {alerts?.length === 0 && !next ? <p className="muted">No alerts match.</p> : null}
      <ul className="alert-list" aria-label="Alerts">
        {alerts?.map((a) => (
          <li key={a.id} className="card alert-row" data-testid="alert-row">
            <div className="alert-row-head">
              <AlertStatusBadge status={a.status} suppressed={a.suppressedBy !== null} />
              <a href={`/alerts/${a.id}`} onClick={linkClick} className="alert-summary">
                {a.summary}
              </a>
            </div>
            <LabelChips labels={a.labels} max={6} />
            <div className="alert-meta muted">
              <span>{names.get(a.integrationId) ?? a.integrationId}</span>
              {a.severity ? <span>severity {a.severity}</span> : null}
              {a.count > 1 ? <span>×{a.count}</span> : null}
              <span>
                <TimeAgo iso={a.firstSeenAt} prefix="first" />, <TimeAgo iso={a.lastSeenAt} prefix="last" />
              </span>
              {a.decision ? <span>{a.decision.kind}</span> : null}
            </div>
          </li>
        ))}
      </ul>
      {next ? (
        <div className="alert-more">
          {scanLimited ? <p className="muted">{alerts?.length ? 'More may match further back.' : 'None among the newest alerts searched.'} Searching goes on from where it stopped.</p> : null}
          <button type="button" className="btn" disabled={loadingMore} onClick={() => void loadMore()}>
            {loadingMore ? 'Loading…' : scanLimited ? 'Search older alerts' : 'Load more'}
          </button>
        </div>
      ) : null}
    </div>
  );
}

function SearchForm({ initial, integrations, error }: { initial: Search; integrations: Integration[]; error: unknown }) {
  const [matchers, setMatchers] = useState(initial.matchers);
  const [status, setStatus] = useState(initial.status);
  const [integration, setIntegration] = useState(initial.integration);
  const [since, setSince] = useState(initial.since ? toLocalInput(initial.since) : '');
  const [until, setUntil] = useState(initial.until ? toLocalInput(initial.until) : '');

  function submit(event: FormEvent) {
    event.preventDefault();
    const q = new URLSearchParams();
    const values: Search = { matchers: matchers.trim(), status, integration, since: fromLocalInput(since) ?? '', until: fromLocalInput(until) ?? '' };
    for (const k of SEARCH_KEYS) if (values[k]) q.set(k, values[k]);
    navigate(`/alerts${q.toString() ? `?${q}` : ''}`);
  }

  const matchersError = fieldError(error, 'matchers');
  return (
    <form className="card form alert-search" role="search" aria-label="Search alerts" onSubmit={submit}>
      <label className="field alert-search-matchers">
        <span>Label matchers</span>
        <input
          name="matchers"
          placeholder='alertname="DiskFull", env=~"prod|stage"'
          spellCheck={false}
          autoCapitalize="off"
          value={matchers}
          onChange={(e) => setMatchers(e.target.value)}
          aria-invalid={matchersError ? true : undefined}
        />
        {matchersError ? <small className="field-error">{matchersError}</small> : null}
      </label>
      <label className="field">
        <span>Status</span>
        <select name="status" value={status} onChange={(e) => setStatus(e.target.value)}>
          <option value="">Any</option>
          {ALERT_STATUS_FILTERS.map((s) => (
            <option key={s} value={s}>
              {s}
            </option>
          ))}
        </select>
      </label>
      <label className="field">
        <span>Integration</span>
        <select name="integration" value={integration} onChange={(e) => setIntegration(e.target.value)}>
          <option value="">Any</option>
          {integrations.map((i) => (
            <option key={i.id} value={i.id}>
              {i.name}
            </option>
          ))}
        </select>
      </label>
      <label className="field">
        <span>Received from</span>
        <input name="since" type="datetime-local" value={since} onChange={(e) => setSince(e.target.value)} />
      </label>
      <label className="field">
        <span>Received until</span>
        <input name="until" type="datetime-local" value={until} onChange={(e) => setUntil(e.target.value)} aria-invalid={fieldError(error, 'until') ? true : undefined} />
      </label>
      <div className="form-actions">
        <button type="submit" className="btn btn-primary">
          Search
        </button>
        <a href="/alerts" onClick={linkClick}>
          Clear
        </a>
      </div>
    </form>
  );
}
