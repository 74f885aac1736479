/** GET /services and /services/:id (src/domain/services/service-view.ts, service-detail.ts). */
export interface Service {
  id: string;
  slug: string;
  name: string;
  description: string;
  team: { id: string; slug: string; name: string } | null;
  managedBy: string | null;
  escalationPolicy: { id: string; name: string } | null;
  createdAt: string;
  updatedAt: string;
}

export interface ServiceDetail extends Service {
  runbooks: { slug: string; title: string }[];
  integrations: { id: string; name: string; format: string; disabled: boolean }[];
  routingRules: { id: string; name: string }[];
  openIncidents: { number: number; title: string; severity: string; status: string; declaredAt: string }[];
  openIncidentCount: number;
}

export interface TeamOption {
  id: string;
  slug: string;
  name: string;
}

export interface PolicyOption {
  id: string;
  name: string;
}
