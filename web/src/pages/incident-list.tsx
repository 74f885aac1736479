import { useCallback, useEffect, useRef, useState, type FormEvent } from 'react';
import { api, query } from '../api/client.js';
import type { Incident, IncidentStatus } from '../api/types.js';
import { SeverityBadge, StatusBadge } from '../components/badges.js';
import { ErrorBanner } from '../components/error-banner.js';
import { TimeAgo } from '../components/time-ago.js';
import { useApp } from '../lib/app-context.js';
import { linkClick, navigate, useLocation } from '../lib/router.js';
import { touchNow } from '../lib/use-now.js';

const STATUS_FILTERS: { value: string; label: string }[] = [
  { value: 'open', label: 'Open' },
  { value: 'triggered', label: 'Triggered' },
  { value: 'acknowledged', label: 'Acknowledged' },
  { value: 'investigating', label: 'Investigating' },
  { value: 'identified', label: 'Identified' },
  { value: 'monitoring', label: 'Monitoring' },
  { value: 'resolved', label: 'Resolved' },
  { value: 'all', label: 'All' },
];

const REFRESH_MS = 15_000;

/** Filters live in the URL so a filtered view can be bookmarked or pasted into a channel. */
function filtersFrom(search: URLSearchParams) {
  return {
    status: search.get('status') ?? 'open',
    severity: (search.get('severity') ?? '').split(',').filter(Boolean),
    service: search.get('service') ?? '',
    q: search.get('q') ?? '',
  };
}
type Filters = ReturnType<typeof filtersFrom>;

function toSearch(f: Filters): string {
  return query({ status: f.status === 'open' ? undefined : f.status, severity: f.severity, service: f.service, q: f.q });
}

