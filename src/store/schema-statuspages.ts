/** Row shapes of status pages, their public incidents and subscribers (migrations 0014, 0017); re-exported by schema.ts (same conventions). */
/** A public status page (migration 0014). */
export interface StatusPageTable {
  id: string;
  slug: string;
  name: string;
  host_name: string | null;
  /** JSON {severity key: component status}, over the default mapping. */
  severity_map: string;
  /** 'config' when declared in firebreak.yaml (with its components). */
  managed_by: string | null;
  /** JSON {severities: {key: 'draft' | 'publish'}, title, body} (migration 0019); '{}': off. */
  auto_publish: string;
  created_at: number;
  updated_at: number;
}

/** A component or a group of components on a status page (migration 0014). */
export interface StatusComponentTable {
  id: string;
  page_id: string;
  group_id: string | null;
  is_group: number;
  name: string;
  description: string;
  position: number;
  /** JSON: string[] of service ids. */
  services: string;
  status_override: string | null;
  created_at: number;
  updated_at: number;
}

/** What one status page shows of an incident (migration 0014). */
export interface PublicIncidentTable {
  id: string;
  page_id: string;
  incident_id: string;
  name: string;
  /** none | minor | major | critical */
  impact: string;
  /** investigating | identified | monitoring | resolved */
  status: string;
  /** JSON: string[] of component ids. */
  components: string;
  started_at: number;
  monitoring_at: number | null;
  resolved_at: number | null;
  created_at: number;
  updated_at: number;
  /** 1: made by auto-publish, waiting for its one click; never public (migration 0019). */
  draft: number;
}

export interface PublicIncidentUpdateTable {
  id: string;
  public_incident_id: string;
  status: string;
  body: string;
  created_at: number;
}

/** An e-mail or webhook subscriber of a status page (migration 0017). Private: never public. */
export interface StatusSubscriberTable {
  id: string;
  page_id: string;
  /** email | webhook */
  kind: string;
  address: string;
  /** The address as compared (e-mail lower-cased): one subscription per page, kind and address. */
  address_key: string;
  /** Random secret of the confirm and unsubscribe links. */
  token: string;
  /** A webhook's signing secret (Standard Webhooks `whsec_…`); null for e-mail. */
  secret: string | null;
  /** JSON: string[] of component ids; empty: everything on the page. */
  components: string;
  confirmed_at: number | null;
  confirm_sent_at: number | null;
  created_at: number;
  updated_at: number;
}

/** One announcement to a page's subscribers, expanded into deliveries in batches (migration 0017). */
export interface SubscriberNotificationTable {
  id: string;
  page_id: string;
  /** incident | component (maintenance later) */
  kind: string;
  /** JSON: string[] of component ids it touches; empty: the whole page. */
  components: string;
  /** JSON snapshot every message is rendered from (see domain/subscribers/notify-subscribers.ts). */
  payload: string;
  /** Last subscriber id expanded; null: none yet. */
  cursor: string | null;
  expanded: number;
  done_at: number | null;
  created_at: number;
}
