/** People and teams: aliases of the server's views (src/http/views/people.ts). */
import type { components } from '../api/schema.js';

type View = components['schemas'];

/** A user in full: what an admin sees of everyone (and anyone of themself). */
export type User = View['User'];
/** One user in full with where they are still named for paging (GET and PATCH /users/{id}). */
export type UserDetail = View['UserDetail'];
/** What anyone but an admin sees of other people: enough to pick someone. */
export type UserSummary = View['UserSummary'];
export type Team = View['Team'];
export type TeamMember = Team['members'][number];

/** A row of the people list: in full for an admin (disabled users in detail), the summary for anyone else. */
export type Person = User | UserDetail | UserSummary;
export const isFullUser = (p: Person): p is User | UserDetail => 'role' in p;
/** Where a disabled user is still named; known only from the one-user answer. */
export const pagedViaOf = (p: Person): string[] => ('pagedVia' in p ? p.pagedVia : []);
