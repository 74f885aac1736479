/** From /api/v1/postmortems (domain/postmortems/postmortem-view.ts). */
export type PostmortemStatus = 'draft' | 'in_review' | 'published';

export interface Postmortem {
  id: string;
  title: string;
  status: PostmortemStatus;
  template: string;
  body: string;
  publicBody: string;
  owner: { id: string; name: string } | null;
  reviewers: { id: string; name: string }[];
  incidents: { id: string; number: number; title: string; severity: string; status: string; resolvedAt: string | null }[];
  dueAt: string | null;
  overdue: boolean;
  submittedAt: string | null;
  publishedAt: string | null;
  createdAt: string;
  updatedAt: string;
  version: number;
}

export interface PostmortemTemplate {
  slug: string;
  name: string;
  body: string;
  builtIn: boolean;
  managedBy: string | null;
}

export interface Star {
  eventId: string;
  tag: string;
  starredBy: string;
  starredAt: string;
}

export const STATUS_TEXT: Record<PostmortemStatus, string> = { draft: 'Draft', in_review: 'In review', published: 'Published' };
