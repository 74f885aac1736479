import { z } from 'zod';
import { ACTION_PRIORITIES, ACTION_STATUSES } from '../../domain/actions/schemas.js';
import { isoTime, itemsOf, view } from './registry.js';

/** Action items (domain/actions/action-item-view.ts). */
export const ActionItem = view('ActionItem', z.object({
  id: z.string(),
  title: z.string(),
  incident: z.object({ id: z.string(), number: z.number().int(), title: z.string(), status: z.string() }),
  postmortemId: z.string().nullable(),
  owner: z.object({ id: z.string(), name: z.string(), email: z.string() }),
  service: z.object({ id: z.string(), slug: z.string(), name: z.string() }).nullable(),
  dueAt: isoTime,
  priority: z.enum(ACTION_PRIORITIES),
  status: z.enum(ACTION_STATUSES),
  reason: z.string().nullable(),
  externalUrl: z.string().nullable(),
  /** Open and past its due time. */
  overdue: z.boolean(),
  createdAt: isoTime,
  updatedAt: isoTime,
  closedAt: isoTime.nullable(),
  closedBy: z.string().nullable(),
}));

export const ActionItemList = itemsOf(ActionItem);
