import { readFileSync } from 'node:fs';
import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Document, type Node } from 'yaml';
import { z } from 'zod';
import { INTEGRATION_FORMATS, validateSettings } from '../domain/alerts/integrations.js';
import { isAppError } from '../core/errors.js';
import { ChecklistItem, DisplayName, Email, Slug, TeamRoleInput, TimeZone, UserRoleInput } from '../domain/names.js';
import { SeverityLevelInput, type SeverityLevel } from '../domain/severities/severity-scheme.js';
import { storableJson } from '../core/storable-text.js';
import { DigestSchedule } from '../domain/actions/digest-schedule.js';
import { CHECKLIST_TRIGGERS, ChecklistGroup, hasTasks, NO_TASKS } from '../domain/tasks/checklist-template-view.js';
import { AUDIENCES, UPDATE_KINDS } from '../domain/updates/schemas.js';
import { checkTemplate } from '../domain/updates/templates.js';
import { BUILT_IN_TEMPLATES, checkPostmortemTemplate } from '../domain/postmortems/templates.js';
import { ReportScheduleInput } from '../domain/report-schedules/schemas.js';
import { parseMatcher } from '../domain/alerts/matchers.js';
import { ConfigError } from './env-config.js';

/**
 * `firebreak.yaml`: teams, users, services, the severity scheme and checklists declared as code.
 * Every object is a strict zod object, so a misspelt key is an error rather than silently
 * ignored, and every problem is reported with `file:line:col path: message`.
 *
 * Adding a section (integrations, schedules, …): add its schema to `ConfigFileSchema` and, for
 * checks that span sections, push a function onto `CONFIG_CHECKS`. Apply it in
 * `domain/config/apply-config.ts`.
 */

const UNITS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86_400 };

/** `30s`, `5m`, `4h`, `1d`, `1h30m`, or a whole number of seconds → seconds. */
export function parseDurationSeconds(text: string): number | null {
  const trimmed = text.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) > 0 ? Number(trimmed) : null;
  if (!/^(\d+[smhd])+$/.test(trimmed)) return null;
  let total = 0;
  for (const [, n, unit] of trimmed.matchAll(/(\d+)([smhd])/g)) total += Number(n) * UNITS[unit!]!;
  return total > 0 ? total : null;
}

export const Duration = z.union([z.number(), z.string()]).transform((value, ctx) => {
  const seconds = typeof value === 'number' ? (Number.isInteger(value) && value > 0 ? value : null) : parseDurationSeconds(value);
  if (seconds === null) {
    ctx.addIssue({ code: 'custom', message: `'${value}' is not a duration; write e.g. 30s, 5m, 4h, 1d or 1h30m` });
    return z.NEVER;
  }
  return seconds;
});

/** A duration that may be zero: `0`, `0s` or `immediate` ("respond immediately", "page at once"). */
export const ZeroOrDuration = z.union([z.number(), z.string()]).transform((value, ctx) => {
  const zero = value === 0 || (typeof value === 'string' && /^(0+[smhd]?|immediate(ly)?)$/i.test(value.trim()));
  const seconds = zero ? 0 : typeof value === 'number' ? (Number.isInteger(value) && value > 0 ? value : null) : parseDurationSeconds(value);
  if (seconds === null) {
    ctx.addIssue({ code: 'custom', message: `'${value}' is not a duration; write e.g. 0 (immediately), 30s, 5m, 4h, 1d or 1h30m` });
    return z.NEVER;
  }
  return seconds;
});

export const TeamConfig = z.strictObject({
  slug: Slug,
  name: DisplayName,
  members: z.array(z.strictObject({ user: Email, role: TeamRoleInput.default('responder') })).max(500).default([]),
});

/** No passwords here: an admin sets one through the API (`PUT /api/v1/users/:id/password`). */
export const UserConfig = z.strictObject({
  email: Email,
  name: DisplayName,
  role: UserRoleInput.default('responder'),
  timeZone: TimeZone.default('UTC'),
});

