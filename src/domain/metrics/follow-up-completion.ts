/**
 * The report's seam for post-mortem and action-item completion. The rooms that own those
 * records list them (FollowUpRecordsSource); the report counts them against its incidents. A source that is not wired (or
 * that has nothing to say for a range) leaves the figure "not available", never 0, because
 * "0 of 0 post-mortems written" and "we do not know" are different answers.
 */
export interface CompletionCounts {
  /** Records due in the range (post-mortems required, action items due). */
  total: number;
  completed: number;
  /** Past their due date and not completed. */
  overdue: number;
}

/**
 * The post-mortems and action items written for incidents detected in [from, to), drills and
 * filters not applied: the report decides which of those incidents it covers, and which of them
 * need a post-mortem, from the incidents it has already read.
 */
export interface FollowUpRecords {
  /** One per post-mortem and incident it covers. */
  postMortems: { incident: number; status: string; dueAt: number | null }[];
  /** All but those closed as "won't do". */
  actionItems: { incident: number; status: string; dueAt: number }[];
}

/** The rooms that own post-mortems and action items answer this (domain/actions/follow-up-records.ts). */
export type FollowUpRecordsSource = (range: { from: number; to: number }) => Promise<FollowUpRecords>;

export type CompletionFigure =
  | ({ available: true; completedShare: number | null } & CompletionCounts)
  | { available: false; note: 'not available' };

export interface FollowUpCompletion {
  definition: string;
  postMortems: CompletionFigure;
  actionItems: CompletionFigure;
}

export const FOLLOW_UP_DEFINITION =
  'Post-mortems and action items due in the range: completed of total, and how many are past due. "not available" means this server does not count them (yet), not zero.';

function figure(counts: CompletionCounts | null): CompletionFigure {
  if (!counts) return { available: false, note: 'not available' };
  return { available: true, ...counts, completedShare: counts.total === 0 ? null : Math.round((counts.completed / counts.total) * 1000) / 1000 };
}

/** The report section from counts (null = not available). */
export function followUpCompletion(counts: { postMortems: CompletionCounts | null; actionItems: CompletionCounts | null }): FollowUpCompletion {
  return { definition: FOLLOW_UP_DEFINITION, postMortems: figure(counts.postMortems), actionItems: figure(counts.actionItems) };
}
