import type { FirebreakClient } from './client.js';

export type NamedKind = 'user' | 'schedule' | 'team' | 'integration' | 'service' | 'routingRule' | 'policy';

const LISTS: Record<NamedKind, { path: string; label: (x: Record<string, unknown>) => string }> = {
  user: { path: '/api/v1/users', label: (u) => String(u.name ?? u.email) },
  schedule: { path: '/api/v1/schedules', label: (s) => String(s.name) },
  team: { path: '/api/v1/teams', label: (t) => String(t.name ?? t.slug) },
  integration: { path: '/api/v1/integrations', label: (i) => String(i.name) },
  service: { path: '/api/v1/services', label: (s) => String(s.slug) },
  routingRule: { path: '/api/v1/routing-rules', label: (r) => String(r.name) },
  policy: { path: '/api/v1/escalation-policies', label: (p) => String(p.name) },
};

/**
 * Names for the ids an answer carries (a policy's targets, an override's user, an alert's
 * integration): people read names. Fetches each list named in `kinds` once; an id that cannot
 * be named (deleted, or a list this key may not read) prints as the id itself.
 */
export async function loadNames(client: FirebreakClient, kinds: NamedKind[]): Promise<(kind: NamedKind, id: string | null | undefined) => string> {
  const maps = new Map<NamedKind, Map<string, string>>();
  await Promise.all([...new Set(kinds)].map(async (kind) => {
    const { path, label } = LISTS[kind];
    const items = await client.get<{ items?: Record<string, unknown>[] }>(path).then((r) => r.items ?? [], () => []);
    maps.set(kind, new Map(items.map((x) => [String(x.id), label(x)])));
  }));
  return (kind, id) => (id ? (maps.get(kind)?.get(id) ?? id) : '-');
}
