import { useEffect, useState } from 'react';
import { api, call, client } from '../api/client.js';
import { useApp } from '../lib/app-context.js';

/** Users by id for the schedule pages: the API speaks in ids, people read names. */
export function usePeople() {
  const { users } = useApp();
  const list = users ?? [];
  const byId = new Map(list.map((u) => [u.id, u]));
  const name = (id: string) => byId.get(id)?.name || byId.get(id)?.email || id;
  /** A server sentence with every known user id replaced by the person's name. */
  const names = (text: string) => list.reduce((t, u) => t.split(u.id).join(u.name || u.email), text);
  return { users: list, name, names };
}

/** `2026-03-03T12:00` in the browser's zone: what a datetime-local input shows for an instant. */
export function toLocalInput(at: number | string): string {
  const d = new Date(at);
  if (Number.isNaN(d.getTime())) return '';
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** A stable colour per person, so one person's bars look alike across rows. */
export function personColour(id: string): string {
  let h = 0;
  for (const c of id) h = (h * 31 + c.charCodeAt(0)) >>> 0;
  return `hsl(${h % 360} 55% 48%)`;
}

/** Every IANA zone the browser knows, for the time-zone field's suggestions. */
export function timeZones(): string[] {
  const intl = Intl as unknown as { supportedValuesOf?: (key: string) => string[] };
  try {
    return intl.supportedValuesOf?.('timeZone') ?? [];
  } catch {
    return [];
  }
}

export const browserZone = (): string => Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';

/** Teams a schedule may belong to; empty when the list cannot be read. */
export function useTeams(): { id: string; slug: string; name: string }[] {
  const [teams, setTeams] = useState<{ id: string; slug: string; name: string }[]>([]);
  useEffect(() => {
    let stale = false;
    api.get('/api/v1/teams').then((r) => !stale && setTeams(r.items), () => undefined);
    return () => {
      stale = true;
    };
  }, []);
  return teams;
}
