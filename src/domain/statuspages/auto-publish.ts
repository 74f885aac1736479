import { Liquid, LiquidError } from 'liquidjs';
import { AppError } from '../../core/errors.js';
import { impactOf, worst, type ComponentStatus, type Impact } from './status.js';

/**
 * Auto-publish per severity, pure: which severities of a page make a public incident by
 * themselves, whether it goes out at once ('publish') or waits as a draft for one click
 * ('draft'), and the public title and first update, rendered from Liquid templates that see only
 * public facts (the page, the severity, the affected components and the impact), never the
 * internal incident's title, summary or people.
 */
export const AUTO_MODES = ['draft', 'publish'] as const;
export type AutoMode = (typeof AUTO_MODES)[number];

export interface AutoPublish {
  /** Severity key → mode; a severity not listed is never auto-published. */
  severities: Record<string, AutoMode>;
  /** Liquid; '' means the default. */
  title: string;
  body: string;
}

export const DEFAULT_AUTO_TITLE = '{% if components.size > 0 %}{{ components | join: ", " }}: {% endif %}{% if impact == "critical" %}service outage{% else %}degraded service{% endif %}';
export const DEFAULT_AUTO_BODY = 'We are investigating problems with {{ components | join: ", " }}. We will post an update as soon as we know more.';

export const NO_AUTO_PUBLISH: AutoPublish = { severities: {}, title: '', body: '' };

export function parseAutoPublish(json: string): AutoPublish {
  const v = JSON.parse(json || '{}') as Partial<AutoPublish>;
  return { severities: v.severities ?? {}, title: v.title ?? '', body: v.body ?? '' };
}

export interface AutoVariables {
  page: { name: string };
  severity: string;
  impact: Impact;
  components: string[];
}

const SAMPLE: AutoVariables = { page: { name: 'Acme Cloud' }, severity: 'SEV1', impact: 'critical', components: ['API', 'Website'] };
const liquid = new Liquid({ strictVariables: true, strictFilters: true, ownPropertyOnly: true, cache: 100 });

/** Renders one template; an error names `field` and where in the template it is. */
export function renderAutoTemplate(source: string, vars: AutoVariables, field: string): string {
  try {
    return liquid.parseAndRenderSync(source, vars as unknown as Record<string, unknown>).trim();
  } catch (error) {
    if (!(error instanceof LiquidError)) throw error;
    const e = error as LiquidError & { token?: { getPosition?: () => [number, number] } };
    const [line, column] = e.token?.getPosition?.() ?? [null, null];
    const what = (e.originalError?.message ?? e.message).replace(/, line:\d+, col:\d+$/, '');
    const message = `template error${line !== null ? ` at line ${line}, column ${column}` : ''}: ${what}`;
    throw new AppError('VALIDATION', `${field}: ${message}`, { issues: [{ field, message }] });
  }
}

/** Save-time check of both templates against sample values. */
export function checkAutoPublish(a: AutoPublish, prefix = 'autoPublish'): void {
  renderAutoTemplate(a.title || DEFAULT_AUTO_TITLE, SAMPLE, `${prefix}.title`);
  renderAutoTemplate(a.body || DEFAULT_AUTO_BODY, SAMPLE, `${prefix}.body`);
}

export interface AutoComponent {
  id: string;
  name: string;
  group: boolean;
  services: readonly string[];
  status: ComponentStatus;
}

export interface AutoDraft {
  mode: AutoMode;
  name: string;
  body: string;
  impact: Impact;
  components: string[];
}

/**
 * What auto-publish makes for an incident of `severity` on `serviceId`, or null: the severity is
 * not chosen on this page, the incident has no service, or no component of the page maps it.
 * `statusFor` is the status the components will show (the incident included).
 */
export function planAutoPublish(input: {
  settings: AutoPublish;
  pageName: string;
  severity: string;
  serviceId: string | null;
  components: readonly AutoComponent[];
}): AutoDraft | null {
  const mode = input.settings.severities[input.severity];
  if (!mode || input.serviceId === null) return null;
  const affected = input.components.filter((c) => !c.group && c.services.includes(input.serviceId!));
  if (affected.length === 0) return null;
  const impact = impactOf(worst(affected.map((c) => c.status)));
  const vars: AutoVariables = { page: { name: input.pageName }, severity: input.severity, impact, components: affected.map((c) => c.name) };
  const name = renderAutoTemplate(input.settings.title || DEFAULT_AUTO_TITLE, vars, 'autoPublish.title').slice(0, 200) || affected.map((c) => c.name).join(', ');
  const body = renderAutoTemplate(input.settings.body || DEFAULT_AUTO_BODY, vars, 'autoPublish.body') || 'We are investigating.';
  return { mode, name, body, impact, components: affected.map((c) => c.id) };
}