export const ServiceConfig = z.strictObject({
  slug: Slug,
  name: DisplayName,
  description: z.string().max(2000).default(''),
  team: Slug.optional(),
  /** Name or id of an escalation policy (made through the API) that pages for this service. */
  escalationPolicy: z.string().trim().min(1).max(200).optional(),
});

export const SeverityConfig = z.strictObject({
  key: SeverityLevelInput.shape.key,
  name: SeverityLevelInput.shape.name,
  description: z.string().max(2000).default(''),
  examples: z.array(z.string().max(500)).max(50).default([]),
  /** `0` / `immediate`: respond at once. */
  ackTarget: ZeroOrDuration.optional(),
  resolveTarget: Duration.optional(),
  updateCadence: Duration.optional(),
  /** The targets count business hours only (Monday–Friday 09:00–17:00 UTC): "next business day" is `ackTarget: 8h`. */
  businessHours: z.boolean().default(false),
  /** Name of the escalation policy that pages for this severity by default (declared under escalationPolicies: or made through the API). */
  escalationPolicy: z.string().trim().min(1).max(200).optional(),
  /** The post-mortem gate: incidents of this severity cannot be closed until it is published. */
  postmortemRequired: z.boolean().default(false),
  /** How long after resolution the post-mortem is due (its owner is reminded), e.g. 5d. */
  postmortemDue: Duration.optional(),
  /** Communication deadlines: `- {title: Brief management, audience: internal, within: 30m}`. */
  communicationTasks: z.array(z.strictObject({
    title: z.string().trim().min(1).max(200),
    audience: z.enum(AUDIENCES).optional(),
    within: Duration,
  })).max(20).default([]),
});

/** A stakeholder update template (Liquid); `audience` unset: any audience without its own. */
export const UpdateTemplateConfig = z.strictObject({
  kind: z.enum(UPDATE_KINDS),
  audience: z.enum(AUDIENCES).optional(),
  body: z.string().min(1).max(20_000),
});

/** A team's post-mortem template (Liquid, see docs/postmortems.md); the built-in slugs are reserved. */
export const PostmortemTemplateConfig = z.strictObject({
  slug: Slug,
  name: DisplayName,
  body: z.string().min(1).max(50_000),
});

const StatusComponentConfig = z.strictObject({
  name: z.string().trim().min(1).max(120),
  description: z.string().max(2000).default(''),
  /** Service slugs whose open incidents set the component's status. */
  services: z.array(z.string().trim().min(1)).max(100).default([]),
});
export const StatusPageConfig = z.strictObject({
  slug: z.string().trim().regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'lower-case letters, digits and dashes'),
  name: z.string().trim().min(1).max(120),
  hostName: z.string().trim().toLowerCase().min(1).max(253).optional(),
  severityMap: z.record(z.string().min(1).max(40), z.enum(['operational', 'under_maintenance', 'degraded_performance', 'partial_outage', 'major_outage'])).default({}),
  /** Severities whose incidents make a public incident by themselves (draft: one click to publish). */
  autoPublish: z.strictObject({
    severities: z.record(z.string().min(1).max(40), z.enum(['draft', 'publish'])).default({}),
    title: z.string().max(1000).default(''),
    body: z.string().max(20_000).default(''),
  }).optional(),
  /** A component with `components:` is a group of them (two levels). */
  components: z.array(StatusComponentConfig.extend({ components: z.array(StatusComponentConfig).max(100).optional() })).max(100).default([]),
});

/** `user:EMAIL`, `team:SLUG` or `schedule:NAME`: who a level pages. */
export const PolicyTargetConfig = z.string().trim().max(300).superRefine((value, ctx) => {
  if (/^placeholder:/.test(value)) ctx.addIssue({ code: 'custom', message: `'${value.slice(12)}' is a placeholder from a runbook import plan; map it to user:EMAIL, team:SLUG or schedule:NAME` });
  else if (!/^(user|team|schedule):\S/.test(value)) ctx.addIssue({ code: 'custom', message: `'${value}' is not a target; write user:EMAIL, team:SLUG or schedule:NAME` });
});

