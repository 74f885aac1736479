import { Liquid, LiquidError } from 'liquidjs';
import { AppError } from '../../core/errors.js';
import type { UpdateKind } from './schemas.js';

/**
 * Update templates are Liquid (liquidjs), strict: an unknown variable or filter is an error, not
 * an empty string, so a typo shows at save time instead of in front of customers. Pure: no I/O.
 */
const liquid = new Liquid({ strictVariables: true, strictFilters: true, ownPropertyOnly: true, cache: 200 });

/** What a template can use. `incident.*` plus the deadline being promised and the kind. */
export interface UpdateVariables {
  incident: {
    number: number;
    title: string;
    severity: string;
    status: string;
    services: string[];
    commander: string;
    startedAt: string;
    impact: string;
    summary: string;
    link: string;
  };
  kind: UpdateKind;
  audience: string;
  /** `2026-03-01 10:30 UTC`, or '' when no next update is promised. */
  nextUpdateBy: string;
}

/** Variables for checking a template before it is saved: every name present, plausible values. */
export const SAMPLE_VARIABLES: UpdateVariables = {
  incident: {
    number: 42, title: 'Checkout errors', severity: 'SEV1', status: 'acknowledged', services: ['checkout'],
    commander: 'Alice', startedAt: '2026-03-01 10:00 UTC', impact: 'Some payments fail.', summary: 'Some payments fail.',
    link: 'https://firebreak.example/incidents/42',
  },
  kind: 'update', audience: 'internal', nextUpdateBy: '2026-03-01 10:30 UTC',
};

const INITIAL = `**Investigating**: {{ incident.title }} (#{{ incident.number }}, {{ incident.severity }})

{% if incident.impact != "" %}Impact: {{ incident.impact }}
{% endif %}{% if incident.services.size > 0 %}Affected: {{ incident.services | join: ", " }}
{% endif %}Started: {{ incident.startedAt }}. Commander: {{ incident.commander }}.
{% if nextUpdateBy != "" %}
Next update by {{ nextUpdateBy }}.{% endif %}
{{ incident.link }}`;

const UPDATE = `**Update** on {{ incident.title }} (#{{ incident.number }}, {{ incident.severity }}, {{ incident.status }})

Current status: 
Next steps: 
{% if nextUpdateBy != "" %}
Next update by {{ nextUpdateBy }}.{% endif %}
{{ incident.link }}`;

const RESOLUTION = `**Resolved**: {{ incident.title }} (#{{ incident.number }})

The incident that started at {{ incident.startedAt }} is resolved.{% if incident.impact != "" %} Impact: {{ incident.impact }}{% endif %}

{{ incident.link }}`;

/** Used when no stored template matches the kind (and audience). */
export const DEFAULT_TEMPLATES: Record<UpdateKind, string> = { initial: INITIAL, update: UPDATE, resolution: RESOLUTION };

/** A template error as a 400 naming the field and where in the template it is. */
function templateError(field: string, error: unknown): AppError {
  const e = error as LiquidError & { token?: { getPosition?: () => [number, number] } };
  const [line, column] = e.token?.getPosition?.() ?? [null, null];
  // liquidjs appends ", line:2, col:6" to its message; we say it our way once.
  const what = (e.originalError?.message ?? e.message).replace(/, line:\d+, col:\d+$/, '');
  const where = line !== null ? ` at line ${line}, column ${column}` : '';
  const message = `template error${where}: ${what}`;
  return new AppError('VALIDATION', `${field}: ${message}`, { issues: [{ field, message }] });
}

/** Renders `source`; any parse or render error is a VALIDATION error on `field`. */
export function renderTemplate(source: string, variables: UpdateVariables, field = 'template'): string {
  try {
    return liquid.parseAndRenderSync(source, variables as unknown as Record<string, unknown>);
  } catch (error) {
    if (error instanceof LiquidError) throw templateError(field, error);
    throw error;
  }
}

/** Save-time check: parses and renders against {@link SAMPLE_VARIABLES}. */
export function checkTemplate(source: string, field = 'body'): void {
  renderTemplate(source, SAMPLE_VARIABLES, field);
}
