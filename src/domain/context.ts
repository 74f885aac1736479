import type { BaseContext } from '../core/context.js';
import type { Store } from '../store/index.js';

/**
 * Domain verbs take `{ ctx, input }`. Kysely is the port: queries written with it run unchanged
 * on SQLite and PostgreSQL, and what differs is reached through `ctx.store.dialect`.
 */
export type Ctx = BaseContext<Store>;