/**
 * An escalation policy, by name. Level `after` is the wait after the previous level (after
 * escalation started, for the first); `severities` makes the level page only for those.
 * `ifUnresolved` pages its targets that long after the start unless the incident is resolved.
 */
export const EscalationPolicyConfig = z.strictObject({
  name: z.string().trim().min(1).max(200),
  levels: z.array(z.strictObject({
    after: ZeroOrDuration.default(0),
    targets: z.array(PolicyTargetConfig).min(1, { error: 'needs at least one target' }).max(50),
    severities: z.array(z.string().trim().min(1).max(20)).min(1).max(20).optional(),
  })).min(1, { error: 'needs at least one level' }).max(20),
  ifUnresolved: z.array(z.strictObject({ after: Duration, targets: z.array(PolicyTargetConfig).min(1).max(50) })).max(5).default([]),
  repeat: z.number().int().min(0).max(10).default(0),
});

export const ChecklistConfig = z.strictObject({
  slug: Slug,
  name: DisplayName,
  severities: z.array(z.string().trim().min(1).max(20)).min(1).max(10),
  items: z.array(ChecklistItem).max(100).default([]),
  /** on_open (default) or on_resolve: post-incident checklists (docs/action-items.md). */
  trigger: z.enum(CHECKLIST_TRIGGERS).default('on_open'),
  /** Time windows ("Immediate", 0–1 h): their tasks are due `dueOffsetSeconds` after the trigger. */
  groups: z.array(ChecklistGroup).max(20).default([]),
}).refine(hasTasks, NO_TASKS);

/**
 * An alert sender. The key is never written here: it is read from `keyFile` (relative to this
 * file) or the environment variable `keyEnv` when the file is applied, so the sender's own
 * config (Alertmanager's `routing_key_file`, a Kubernetes secret) and Firebreak share one secret.
 */
export const IntegrationConfig = z.strictObject({
  name: z.string().trim().min(1).max(200),
  format: z.enum(INTEGRATION_FORMATS),
  service: Slug.optional(),
  keyFile: z.string().trim().min(1).optional(),
  keyEnv: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, { error: 'must be an environment variable name' }).optional(),
  settings: z.record(z.string(), z.unknown()).default({}),
});

/**
 * A routing rule, as Alertmanager's route `matchers:` spells them: each entry one matcher
 * (`severity="critical"`, `env=~"prod|staging"`), all must match. Rules are evaluated in file
 * order before any rule made through the API; the first match wins. The name is the identity.
 */
export const RouteConfig = z.strictObject({
  name: z.string().trim().min(1).max(200),
  matchers: z.array(z.string().trim().min(1)).min(1, { error: 'at least one matcher is required' }).max(50),
  /** Only alerts of this integration (its name); unset: every integration. */
  integration: z.string().trim().min(1).max(200).optional(),
  service: Slug.optional(),
  severity: z.string().trim().min(1).max(20).optional(),
  drop: z.boolean().default(false),
  /** Name or id of an escalation policy: incidents opened by alerts this rule matched page with it. */
  escalationPolicy: z.string().trim().min(1).max(200).optional(),
});

const HttpUrl = z.string().trim().max(2000).regex(/^https?:\/\/\S+$/, 'must be an http(s) URL');

