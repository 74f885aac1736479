/** GET /services and /services/:id: aliases of the server's views (src/http/views/people.ts). */
import type { components } from '../api/schema.js';

type View = components['schemas'];

export type Service = View['Service'];
export type ServiceDetail = View['ServiceDetail'];
/** What the team and policy pickers show. */
export type TeamOption = Pick<View['Team'], 'id' | 'slug' | 'name'>;
export type PolicyOption = Pick<View['EscalationPolicy'], 'id' | 'name'>;
