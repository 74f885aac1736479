import { z } from 'zod';
import { Email } from '../names.js';
import { PageRef } from '../statuspages/schemas.js';

export const SUBSCRIBER_KINDS = ['email', 'webhook'] as const;
export type SubscriberKind = (typeof SUBSCRIBER_KINDS)[number];

/** Component ids or names on the subscriber's page; empty: the whole page. */
const Components = z.array(z.string().trim().min(1).max(200)).max(100).default([]);

/** The public form (and its JSON twin): an e-mail address, double opt-in. */
export const SubscribeInput = z.object({
  page: PageRef,
  email: Email,
  components: Components,
});

/** An admin adds a subscriber: e-mail (confirmation mail unless `confirmed`) or webhook URL. */
export const AddSubscriberInput = z.object({
  page: PageRef,
  kind: z.enum(SUBSCRIBER_KINDS),
  address: z.string().trim().min(1, 'is required').max(2_000),
  components: Components,
  /** E-mail only: the person already agreed elsewhere (an import); no confirmation mail. */
  confirmed: z.boolean().default(false),
});

export const SubscriberTokenInput = z.object({
  page: PageRef,
  token: z.string().trim().min(10, 'is not a valid link').max(200),
});

export const RemoveSubscriberInput = z.object({ page: PageRef, subscriber: z.string().trim().min(1) });