/** `audiences:` internal stakeholder groups and the rules that pick them per incident. */
export const AudiencesConfig = z.strictObject({
  groups: z.array(z.strictObject({
    slug: Slug,
    name: DisplayName,
    description: z.string().max(1000).default(''),
    emails: z.array(z.string().trim().regex(/^[^\s@<>(),;:"]+@[^\s@<>(),;:"]+\.[^\s@<>(),;:"]+$/, 'is not an email address')).max(200).default([]),
    slackWebhookUrl: HttpUrl.optional(),
    webhookUrl: HttpUrl.optional(),
    /** User emails; reached through their own contact methods. */
    users: z.array(z.string().trim().min(1)).max(200).default([]),
    /** Team slugs. */
    teams: z.array(z.string().trim().min(1)).max(200).default([]),
  })).max(100).default([]),
  rules: z.array(z.strictObject({
    group: Slug,
    severities: z.array(z.string().trim().min(1)).max(20).default([]),
    services: z.array(z.string().trim().min(1)).max(200).default([]),
  })).max(500).default([]),
});

/**
 * `incidentRoles:` the roles the incident page offers (docs/configuration.md). The key is what
 * incidents store; `position` orders the list (omitted: a new role goes last, an existing one
 * keeps its place).
 */
export const IncidentRoleConfig = z.strictObject({
  key: Slug,
  name: DisplayName,
  description: z.string().trim().min(1).max(2000).optional(),
  position: z.number().int().min(0).max(10_000).optional(),
});

export const ConfigFileSchema = z.strictObject({
  version: z.literal(1).optional(),
  teams: z.array(TeamConfig).default([]),
  users: z.array(UserConfig).default([]),
  services: z.array(ServiceConfig).default([]),
  /** Omitted: the scheme stays as the API left it. Given: it replaces the scheme. */
  severities: z.array(SeverityConfig).min(1).max(10).optional(),
  /** Escalation policies the file owns (by name); one it no longer declares is removed. */
  escalationPolicies: z.array(EscalationPolicyConfig).max(200).default([]),
  checklists: z.array(ChecklistConfig).default([]),
  /** Markdown runbooks imported at start and re-read on change; `directory` is relative to this file. */
  runbooks: z.strictObject({ directory: z.string().min(1), watch: z.boolean().default(true) }).optional(),
  integrations: z.array(IntegrationConfig).default([]),
  routes: z.array(RouteConfig).max(1000).default([]),
  updateTemplates: z.array(UpdateTemplateConfig).max(50).default([]),
  statusPages: z.array(StatusPageConfig).max(50).default([]),
  /** Action items: when the weekly per-team digest goes out (default Monday 09:00 UTC). */
  actionItems: z.strictObject({ digest: DigestSchedule.optional() }).optional(),
  postmortemTemplates: z.array(PostmortemTemplateConfig).max(50).default([]),
  /** Omitted: no groups or rules are managed by the file (those it managed before are removed). */
  audiences: AudiencesConfig.optional(),
  /** Scheduled e-mailed reports (docs/metrics.md); the file owns the schedules it declares. */
  reports: z.array(ReportScheduleInput).max(50).default([]),
  /** Incident roles the file owns (by key); one it no longer declares is removed. */
  incidentRoles: z.array(IncidentRoleConfig).max(100).default([]),
});

export type FirebreakConfig = z.output<typeof ConfigFileSchema>;

export type ConfigPath = (string | number)[];
export type ConfigCheck = (config: FirebreakConfig, report: (path: ConfigPath, message: string) => void) => void;

function checkUnique<T>(items: T[], section: string, field: keyof T & string, report: (path: ConfigPath, message: string) => void, fold = (s: string) => s): void {
  const seen = new Map<string, number>();
  items.forEach((item, i) => {
    const value = fold(String(item[field]));
    const first = seen.get(value);
    if (first !== undefined) report([section, i, field], `duplicate ${field} '${String(item[field])}' (first declared at ${section}.${first})`);
    else seen.set(value, i);
  });
}

/** Checks that span objects or sections; zod has already checked each object's shape. */
export const CONFIG_CHECKS: ConfigCheck[] = [
  (c, report) => {
    checkUnique(c.teams, 'teams', 'slug', report);
    checkUnique(c.users, 'users', 'email', report);
    checkUnique(c.services, 'services', 'slug', report);
    checkUnique(c.checklists, 'checklists', 'slug', report);
    checkUnique(c.reports, 'reports', 'name', report);
    checkUnique(c.severities ?? [], 'severities', 'key', report, (s) => s.toUpperCase());
    checkUnique(c.integrations, 'integrations', 'name', report);
    checkUnique(c.routes, 'routes', 'name', report);
    checkUnique(c.escalationPolicies, 'escalationPolicies', 'name', report);
    checkUnique(c.incidentRoles, 'incidentRoles', 'key', report);
    checkUnique(c.statusPages, 'statusPages', 'slug', report);
  },
  // A page's component names are unique over both levels (the store's index; how they are referred to).
  (c, report) => {
    c.statusPages.forEach((page, i) => {
      const seen = new Map<string, string>();
      const check = (name: string, path: ConfigPath) => {
        const first = seen.get(name);
        if (first !== undefined) report(path, `duplicate component name '${name}' on page ${page.slug} (first declared at ${first})`);
        else seen.set(name, path.join('.'));
      };
      page.components.forEach((group, j) => {
        check(group.name, ['statusPages', i, 'components', j, 'name']);
        (group.components ?? []).forEach((member, k) => check(member.name, ['statusPages', i, 'components', j, 'components', k, 'name']));
      });
    });
  },
  (c, report) => {
    c.escalationPolicies.forEach((p, i) => {
      p.levels.forEach((level, j) => {
        if (level.after > 86_400) report(['escalationPolicies', i, 'levels', j, 'after'], 'must be at most 1d (a longer wait between two levels is almost certainly a mistake)');
      });
      p.ifUnresolved.forEach((e, j) => {
        if (e.after < 60 || e.after > 7 * 86_400) report(['escalationPolicies', i, 'ifUnresolved', j, 'after'], 'must be between 1m and 7d');
      });
      if (!c.severities) return;
      const keys = new Set(c.severities.map((s) => s.key.toUpperCase()));
      p.levels.forEach((level, j) => level.severities?.forEach((key, k) => {
        if (!keys.has(key.toUpperCase())) report(['escalationPolicies', i, 'levels', j, 'severities', k], `severity '${key}' is not in the severities: section (${c.severities!.map((s) => s.key).join(', ')})`);
      }));
    });
  },
  (c, report) => {
    const severities = c.severities ? new Set(c.severities.map((s) => s.key.toUpperCase())) : null;
    c.routes.forEach((route, i) => {
      route.matchers.forEach((text, j) => {
        try {
          parseMatcher(text, 'matcher');
        } catch (e) {
          if (!isAppError(e)) throw e;
          report(['routes', i, 'matchers', j], e.issues[0]?.message ?? e.message);
        }
      });
      if (route.drop && (route.service !== undefined || route.severity !== undefined || route.escalationPolicy !== undefined)) {
        report(['routes', i, 'drop'], 'a rule that drops alerts sets no service, severity or escalation policy; remove one or the other');
      } else if (!route.drop && route.service === undefined && route.severity === undefined && route.escalationPolicy === undefined) {
        report(['routes', i, 'name'], 'a rule must set a service, a severity, an escalationPolicy, or drop: true');
      }
      // A service or integration may also be one made through the API: the apply checks those.
      if (route.severity !== undefined && severities && !severities.has(route.severity.toUpperCase())) {
        report(['routes', i, 'severity'], `severity '${route.severity}' is not in the severities: section (${c.severities!.map((s) => s.key).join(', ')})`);
      }
    });
  },
  (c, report) => {
    c.integrations.forEach((integration, i) => {
      if ((integration.keyFile === undefined) === (integration.keyEnv === undefined)) {
        report(['integrations', i, integration.keyFile === undefined ? 'name' : 'keyEnv'], 'give the key as exactly one of keyFile: (a file path) or keyEnv: (an environment variable name); never inline');
      }
      try {
        validateSettings(integration.format, integration.settings);
      } catch (e) {
        if (!isAppError(e)) throw e;
        for (const issue of e.issues.length ? e.issues : [{ field: 'settings', message: e.message }]) {
          report(['integrations', i, ...issue.field.split('.').map((p) => (/^\d+$/.test(p) ? Number(p) : p))], issue.message);
        }
      }
    });
  },
  (c, report) => {
    const seen = new Map<string, number>();
    c.updateTemplates.forEach((t, i) => {
      const key = `${t.kind}/${t.audience ?? 'any'}`;
      const first = seen.get(key);
      if (first !== undefined) report(['updateTemplates', i, 'kind'], `a second ${key} template (first declared at updateTemplates.${first})`);
      else seen.set(key, i);
      try {
        checkTemplate(t.body, 'body');
      } catch (e) {
        if (!isAppError(e)) throw e;
        report(['updateTemplates', i, 'body'], e.issues[0]?.message ?? e.message);
      }
    });
  },
  (c, report) => {
    checkUnique(c.postmortemTemplates, 'postmortemTemplates', 'slug', report);
    c.postmortemTemplates.forEach((t, i) => {
      if (BUILT_IN_TEMPLATES.some((b) => b.slug === t.slug)) report(['postmortemTemplates', i, 'slug'], `'${t.slug}' is a built-in template; choose another slug`);
      try {
        checkPostmortemTemplate(t.body, 'body');
      } catch (e) {
        if (!isAppError(e)) throw e;
        report(['postmortemTemplates', i, 'body'], e.issues[0]?.message ?? e.message);
      }
    });
  },
  (c, report) => {
    const users = new Set(c.users.map((u) => u.email));
    c.teams.forEach((team, t) => {
      const members = new Set<string>();
      team.members.forEach((m, i) => {
        if (!users.has(m.user)) report(['teams', t, 'members', i, 'user'], `user '${m.user}' is not declared under users:`);
        if (members.has(m.user)) report(['teams', t, 'members', i, 'user'], `'${m.user}' is listed twice in this team`);
        members.add(m.user);
      });
    });
  },
  (c, report) => {
    const teams = new Set(c.teams.map((t) => t.slug));
    c.services.forEach((s, i) => {
      if (s.team !== undefined && !teams.has(s.team)) report(['services', i, 'team'], `team '${s.team}' is not declared under teams:`);
    });
  },
  (c, report) => {
    c.severities?.forEach((s, i) => {
      if (s.ackTarget !== undefined && s.resolveTarget !== undefined && s.resolveTarget < s.ackTarget) {
        report(['severities', i, 'resolveTarget'], 'is shorter than ackTarget');
      }
    });
    if (!c.severities) return;
    const keys = new Set(c.severities.map((s) => s.key.toUpperCase()));
    c.checklists.forEach((cl, i) => cl.severities.forEach((key, j) => {
      if (!keys.has(key.toUpperCase())) report(['checklists', i, 'severities', j], `severity '${key}' is not in the severities: section (${c.severities!.map((s) => s.key).join(', ')})`);
    }));
  },
];

/** The YAML levels in the shape the severity domain stores. */
export function severityLevelsFromConfig(levels: NonNullable<FirebreakConfig['severities']>): SeverityLevel[] {
  return levels.map((l) => ({
    key: l.key, name: l.name, description: l.description, examples: l.examples,
    ackTargetSeconds: l.ackTarget ?? null, resolveTargetSeconds: l.resolveTarget ?? null, updateCadenceSeconds: l.updateCadence ?? null,
    escalationPolicyId: null, postmortemRequired: l.postmortemRequired, postmortemDueSeconds: l.postmortemDue ?? null,
    commTasks: l.communicationTasks.map((t) => ({ title: t.title, ...(t.audience ? { audience: t.audience } : {}), withinSeconds: t.within })),
    businessHours: l.businessHours,
  }));
}

export interface ConfigProblem {
  file: string;
  /** 1-based; 0 when the problem is about the file as a whole. */
  line: number;
  col: number;
  path: string;
  message: string;
}

export function formatConfigProblem(p: ConfigProblem): string {
  return `${p.file}${p.line > 0 ? `:${p.line}:${p.col}` : ''}${p.path ? ` ${p.path}` : ''}: ${p.message}`;
}

/** Exits with 78 like every other configuration error; the message lists every problem. */
export class ConfigFileError extends ConfigError {
  readonly located: ConfigProblem[];
  constructor(problems: ConfigProblem[]) {
    super(problems.map(formatConfigProblem));
    this.name = 'ConfigFileError';
    this.located = problems;
  }
}

export interface LoadedConfig {
  file: string;
  config: FirebreakConfig;
  /** Where a dotted path (`services.2.team`) is in the file, for errors found later (at apply). */
  locate(path: string): { line: number; col: number };
}

export type ParseResult = { ok: true; loaded: LoadedConfig } | { ok: false; problems: ConfigProblem[] };

/** Parses and validates without touching the disk or the database (`firebreak config check`). */
export function parseConfigText(text: string, file = 'firebreak.yaml'): ParseResult {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, keepSourceTokens: true, prettyErrors: false, uniqueKeys: true });
  const at = (offset: number | undefined) => {
    if (offset === undefined) return { line: 1, col: 1 };
    const pos = lineCounter.linePos(offset);
    return { line: pos.line, col: pos.col };
  };
  if (doc.errors.length > 0) {
    return { ok: false, problems: doc.errors.map((e) => ({ file, ...at(e.pos[0]), path: '', message: e.message.replace(/ at line \d+, column \d+:?[\s\S]*$/, '') })) };
  }
  if (doc.contents !== null && !isMap(doc.contents)) {
    return { ok: false, problems: [{ file, ...at(doc.contents.range?.[0]), path: '', message: 'the file must be a mapping of sections (teams:, users:, services:, severities:, checklists:)' }] };
  }
  const locateNode = (path: ConfigPath, key = false) => at(nodeAt(doc, path, key)?.range?.[0]);
  const locate = (path: string) => locateNode(path.split('.').filter(Boolean).map((s) => (/^\d+$/.test(s) ? Number(s) : s)));

  // Text both databases store (a YAML `"\0"` is NUL, refused by PostgreSQL): core/storable-text.ts.
  const parsed = ConfigFileSchema.safeParse(storableJson(doc.toJS({ maxAliasCount: 1000 }) ?? {}));
  const problems: ConfigProblem[] = [];
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const path = issue.path.map((p) => (typeof p === 'symbol' ? String(p) : p));
      if (issue.code === 'unrecognized_keys') {
        for (const key of issue.keys) {
          const known = allowedKeys(path);
          const hint = closest(key, known);
          problems.push({ file, ...locateNode([...path, key], true), path: [...path, key].join('.'), message: `unknown key${hint ? `; did you mean '${hint}'?` : known.length ? ` (expected one of: ${known.join(', ')})` : ''}` });
        }
        continue;
      }
      const missing = issue.code === 'invalid_type' && / received undefined$/.test(issue.message);
      const empty = issue.code === 'invalid_type' && / received null$/.test(issue.message);
      problems.push({ file, ...locateNode(path), path: path.join('.'), message: missing ? 'is required' : empty ? 'is empty; give a value' : issue.message });
    }
  } else {
    for (const check of CONFIG_CHECKS) {
      check(parsed.data, (path, message) => problems.push({ file, ...locateNode(path), path: path.join('.'), message }));
    }
  }
  problems.sort((a, b) => a.line - b.line || a.col - b.col);
  if (problems.length > 0 || !parsed.success) return { ok: false, problems };
  return { ok: true, loaded: { file, config: parsed.data, locate } };
}

