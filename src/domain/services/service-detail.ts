import type { Db, Tx } from '../../store/index.js';
import type { ServiceTable } from '../../store/schema.js';
import { iso } from '../incidents/incident-view.js';

/** What a service is wired to: shown on its page, and what its deletion is checked against. */
export interface ServiceLinks {
  /** Runbooks whose front matter names this service (matched by slug). */
  runbooks: { slug: string; title: string }[];
  /** Integrations whose alerts belong to this service. */
  integrations: { id: string; name: string; format: string; disabled: boolean }[];
  /** Routing rules that send matching alerts to this service. */
  routingRules: { id: string; name: string }[];
  /** Incidents on this service that are not resolved, newest first (at most 50). */
  openIncidents: { number: number; title: string; severity: string; status: string; declaredAt: string }[];
  /** How many unresolved incidents there are in all (openIncidents stops at 50). */
  openIncidentCount: number;
}

export async function loadServiceLinks(db: Db | Tx, service: ServiceTable): Promise<ServiceLinks> {
  const unresolved = db.selectFrom('incidents').where('service_id', '=', service.id).where('status', '!=', 'resolved');
  const [runbooks, integrations, routingRules, openIncidents, count] = await Promise.all([
    db.selectFrom('runbooks').select(['slug', 'title']).where('service', '=', service.slug).orderBy('slug').execute(),
    db.selectFrom('integrations').select(['id', 'name', 'format', 'disabled']).where('service_id', '=', service.id).orderBy('name').execute(),
    db.selectFrom('routing_rules').select(['id', 'name']).where('set_service_id', '=', service.id).orderBy('position').execute(),
    unresolved.select(['number', 'title', 'severity', 'status', 'declared_at']).orderBy('number', 'desc').limit(50).execute(),
    unresolved.select((eb) => eb.fn.countAll<number | string>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return {
    runbooks,
    integrations: integrations.map((i) => ({ id: i.id, name: i.name, format: i.format, disabled: Number(i.disabled) === 1 })),
    routingRules,
    openIncidents: openIncidents.map((i) => ({ number: Number(i.number), title: i.title, severity: i.severity, status: i.status, declaredAt: iso(Number(i.declared_at)) })),
    openIncidentCount: Number(count.n),
  };
}
