export * from './policy.js';
export * from './plan-escalation.js';
export * from './severity-raise.js';
