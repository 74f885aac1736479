/**
 * What every figure means, written once: the report carries these texts next to its numbers and
 * docs/metrics.md repeats them. All durations are in seconds.
 */
export const METRICS = ['ttd', 'tta', 'ttm', 'ttr'] as const;
export type MetricName = (typeof METRICS)[number];

export const DEFINITIONS = {
  detected: "When the problem began: the earliest alert's own start time (Alertmanager startsAt, PagerDuty payload.timestamp, …) when the source gives one, else when Firebreak received it; for a declared incident, the detectedAt given, else the declaration.",
  ttd: 'Time to detect: detected → declared (the moment Firebreak opened the incident and could page). Zero for incidents declared without an earlier detectedAt.',
  tta: 'Time to acknowledge: detected → the first human or sender acknowledgement (any move out of triggered other than resolve). Incidents resolved without one have no TTA and are counted as unacknowledged.',
  ttm: 'Time to mitigate: detected → the first move to monitoring or resolved.',
  ttr: 'Time to resolve: detected → resolved (the last resolution when an incident was re-opened). Open incidents have no TTR and are counted as open.',
  mtbf: 'Time between failures, per service: detected → detected of consecutive non-drill incidents on the same service within the range (start to start, so overlapping incidents count; it measures how often things break, not uptime).',
  range: 'An incident belongs to the range when it was detected in [from, to). Week buckets start Monday 00:00 UTC; month buckets the 1st 00:00 UTC.',
  drills: 'Drill incidents (isDrill) are left out of every reliability figure and reported separately under drills.',
  targets: "Each incident's TTA and TTR against its severity's ackTargetSeconds and resolveTargetSeconds: met (at or under), missed, pending (open, not yet due) or notApplicable (no target, or resolved before the acknowledge target fell due without anyone acknowledging).",
  onCall: "Pages per person: one page per person per escalation step of an incident (however many contact methods it went to), by the time it was queued. Out of hours: outside 09:00–18:00 Monday–Friday in the person's time zone; night: 22:00–07:00 in that zone.",
  timeAcknowledged: "Time spent acknowledged, per person: for each acknowledgement they made in the range (the move out of triggered, by them), the time from it to the incident's resolution, or to their own hand-off of a role on that incident if that came first, or to now while the incident is open. Drills left out.",
  cadence: 'Update-cadence adherence, per severity: stakeholder-update deadlines that fell in the range ([from, to), by when the outcome was recorded). kept = an update before its "next update by"; missed = the deadline passed with no update (the reminder fired); late = updates that came after a missed deadline (each also counted in missed). keptShare = kept / (kept + missed). Drills left out.',
  smallSample: 'Figures from fewer than 20 incidents are marked smallSample: at that size one incident moves a mean or p90 a long way, and incident durations are heavy-tailed, so differences between groups or periods mean little.',
  percentiles: 'median: middle value (mean of the two middle values for an even count); p90: nearest rank (the value at position ceil(0.9 × count) in ascending order).',
} as const;

/** Below this many values a figure carries smallSample: true (why: DEFINITIONS.smallSample). */
export const SMALL_SAMPLE_BELOW = 20;

/** Histogram upper bounds in seconds; the last bucket is everything above the last bound. */
export const HISTOGRAM_BOUNDS = [60, 300, 900, 1800, 3600, 4 * 3600, 24 * 3600] as const;
