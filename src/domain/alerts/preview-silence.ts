import { z } from 'zod';
import { validation } from '../../core/errors.js';
import { parseInput } from '../../core/validate.js';
import { authorize } from '../access/authorize.js';
import type { Ctx } from '../context.js';
import { scanOpenAlerts, type OpenAlert } from './list-open-alerts.js';
import { matcherToApi, matchesEmpty, type ApiMatcher } from './matchers.js';
import { matchersInput, toMatchers } from './noise.js';

/**
 * What a silence would hold if saved now: the open alerts its matchers match (firing or
 * acknowledged, already held or not), as Alertmanager's UI previews a silence. The matchers are
 * checked exactly as saving checks them, so a preview that answers saves.
 */
const SHOWN = 100;

const PreviewInput = z.looseObject({ matchers: matchersInput });

export interface SilencePreview {
  matchers: ApiMatcher[];
  /** How many open alerts match (of those scanned: see truncated). */
  total: number;
  /** The newest SHOWN of them. */
  alerts: OpenAlert[];
  /** True when there were too many open alerts to look at them all. */
  truncated: boolean;
}

export async function previewSilence({ ctx, input }: { ctx: Ctx; input: unknown }): Promise<SilencePreview> {
  authorize(ctx.actor, 'read');
  const data = parseInput(PreviewInput, input);
  const matchers = toMatchers(data.matchers, 'matchers');
  if (matchers.every(matchesEmpty)) throw validation('matchers', 'at least one matcher must not match the empty string');
  const { alerts, truncated } = await scanOpenAlerts(ctx, matchers, { active: true, silenced: true });
  return { matchers: matchers.map(matcherToApi), total: alerts.length, alerts: alerts.slice(0, SHOWN), truncated };
}
