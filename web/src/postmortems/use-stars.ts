import { useCallback, useEffect, useState } from 'react';
import { api } from '../api/client.js';
import type { StarTag } from '../components/timeline.js';

/** The incident's starred timeline events as {event id: tag}, and a star/unstar action. */
export function useStars(ref: number): { stars: Record<string, string>; setStar: (eventId: string, tag: StarTag | null) => Promise<void>; error: unknown } {
  const [stars, setStars] = useState<Record<string, string>>({});
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    let live = true;
    api.get('/api/v1/incidents/{incident}/stars', { params: { path: { incident: String(ref) } } })
      .then((r) => { if (live) setStars(Object.fromEntries(r.items.map((s) => [s.eventId, s.tag]))); })
      .catch((e: unknown) => { if (live) setError(e); });
    return () => { live = false; };
  }, [ref]);
  const setStar = useCallback(async (eventId: string, tag: StarTag | null) => {
    try {
      const at = { params: { path: { incident: String(ref), event: eventId } } };
      if (tag) await api.put('/api/v1/incidents/{incident}/timeline/{event}/star', { ...at, body: { tag } });
      else await api.delete('/api/v1/incidents/{incident}/timeline/{event}/star', at);
      setStars((prev) => {
        const next = { ...prev };
        if (tag) next[eventId] = tag;
        else delete next[eventId];
        return next;
      });
      setError(null);
    } catch (e) {
      setError(e);
    }
  }, [ref]);
  return { stars, setStar, error };
}