/** Reads and validates a file; throws ConfigFileError listing every problem. */
export function loadConfigFile(path: string): LoadedConfig {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new ConfigFileError([{ file: path, line: 0, col: 0, path: '', message: `cannot read the file (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})` }]);
  }
  const result = parseConfigText(text, path);
  if (!result.ok) throw new ConfigFileError(result.problems);
  return result.loaded;
}

/** A problem found when applying (needs the database), placed at the field it names. */
export function configProblemAt(loaded: LoadedConfig, field: string, message: string): ConfigProblem {
  const known = /^(teams|users|services|severities|escalationPolicies|checklists|integrations|routes|updateTemplates|postmortemTemplates|audiences|reports|incidentRoles)\b/.test(field);
  return { file: loaded.file, ...(known ? loaded.locate(field) : { line: 0, col: 0 }), path: field, message };
}

export function summariseConfig(config: FirebreakConfig): Record<string, number> {
  return {
    teams: config.teams.length,
    users: config.users.length,
    services: config.services.length,
    severities: config.severities?.length ?? 0,
    checklists: config.checklists.length,
    // Only when declared, so the summary of a file without alert senders stays as it was.
    ...(config.integrations.length > 0 ? { integrations: config.integrations.length } : {}),
    ...(config.routes.length > 0 ? { routes: config.routes.length } : {}),
    ...(config.escalationPolicies.length > 0 ? { escalationPolicies: config.escalationPolicies.length } : {}),
    ...(config.updateTemplates.length > 0 ? { updateTemplates: config.updateTemplates.length } : {}),
    ...(config.statusPages.length > 0 ? { statusPages: config.statusPages.length } : {}),
    ...(config.postmortemTemplates.length > 0 ? { postmortemTemplates: config.postmortemTemplates.length } : {}),
    ...(config.audiences ? { audienceGroups: config.audiences.groups.length, audienceRules: config.audiences.rules.length } : {}),
    ...(config.reports.length > 0 ? { reports: config.reports.length } : {}),
    ...(config.incidentRoles.length > 0 ? { incidentRoles: config.incidentRoles.length } : {}),
  };
}

