import { Liquid, LiquidError } from 'liquidjs';
import { AppError } from '../../core/errors.js';
import { fmtDuration, fmtTime, type PostmortemDraft } from './draft.js';

/**
 * Post-mortem templates are Liquid (liquidjs), strict like update templates: an unknown
 * variable or filter is a 400 naming it with its line and column, found when the template is
 * saved rather than when someone writes a post-mortem with it. Pure: no I/O.
 */
const liquid = new Liquid({ strictVariables: true, strictFilters: true, ownPropertyOnly: true, cache: 200 });

export interface PostmortemVariables {
  title: string;
  incident: { number: number; title: string; severity: string; service: string; link: string };
  incidents: { number: number; title: string; severity: string; service: string; link: string }[];
  impactWindow: { start: string; end: string; duration: string };
  draft: PostmortemDraft['sections'];
  facts: PostmortemDraft['facts'];
}

export function variablesFromDraft(draft: PostmortemDraft): PostmortemVariables {
  const incidents = draft.incidents.map((i) => ({ ...i, service: i.service ?? '' }));
  const w = draft.impactWindow;
  return {
    title: draft.title,
    incident: incidents[0]!,
    incidents,
    impactWindow: { start: fmtTime(w.start), end: w.end === null ? 'ongoing' : fmtTime(w.end), duration: w.durationMs === null ? 'ongoing' : fmtDuration(w.durationMs) },
    draft: draft.sections,
    facts: draft.facts,
  };
}

/** Every name present, plausible values: what a template is checked against before saving. */
export const SAMPLE_VARIABLES: PostmortemVariables = {
  title: 'Post-mortem: Checkout errors',
  incident: { number: 42, title: 'Checkout errors', severity: 'SEV1', service: 'Checkout', link: '/incidents/42' },
  incidents: [{ number: 42, title: 'Checkout errors', severity: 'SEV1', service: 'Checkout', link: '/incidents/42' }],
  impactWindow: { start: '2026-03-01 10:00 UTC', end: '2026-03-01 11:10 UTC', duration: '1 h 10 min' },
  draft: { impact: '', detection: '', response: '', runbooks: '', targets: '', updates: '', statusPage: '', timeline: '', fullTimeline: '' },
  facts: { starred: 0, pages: 0, acknowledgements: 0, updates: 0, cadenceKept: 0, cadenceMissed: 0, targetsMissed: 0 },
};

const HEAD = `# {{ title }}

{% for i in incidents %}- Incident [#{{ i.number }} {{ i.title }}]({{ i.link }}) ({{ i.severity }}{% if i.service != "" %}, {{ i.service }}{% endif %})
{% endfor %}`;

const RECORD_TIMELINE = `## Timeline

Key moments starred on the incident timeline:

{{ draft.timeline }}

{{ draft.fullTimeline }}
`;

const BLAMELESS = `${HEAD}
> Blameless: this document asks how the system and our work made this possible, not who is at fault.

## Summary

_What happened, in two or three sentences._

## Impact

{{ draft.impact }}

Status page:

{{ draft.statusPage }}

## Contributing factors

_What combined to make this happen? There is rarely one root cause._

## Mitigators

_What limited the impact?_

## Risks

_What could have made it worse, and what might next time?_

## Detection

{{ draft.detection }}

## Response

{{ draft.response }}

Runbook steps:

{{ draft.runbooks }}

Targets:

{{ draft.targets }}

Stakeholder updates:

{{ draft.updates }}

## What went well

- 

## What went wrong

- 

## Action items

- [ ] 

${RECORD_TIMELINE}`;

const GOOGLE_SRE = `${HEAD}
**Status**: draft · **Impact window**: {{ impactWindow.start }} → {{ impactWindow.end }} ({{ impactWindow.duration }})

## Summary

_One paragraph: what happened and its impact._

## Impact

{{ draft.impact }}

{{ draft.statusPage }}

## Root causes

_Why it happened, as deep as the evidence goes._

## Trigger

_What set it off (a binary push, a config push, a traffic change…)._

## Resolution

{{ draft.runbooks }}

## Detection

{{ draft.detection }}

## Action items

| Action item | Type | Owner | Bug |
| --- | --- | --- | --- |
|  | prevent / mitigate / detect |  |  |

## Lessons learned

### What went well

- 

### What went wrong

- 

### Where we got lucky

- 

## Response

{{ draft.response }}

{{ draft.targets }}

{{ draft.updates }}

${RECORD_TIMELINE}`;

export interface BuiltInTemplate { slug: string; name: string; body: string }

export const BUILT_IN_TEMPLATES: readonly BuiltInTemplate[] = [
  { slug: 'blameless', name: 'Blameless (default)', body: BLAMELESS },
  { slug: 'google-sre', name: 'Google SRE', body: GOOGLE_SRE },
];
export const DEFAULT_TEMPLATE = 'blameless';

function templateError(field: string, error: LiquidError): AppError {
  const e = error as LiquidError & { token?: { getPosition?: () => [number, number] } };
  const [line, column] = e.token?.getPosition?.() ?? [null, null];
  const what = (e.originalError?.message ?? e.message).replace(/, line:\d+, col:\d+$/, '');
  const message = `template error${line !== null ? ` at line ${line}, column ${column}` : ''}: ${what}`;
  return new AppError('VALIDATION', `${field}: ${message}`, { issues: [{ field, message }] });
}

export function renderPostmortemTemplate(source: string, variables: PostmortemVariables, field = 'template'): string {
  try {
    return liquid.parseAndRenderSync(source, variables as unknown as Record<string, unknown>);
  } catch (error) {
    if (error instanceof LiquidError) throw templateError(field, error);
    throw error;
  }
}

export function checkPostmortemTemplate(source: string, field = 'body'): void {
  renderPostmortemTemplate(source, SAMPLE_VARIABLES, field);
}
