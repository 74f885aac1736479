/** The on-call and notification views as generated from the server's schemas (src/http/views/paging.ts). */
import type { components } from '../api/schema.js';

type View = components['schemas'];

export type OnCallAnswer = View['OnCall'];
export type OnCallSchedule = OnCallAnswer['schedules'][number];
/** One entry of an on-call answer's `explanation`: the layer turn or override that decided. Times are epoch ms. */
export type OnCallExplanation = OnCallSchedule['explanation'][number];
/** GET /schedules items; `warnings` are the gaps and overlaps of the next two weeks. */
export type ScheduleSummary = View['Schedule'];
export type ContactMethod = View['ContactMethod'];
export type ContactKind = ContactMethod['kind'];
export type NotificationRule = View['NotificationRule'];
export type ContactList = View['ContactList'];
export type Delivery = View['Delivery'];
