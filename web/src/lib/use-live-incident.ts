import { useCallback, useEffect, useRef, useState } from 'react';
import { api, ref } from '../api/client.js';
import type { LiveIncident, TimelineEvent } from '../api/types.js';
import { touchNow } from './use-now.js';

export type LiveState = 'connecting' | 'live' | 'reconnecting' | 'offline';

/** Event ids are ULIDs, so sorting by id is sorting by time of writing. */
function merge(current: TimelineEvent[], incoming: TimelineEvent[]): TimelineEvent[] {
  if (incoming.length === 0) return current;
  const byId = new Map(current.map((e) => [e.id, e]));
  for (const e of incoming) byId.set(e.id, e);
  return [...byId.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/**
 * The incident and its timeline, kept current by the server-sent event stream. Any event other
 * than a note may change the incident itself (status, roles, tasks), so it triggers one
 * debounced re-read. After a (re)connect the gap is filled from the timeline endpoint.
 */
export function useLiveIncident(number: number) {
  const [incident, setIncident] = useState<LiveIncident | null>(null);
  const [timeline, setTimeline] = useState<TimelineEvent[]>([]);
  const [loadError, setLoadError] = useState<unknown>(null);
  const [live, setLive] = useState<LiveState>('connecting');
  const [attempt, setAttempt] = useState(0);
  const lastId = useRef<string | undefined>(undefined);
  const refetchTimer = useRef<ReturnType<typeof setTimeout> | null>(null);

  const addEvents = useCallback((events: TimelineEvent[]) => {
    if (events.length === 0) return;
    touchNow();
    setTimeline((prev) => {
      const next = merge(prev, events);
      lastId.current = next.at(-1)?.id;
      return next;
    });
  }, []);

  const reloadIncident = useCallback(async () => {
    try {
      const fresh = await api.get('/api/v1/incidents/{incident}', { params: { path: { incident: ref(number) } } });
      setIncident(fresh);
    } catch (e) {
      setLoadError(e);
    }
  }, [number]);

  /** Newer events than we hold; used after our own actions and after reconnecting. */
  const syncTimeline = useCallback(async () => {
    try {
      const query = lastId.current ? { after: lastId.current } : {};
      addEvents((await api.get('/api/v1/incidents/{incident}/timeline', { params: { path: { incident: ref(number) }, query } })).items);
    } catch {
      // The stream will deliver it; a failed catch-up is not worth an error banner.
    }
  }, [number, addEvents]);

  useEffect(() => {
    let cancelled = false;
    setIncident(null);
    setTimeline([]);
    setLoadError(null);
    lastId.current = undefined;
    (async () => {
      try {
        const [inc, tl] = await Promise.all([
          api.get('/api/v1/incidents/{incident}', { params: { path: { incident: ref(number) } } }),
          api.get('/api/v1/incidents/{incident}/timeline', { params: { path: { incident: ref(number) } } }),
        ]);
        if (cancelled) return;
        touchNow();
        setIncident(inc);
        addEvents(tl.items);
      } catch (e) {
        if (!cancelled) setLoadError(e);
      }
    })();
    return () => {
      cancelled = true;
    };
  }, [number, addEvents]);

  const loaded = incident !== null;
  useEffect(() => {
    if (!loaded) return;
    const source = new EventSource(`/api/v1/incidents/${number}/stream`);
    source.addEventListener('open', () => {
      setLive('live');
      void syncTimeline();
    });
    let retry: ReturnType<typeof setTimeout> | null = null;
    source.addEventListener('error', () => {
      // The browser retries dropped connections itself; an HTTP error closes the stream for good.
      if (source.readyState === EventSource.CLOSED) {
        setLive('offline');
        retry = setTimeout(() => setAttempt((a) => a + 1), 5000);
      } else setLive('reconnecting');
    });
    source.addEventListener('timeline', (message) => {
      let event: TimelineEvent;
      try {
        event = JSON.parse((message as MessageEvent<string>).data) as TimelineEvent;
      } catch {
        return;
      }
      addEvents([event]);
      if (event.kind !== 'note') {
        if (refetchTimer.current) clearTimeout(refetchTimer.current);
        refetchTimer.current = setTimeout(() => void reloadIncident(), 150);
      }
    });
    return () => {
      source.close();
      if (retry) clearTimeout(retry);
      if (refetchTimer.current) clearTimeout(refetchTimer.current);
    };
  }, [loaded, attempt, number, addEvents, reloadIncident, syncTimeline]);

  return { incident, setIncident, timeline, loadError, live, reloadIncident, syncTimeline };
}
