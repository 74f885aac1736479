/** Shapes of the schedule API (src/domain/paging/manage-schedules.ts, schedule-timeline.ts) as the browser sees them. */
export type Weekday = 'mon' | 'tue' | 'wed' | 'thu' | 'fri' | 'sat' | 'sun';
export const WEEKDAYS: Weekday[] = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];

export interface Rotation {
  type: 'daily' | 'weekly' | 'custom';
  shiftLengthSeconds?: number;
  /** Local HH:MM in the schedule's zone. */
  handoffTime: string;
  /** Local YYYY-MM-DD: members[0]'s first turn starts at handoffTime on this date. */
  startDate: string;
  members: string[];
}

export interface Restriction {
  type: 'daily' | 'weekly';
  from: string;
  to: string;
  days?: Weekday[];
}

export interface Layer {
  id: string;
  name: string;
  rotation: Rotation;
  restrictions?: Restriction[];
}

export interface Override {
  id: string;
  userId: string;
  replacesUserId: string | null;
  start: string;
  end: string;
}

export interface Schedule {
  id: string;
  name: string;
  teamId: string | null;
  timeZone: string;
  layers: Layer[];
  overrides: Override[];
  warnings: string[];
  usedBy: string[];
  version: number;
}

export interface Bar {
  start: number;
  end: number;
  userId: string;
}

export interface Timeline {
  id: string;
  name: string;
  timeZone: string;
  from: string;
  to: string;
  layers: { id: string; name: string; bars: Bar[] }[];
  overrides: (Bar & { id: string; replacesUserId?: string })[];
  final: (Bar & { layerId?: string; overrideId?: string; reason: string })[];
  gaps: { start: number; end: number }[];
}
