export * from './schedule.js';
export * from './who-is-on-call.js';
export * from './ical.js';
export * from './timeline.js';
export {
  DAY_MS,
  HOUR_MS,
  MINUTE_MS,
  WEEKDAYS,
  epochToWallClock,
  formatWallClock,
  fromWallClock,
  fromZonedDateTime,
  isValidTimeZone,
  parseClockTime,
  parseLocalDate,
  toWallClock,
  toZonedDateTime,
  wallClockToEpoch,
  zoneOffsetMs,
} from './zoned-time.js';
export type { LocalDateTime } from './zoned-time.js';
