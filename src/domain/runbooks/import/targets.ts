import { parseDuration } from '../targets.js';
import type { RunbookTargets } from '../targets.js';
import { firstShortParenthesised } from './sections.js';

/** Time boxes in headings ("Immediate Actions (0-2 minutes)") and merging targets found in a runbook. */

export function timeboxOf(title: string): { minSeconds?: number; maxSeconds?: number } | undefined {
  const inner = firstShortParenthesised(title);
  const range = inner !== undefined ? parseDuration(inner) : undefined;
  if (!range || range.immediate) return undefined;
  const out: { minSeconds?: number; maxSeconds?: number } = {};
  if (range.minSeconds !== undefined) out.minSeconds = range.minSeconds;
  if (range.maxSeconds !== undefined) out.maxSeconds = range.maxSeconds;
  return out;
}

export function mergeTargets(a: RunbookTargets, b: RunbookTargets): RunbookTargets {
  const out: RunbookTargets = { ...a };
  for (const key of ['acknowledgeSeconds', 'mitigateSeconds', 'resolveSeconds'] as const) {
    const v = b[key];
    if (v !== undefined) out[key] = out[key] === undefined ? v : Math.max(out[key]!, v);
  }
  return out;
}
