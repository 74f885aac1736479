/** Post-mortem views as generated from the server's schemas (src/http/views/postmortems.ts), and their labels. */
import type { components } from '../api/schema.js';

export type Postmortem = components['schemas']['Postmortem'];
export type PostmortemStatus = Postmortem['status'];
export type PostmortemTemplate = components['schemas']['PostmortemTemplate'];
export type Star = components['schemas']['Star'];

export const STATUS_TEXT: Record<PostmortemStatus, string> = { draft: 'Draft', in_review: 'In review', published: 'Published' };
