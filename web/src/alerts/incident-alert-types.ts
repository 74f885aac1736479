/** The incident page's alert section, as GET /api/v1/incidents/{ref}/alerts serves it (domain/alerts/incident-alerts.ts). */
export interface AlertLink {
  kind: 'dashboard' | 'panel' | 'silence' | 'generator' | 'runbook' | 'link';
  href: string;
  text: string | null;
}

export interface AlertImage {
  src: string;
  href: string | null;
  alt: string | null;
}

export interface IncidentAlert {
  id: string;
  integrationId: string;
  integrationName: string | null;
  dedupKey: string;
  status: 'firing' | 'acknowledged' | 'resolved';
  summary: string;
  description: string | null;
  severity: string | null;
  severityRaw: string | null;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  source: string | null;
  count: number;
  startedAt: string | null;
  firstSeenAt: string;
  lastSeenAt: string;
  resolvedAt: string | null;
  links: AlertLink[];
  images: AlertImage[];
  customDetails: unknown;
  tags: string[];
}

export interface IncidentAlertsPage {
  items: IncidentAlert[];
  next: string | null;
  counts: { total: number; open: number; firing: number; acknowledged: number; resolved: number };
  firstSeenAt: string | null;
  lastSeenAt: string | null;
  summary: { text: string; description: string | null; alertId: string } | null;
}