function nodeAt(doc: Document, path: ConfigPath, wantKey: boolean): Node | null {
  let node: unknown = doc.contents;
  for (const [i, seg] of path.entries()) {
    if (isMap(node)) {
      const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === String(seg));
      if (!pair) return node;
      // A key with no value (`name:`) has nothing to point at but the key.
      const empty = pair.value === null || (isScalar(pair.value) && pair.value.value === null && pair.value.range?.[0] === pair.value.range?.[1]);
      node = (wantKey && i === path.length - 1) || empty ? pair.key : pair.value;
    } else if (isSeq(node)) {
      const item = node.items[Number(seg)];
      if (item === undefined) return node;
      node = item;
    } else {
      break;
    }
  }
  return (node as Node | null) ?? null;
}

/** The keys a strict object at `path` accepts, for "did you mean" hints. */
function allowedKeys(path: ConfigPath): string[] {
  let schema: unknown = ConfigFileSchema;
  for (const seg of [...path, null]) {
    schema = unwrap(schema);
    if (seg === null) break;
    if (schema instanceof z.ZodObject) schema = (schema.shape as Record<string, unknown>)[String(seg)];
    else if (schema instanceof z.ZodArray) schema = schema.element;
    else return [];
  }
  return schema instanceof z.ZodObject ? Object.keys(schema.shape) : [];
}

function unwrap(schema: unknown): unknown {
  let s = schema;
  for (let i = 0; i < 10; i++) {
    if (s instanceof z.ZodOptional || s instanceof z.ZodDefault || s instanceof z.ZodNullable) s = s.def.innerType;
    else if (s instanceof z.ZodPipe) s = s.def.in;
    else break;
  }
  return s;
}

function closest(word: string, candidates: string[]): string | null {
  let best: string | null = null;
  let bestDistance = 3;
  for (const c of candidates) {
    const d = editDistance(word.toLowerCase(), c.toLowerCase());
    if (d < bestDistance) {
      best = c;
      bestDistance = d;
    }
  }
  return best;
}

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = tmp;
    }
  }
  return row[b.length]!;
}
