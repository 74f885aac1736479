export { updatesIncidentHook, updateDueTimerKey, REMINDER_GRACE_MS } from './cadence.js';
export { remindUpdatesDue } from './remind-update-due.js';
