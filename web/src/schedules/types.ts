/** Schedules and their timeline: aliases of the server's views (src/http/views/paging.ts) and the UI's words. */
import type { components } from '../api/schema.js';

type View = components['schemas'];

export type Schedule = View['Schedule'];
export type Layer = View['ScheduleLayer'];
export type Rotation = Layer['rotation'];
export type Restriction = NonNullable<Layer['restrictions']>[number];
export type Weekday = NonNullable<Restriction['days']>[number];
export const WEEKDAYS: Weekday[] = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];
export type Override = Schedule['overrides'][number];

export type Timeline = View['ScheduleTimeline'];
/** A bar of the timeline (epoch ms, end exclusive). */
export type Bar = Timeline['layers'][number]['bars'][number];
