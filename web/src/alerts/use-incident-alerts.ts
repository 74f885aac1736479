import { useCallback, useEffect, useState } from 'react';
import { api } from '../api/client.js';
import type { IncidentAlert, IncidentAlertsPage } from './types.js';

const PAGE = 20;

/**
 * The incident's alerts: the first page, reloaded when `refreshKey` changes (the live timeline
 * grew: an alert may have joined or resolved), and more pages on demand.
 */
export function useIncidentAlerts(ref: number, refreshKey: number) {
  const [page, setPage] = useState<IncidentAlertsPage | null>(null);
  const [more, setMore] = useState<IncidentAlert[]>([]);
  const [next, setNext] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [loadingMore, setLoadingMore] = useState(false);

  useEffect(() => {
    let stale = false;
    api.get('/api/v1/incidents/{ref}/alerts', { params: { path: { ref: String(ref) }, query: { limit: PAGE } } })
      .then((p) => {
        if (stale) return;
        setPage(p);
        setMore([]);
        setNext(p.next);
        setError(null);
      })
      .catch((e: unknown) => {
        if (!stale) setError(e);
      });
    return () => {
      stale = true;
    };
  }, [ref, refreshKey]);

  const loadMore = useCallback(async () => {
    if (!next) return;
    setLoadingMore(true);
    try {
      const p = await api.get('/api/v1/incidents/{ref}/alerts', { params: { path: { ref: String(ref) }, query: { limit: PAGE, after: next } } });
      setMore((m) => [...m, ...p.items]);
      setNext(p.next);
      setError(null);
    } catch (e) {
      setError(e);
    } finally {
      setLoadingMore(false);
    }
  }, [ref, next]);

  return { page, items: page ? [...page.items, ...more] : [], next, error, loadMore, loadingMore };
}

export type IncidentAlertsState = ReturnType<typeof useIncidentAlerts>;