export function IncidentListPage() {
  const { severities, services } = useApp();
  const location = useLocation();
  const filters = filtersFrom(location.search);
  const filterKey = toSearch(filters);
  const [items, setItems] = useState<Incident[] | null>(null);
  const [nextCursor, setNextCursor] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [text, setText] = useState(filters.q);
  const pages = useRef(1);

  const apiQuery = useCallback(
    (cursor?: string) =>
      ({
        params: {
          query: {
            status: filters.status === 'all' || !filters.status ? undefined : filters.status,
            severity: filters.severity || undefined,
            service: filters.service || undefined,
            q: filters.q || undefined,
            limit: '50',
            cursor,
          },
        },
      }),
    [filterKey],
  );

  const load = useCallback(async () => {
    try {
      const page = await api.get('/api/v1/incidents', apiQuery());
      touchNow();
      setItems(page.items);
      setNextCursor(page.nextCursor ?? null);
      pages.current = 1;
      setError(null);
    } catch (e) {
      setError(e);
    }
  }, [apiQuery]);

  useEffect(() => {
    setItems(null);
    void load();
    // Keep the first page fresh while the tab is visible; older pages stay as loaded.
    const timer = setInterval(() => {
      if (document.visibilityState === 'visible' && pages.current === 1) void load();
    }, REFRESH_MS);
    return () => clearInterval(timer);
  }, [load]);

  async function loadMore() {
    if (!nextCursor) return;
    try {
      const page = await api.get('/api/v1/incidents', apiQuery(nextCursor));
      pages.current++;
      setItems((prev) => [...(prev ?? []), ...page.items.filter((i) => !prev?.some((p) => p.id === i.id))]);
      setNextCursor(page.nextCursor ?? null);
    } catch (e) {
      setError(e);
    }
  }

  const setFilters = (change: Partial<Filters>) => navigate(`/${toSearch({ ...filters, ...change })}`, { replace: true });

  function submitSearch(event: FormEvent) {
    event.preventDefault();
    setFilters({ q: text.trim() });
  }

  async function acknowledge(incident: Incident) {
    try {
      const updated = await api.post('/api/v1/incidents/{incident}/acknowledge', { params: { path: { incident: String(incident.number) } }, body: {} });
      setItems((prev) => prev?.map((i) => (i.id === updated.id ? updated : i)) ?? null);
    } catch (e) {
      setError(e);
    }
  }

  const triggered = items?.filter((i) => i.status === 'triggered').length ?? 0;

  return (
    <div className="list-page">
      <div className="page-head">
        <h1>
          Incidents
          {triggered > 0 ? <span className="count-triggered">{triggered} triggered</span> : null}
        </h1>
        <a href="/incidents/new" className="btn btn-danger" onClick={linkClick}>
          Declare incident
        </a>
      </div>

      <section className="filters" aria-label="Filters">
        <div className="chips" role="group" aria-label="Status">
          {STATUS_FILTERS.map((s) => (
            <button
              key={s.value}
              type="button"
              className={`chip ${filters.status === s.value ? 'chip-on' : ''}`}
              aria-pressed={filters.status === s.value}
              onClick={() => setFilters({ status: s.value })}
            >
              {s.label}
            </button>
          ))}
        </div>
        <div className="filter-row">
          <div className="chips" role="group" aria-label="Severity">
            {severities.map((s) => {
              const on = filters.severity.includes(s.key);
              return (
                <button
                  key={s.key}
                  type="button"
                  className={`chip chip-sev ${on ? 'chip-on' : ''}`}
                  aria-pressed={on}
                  title={`${s.name}: ${s.description}`}
                  onClick={() => setFilters({ severity: on ? filters.severity.filter((k) => k !== s.key) : [...filters.severity, s.key] })}
                >
                  {s.key}
                </button>
              );
            })}
          </div>
          {services && services.length > 0 ? (
            <select aria-label="Service" value={filters.service} onChange={(e) => setFilters({ service: e.target.value })}>
              <option value="">All services</option>
              {services.map((s) => (
                <option key={s.id} value={s.slug}>
                  {s.name}
                </option>
              ))}
            </select>
          ) : null}
          <form className="search" role="search" onSubmit={submitSearch}>
            <input type="search" placeholder="Search title or summary" aria-label="Search" value={text} onChange={(e) => setText(e.target.value)} onBlur={() => text.trim() !== filters.q && setFilters({ q: text.trim() })} />
          </form>
        </div>
      </section>

      <ErrorBanner error={error} onDismiss={() => setError(null)} />

      {items === null && !error ? <div className="empty muted">Loading incidents…</div> : null}
      {items && items.length === 0 ? (
        <div className="empty">
          <p>{filters.status === 'open' && !filters.q && filters.severity.length === 0 ? 'No open incidents. All quiet.' : 'No incidents match these filters.'}</p>
        </div>
      ) : null}
      {items && items.length > 0 ? (
        <ul className="incident-list" aria-label="Incidents">
          {items.map((incident) => (
            <IncidentRow key={incident.id} incident={incident} onAcknowledge={() => void acknowledge(incident)} />
          ))}
        </ul>
      ) : null}
      {nextCursor ? (
        <div className="more">
          <button type="button" className="btn" onClick={() => void loadMore()}>
            Load more
          </button>
        </div>
      ) : null}
    </div>
  );
}

function IncidentRow({ incident, onAcknowledge }: { incident: Incident; onAcknowledge: () => void }) {
  const { severities } = useApp();
  const commander = incident.roles.find((r) => r.role === 'commander');
  return (
    <li className={`incident-row row-${incident.status}`} data-number={incident.number}>
      <div className="row-badges">
        <SeverityBadge severity={incident.severity} severities={severities} />
        <StatusBadge status={incident.status as IncidentStatus} />
      </div>
      <a className="row-title" href={`/incidents/${incident.number}`} onClick={linkClick}>
        <span className="num">#{incident.number}</span> {incident.title}
      </a>
      <div className="row-meta">
        {incident.service ? <span>{incident.service.name}</span> : null}
        <TimeAgo iso={incident.declaredAt} prefix="declared" />
        {commander ? <span>Commander: {commander.userName}</span> : <span className="warn-text">no commander</span>}
        {incident.isDrill ? <span className="tag">drill</span> : null}
      </div>
      {incident.status === 'triggered' ? (
        <button type="button" className="btn btn-ack btn-small row-ack" onClick={onAcknowledge}>
          Acknowledge
        </button>
      ) : null}
    </li>
  );
}
