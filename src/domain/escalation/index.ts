export * from './policy.js';
export * from './plan-escalation.js';
