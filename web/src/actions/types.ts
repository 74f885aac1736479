/** Action items: the generated views (src/http/views/action-items.ts) and the words the UI shows for them. */
import type { components } from '../api/schema.js';

export type ActionItem = components['schemas']['ActionItem'];
export type ActionStatus = ActionItem['status'];
export type ActionPriority = ActionItem['priority'];
export type UserOption = components['schemas']['UserSummary'];
export type TeamOption = components['schemas']['Team'];
export type ChecklistTemplate = components['schemas']['ChecklistTemplate'];

export const PRIORITIES: ActionPriority[] = ['high', 'medium', 'low'];

export const STATUS_WORDS: Record<ActionStatus, string> = { open: 'open', done: 'done', wont_do: "won't do" };

/** Only http(s) links are ever stored; checked again here before an href is written. */
export const safeHref = (url: string | null): string | null => (url && /^https?:\/\//i.test(url) ? url : null);

export const day = (iso: string): string => iso.slice(0, 10);
