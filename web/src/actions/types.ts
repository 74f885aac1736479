/** Action items as the API returns them (src/domain/actions/action-item-view.ts). */
export type ActionStatus = 'open' | 'done' | 'wont_do';
export type ActionPriority = 'high' | 'medium' | 'low';
export const PRIORITIES: ActionPriority[] = ['high', 'medium', 'low'];
export const STATUS_WORDS: Record<ActionStatus, string> = { open: 'open', done: 'done', wont_do: "won't do" };

export interface ActionItem {
  id: string;
  title: string;
  incident: { id: string; number: number; title: string; status: string };
  postmortemId: string | null;
  owner: { id: string; name: string; email: string };
  service: { id: string; slug: string; name: string } | null;
  dueAt: string;
  priority: ActionPriority;
  status: ActionStatus;
  reason: string | null;
  externalUrl: string | null;
  overdue: boolean;
  createdAt: string;
  closedAt: string | null;
}

export interface UserOption {
  id: string;
  name: string;
  email: string;
}

/** Only http(s) links are ever stored; checked again here before an href is written. */
export const safeHref = (url: string | null): string | null => (url && /^https?:\/\//i.test(url) ? url : null);
export const day = (iso: string): string => iso.slice(0, 10);
