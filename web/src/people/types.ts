/** The server's user and team views (src/domain/users/user-view.ts, src/domain/teams/team-view.ts). */
export interface UserView {
  id: string;
  email: string;
  name: string;
  role?: string;
  timeZone?: string;
  disabled?: boolean;
  hasPassword?: boolean;
  managedBy?: string | null;
  teams?: { slug: string; name: string; role: string }[];
  /** Only on one-user answers: where the user is named for paging. */
  pagedVia?: string[];
}

export interface TeamView {
  id: string;
  slug: string;
  name: string;
  managedBy: string | null;
  members: { userId: string; email: string; name: string; role: string }[];
}
