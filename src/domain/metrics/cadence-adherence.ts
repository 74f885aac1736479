/**
 * Update-cadence adherence per severity, from the timeline events the updates room writes
 * (domain/updates): `update_deadline_kept` (an update before its "next update by"),
 * `update_deadline_missed` (the deadline passed with no update; written when the reminder
 * fires) and `update_posted_late` (the update that finally closed a missed deadline).
 */
export const CADENCE_EVENT_KINDS = ['update_deadline_kept', 'update_deadline_missed', 'update_posted_late'] as const;
export type CadenceEventKind = (typeof CADENCE_EVENT_KINDS)[number];

export interface CadenceCountRow {
  severity: string;
  kind: CadenceEventKind;
  count: number;
}

export interface CadenceAdherence {
  severity: string | null;
  kept: number;
  missed: number;
  late: number;
  /** kept / (kept + missed); null when no deadline fell in the range. */
  keptShare: number | null;
}

function adherence(severity: string | null, kept: number, missed: number, late: number): CadenceAdherence {
  const deadlines = kept + missed;
  return { severity, kept, missed, late, keptShare: deadlines === 0 ? null : Math.round((kept / deadlines) * 1000) / 1000 };
}

/** Overall and per-severity counts (severities with no deadline in the range are left out). */
export function cadenceAdherence(rows: readonly CadenceCountRow[]): { overall: CadenceAdherence; bySeverity: CadenceAdherence[] } {
  const by = new Map<string, { kept: number; missed: number; late: number }>();
  for (const r of rows) {
    let c = by.get(r.severity);
    if (!c) by.set(r.severity, (c = { kept: 0, missed: 0, late: 0 }));
    if (r.kind === 'update_deadline_kept') c.kept += r.count;
    else if (r.kind === 'update_deadline_missed') c.missed += r.count;
    else c.late += r.count;
  }
  const bySeverity = [...by.entries()].map(([s, c]) => adherence(s, c.kept, c.missed, c.late)).sort((a, b) => String(a.severity).localeCompare(String(b.severity)));
  const sum = (k: 'kept' | 'missed' | 'late') => bySeverity.reduce((n, s) => n + s[k], 0);
  return { overall: adherence(null, sum('kept'), sum('missed'), sum('late')), bySeverity };
}
