import { z } from 'zod';
import { DEFINITIONS } from '../../domain/metrics/definitions.js';
import { isoTime, view } from './registry.js';

/** The incident report (domain/metrics): durations in seconds, each figure with its definition. */
export const ReportFigure = view('ReportFigure', z.object({
  count: z.number(),
  median: z.number().nullable(),
  p90: z.number().nullable(),
  max: z.number().nullable(),
  mean: z.number().nullable(),
  /** Upper bound `le` in seconds, inclusive; null for the open last bucket. */
  histogram: z.array(z.object({ le: z.number().nullable(), count: z.number() })),
  /** Fewer values than `smallSampleBelow`. */
  smallSample: z.boolean(),
  definition: z.string(),
}));

const Outcomes = z.object({ met: z.number(), missed: z.number(), pending: z.number(), notApplicable: z.number() });

/** The figures of one group of incidents (a severity, service, team, trend bucket, or all). */
export const ReportGroup = view('ReportGroup', z.object({
  /** The severity, service or team slug; null for the overall figures and for incidents without one. */
  key: z.string().nullable(),
  count: z.number(),
  open: z.number(),
  unacknowledged: z.number(),
  figures: z.object({ ttd: ReportFigure, tta: ReportFigure, ttm: ReportFigure, ttr: ReportFigure }),
  targets: z.object({ ack: Outcomes, resolve: Outcomes, definition: z.string() }),
}));

export const CadenceAdherence = view('CadenceAdherence', z.object({
  severity: z.string().nullable(),
  kept: z.number(),
  missed: z.number(),
  late: z.number(),
  /** kept / (kept + missed); null when no deadline fell in the range. */
  keptShare: z.number().nullable(),
}));

/** Completed of due; "not available" when the server does not count them, which is not zero. */
export const CompletionFigure = view('CompletionFigure', z.union([
  z.object({ available: z.literal(true), total: z.number(), completed: z.number(), overdue: z.number(), completedShare: z.number().nullable() }),
  z.object({ available: z.literal(false), note: z.literal('not available') }),
]));

const definitionKeys = Object.keys(DEFINITIONS) as (keyof typeof DEFINITIONS)[];

export const IncidentReport = view('IncidentReport', z.object({
  range: z.object({ from: isoTime, to: isoTime, bucket: z.enum(['week', 'month']) }),
  /** What every figure means, by name (ttd, tta, ttm, ttr, mtbf, targets, onCall, cadence, …). */
  definitions: z.object(Object.fromEntries(definitionKeys.map((k) => [k, z.string()])) as Record<keyof typeof DEFINITIONS, z.ZodString>),
  smallSampleBelow: z.number(),
  overall: ReportGroup,
  bySeverity: z.array(ReportGroup),
  byService: z.array(ReportGroup),
  byTeam: z.array(ReportGroup),
  /** Per bucket: the figures, and incident counts per severity. */
  trend: z.array(ReportGroup.extend({ start: isoTime, severityCounts: z.record(z.string(), z.number()) })),
  mtbf: z.array(z.object({ service: z.string(), incidents: z.number(), figures: ReportFigure })),
  drills: ReportGroup,
  onCall: z.object({
    definition: z.string(),
    timeAcknowledgedDefinition: z.string(),
    people: z.array(z.object({
      userId: z.string(),
      name: z.string(),
      timeZone: z.string(),
      pages: z.number(),
      outOfHours: z.number(),
      night: z.number(),
      /** Pages from drill incidents: counted apart, not in `pages`. */
      drillPages: z.number(),
      incidents: z.number(),
      acknowledgements: z.number(),
      acknowledgedSeconds: z.number(),
    })),
  }),
  cadence: z.object({ definition: z.string(), overall: CadenceAdherence, bySeverity: z.array(CadenceAdherence) }),
  followUps: z.object({ definition: z.string(), postMortems: CompletionFigure, actionItems: CompletionFigure }),
}));
