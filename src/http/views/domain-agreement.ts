import type { z } from 'zod';
import type { AlertDetail as AlertDetailOf, AlertView } from '../../domain/alerts/alert-queries.js';
import type { IncidentAlertsPage as IncidentAlertsPageOf, IncidentAlertView } from '../../domain/alerts/incident-alerts.js';
import type { OpenAlert } from '../../domain/alerts/list-open-alerts.js';
import type { AlertDecision } from '../../domain/alerts/plan-alert-batch.js';
import type { MaintenanceView } from '../../domain/alerts/maintenance-windows.js';
import type { SilenceView } from '../../domain/alerts/noise.js';
import type { SilencePreview as SilencePreviewOf } from '../../domain/alerts/preview-silence.js';
import type { AlertPage as AlertPageOf } from '../../domain/alerts/search-alerts.js';
import type { PolicyView } from '../../domain/paging/manage-policies.js';
import type { EscalationPreview as EscalationPreviewOf } from '../../domain/paging/preview-escalation.js';
import type { ScheduleTimelineView } from '../../domain/paging/schedule-timeline.js';
import type { DEFINITIONS } from '../../domain/metrics/definitions.js';
import type { IncidentReport as IncidentReportOf } from '../../domain/metrics/build-report.js';
import type { ScheduleView } from '../../domain/paging/manage-schedules.js';
import type { ApplyPlanResult, ImportOutcome as ImportOutcomeOf, ProcessPlanView, RunbookDetailView, RunbookSummaryView, RunView } from '../../domain/runbooks/index.js';
import type { PublicIncidentView } from '../../domain/statuspages/public-incident-view.js';
import type { TeamView } from '../../domain/teams/team-view.js';
import type { setUserPassword } from '../../domain/users/set-user-password.js';
import type { SignedIn as SignedInOf } from '../../domain/users/sign-in.js';
import type { UserDetailView, UserSummary as UserSummaryOf, UserView } from '../../domain/users/user-view.js';
import type { AlertDetail, AlertPage, IncidentAlertsPage, MaintenanceWindow, Silence, SilencePreview } from './alerts.js';
import type { EscalationPolicy, EscalationPreview, Schedule, ScheduleTimeline } from './paging.js';
import type { PasswordSet, SignedIn, Team, User, UserDetail, UserDetailOrSummary, UserList, UserSummary } from './people.js';
import type { IncidentReport } from './reports.js';
import type { AppliedPlan, ImportOutcome, ProcessPlan, RunbookDetail, RunbookSummary } from './runbook-library.js';
import type { RunbookRun } from './runbooks.js';
import type { PublicIncident } from './status-pages.js';

/**
 * Views written after the domain already had a TypeScript type for the answer: the compiler
 * checks that each view and that type accept each other, so a field added to (or dropped from)
 * the domain's answer and not its view fails `tsc` instead of a test that happens to reach it.
 * Nothing here exists at run time.
 */
type Agrees<V extends z.ZodType, D> = [z.output<V>] extends [D] ? ([D] extends [z.output<V>] ? true : false) : false;
type Expect<T extends true> = T;

/** The alert views read a stored decision whose ids older or hand-written rows may lack (views/alerts.ts). */
type StoredDecision<A extends { decision: AlertDecision }> = Omit<A, 'decision'> & { decision: Pick<AlertDecision, 'kind' | 'message'> & Partial<AlertDecision> };

export type ViewsAgreeWithDomain = [
  Expect<Agrees<typeof RunbookSummary, RunbookSummaryView>>,
  Expect<Agrees<typeof RunbookDetail, RunbookDetailView>>,
  Expect<Agrees<typeof ImportOutcome, ImportOutcomeOf>>,
  Expect<Agrees<typeof ProcessPlan, ProcessPlanView>>,
  Expect<Agrees<typeof AppliedPlan, ApplyPlanResult>>,
  // The definitions are typed as their literal texts in the domain; the view says string.
  Expect<Agrees<typeof IncidentReport, Omit<IncidentReportOf, 'definitions'> & { definitions: Record<keyof typeof DEFINITIONS, string> }>>,
  Expect<Agrees<typeof AlertPage, Omit<AlertPageOf, 'alerts'> & { alerts: StoredDecision<AlertView>[] }>>,
  Expect<Agrees<typeof AlertDetail, StoredDecision<AlertDetailOf>>>,
  Expect<Agrees<typeof IncidentAlertsPage, Omit<IncidentAlertsPageOf, 'items'> & { items: StoredDecision<IncidentAlertView>[] }>>,
  Expect<Agrees<typeof Silence, SilenceView>>,
  Expect<Agrees<typeof SilencePreview, Omit<SilencePreviewOf, 'alerts'> & { alerts: StoredDecision<OpenAlert>[] }>>,
  Expect<Agrees<typeof MaintenanceWindow, MaintenanceView>>,
  // policyFromRow always writes ackTimeoutSeconds (null when unset); EscalationPolicy types it optional.
  Expect<Agrees<typeof EscalationPolicy, Omit<PolicyView, 'ackTimeoutSeconds'> & { ackTimeoutSeconds: number | null }>>,
  Expect<Agrees<typeof EscalationPreview, EscalationPreviewOf>>,
  Expect<Agrees<typeof ScheduleTimeline, ScheduleTimelineView>>,
  Expect<Agrees<typeof Schedule, ScheduleView>>,
  Expect<Agrees<typeof RunbookRun, RunView>>,
  Expect<Agrees<typeof User, UserView>>,
  Expect<Agrees<typeof UserDetail, UserDetailView>>,
  Expect<Agrees<typeof UserSummary, UserSummaryOf>>,
  Expect<Agrees<typeof UserDetailOrSummary, UserDetailView | UserSummaryOf>>,
  Expect<Agrees<typeof UserList, { items: UserView[] } | { items: UserSummaryOf[] }>>,
  Expect<Agrees<typeof PasswordSet, Awaited<ReturnType<typeof setUserPassword>>>>,
  // The session token and its expiry go into the cookie, not the answer (routes/auth.ts).
  Expect<Agrees<typeof SignedIn, Omit<SignedInOf, 'token' | 'expiresAt'>>>,
  Expect<Agrees<typeof Team, TeamView>>,
  Expect<Agrees<typeof PublicIncident, PublicIncidentView>>,
];
