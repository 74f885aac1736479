/**
 * The runbook document importer's public face. The recognisers live in ./import/, one file per
 * thing a document describes (scenarios, severities, escalation, templates, targets, metadata);
 * see ./import/document.ts for the walk that hands sections to them.
 */
export * from './import/types.js';
export { importRunbookDocument } from './import/document.js';
export { phaseKindOf } from './import/vocabulary.js';
