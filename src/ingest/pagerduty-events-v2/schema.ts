import { z } from 'zod';
import { isoTimestamp, runeLength } from '../common.js';

/**
 * PagerDuty Events API v2 (`PagerDuty/api-schema reference/events-v2/openapiv3.json`). Strict
 * where PagerDuty is strict (routing key length, severity enum, summary length, dedup key
 * rules), because a tool tested against real PagerDuty must see the same 400s from us. Unknown
 * fields are tolerated, as PagerDuty does.
 */

export const PD_SEVERITIES = ['critical', 'error', 'warning', 'info'] as const;
export type PagerDutySeverity = (typeof PD_SEVERITIES)[number];

export const routingKey = z
  .string({ error: "'routing_key' is missing" })
  .length(32, { error: "Length of 'routing_key' is incorrect (should be 32 characters)" });

/** PD counts characters; count code points so Alertmanager's 1024-rune cut always fits. */
const summary = z
  .string({ error: 'is required' })
  .refine((s) => s.trim() !== '', { error: 'must not be blank' })
  .refine((s) => runeLength(s) <= 1024, { error: 'must be at most 1024 characters' });

const optionalText = z.string().optional();

export const pdLinkSchema = z.looseObject({
  href: z.string({ error: 'href is required' }),
  text: optionalText,
});

/** PD wants HTTPS image sources; we accept any, since we only ever display them. */
export const pdImageSchema = z.looseObject({
  src: z.string({ error: 'src is required' }),
  href: optionalText,
  alt: optionalText,
});

export const pdPayloadSchema = z.looseObject({
  summary,
  source: z.string({ error: 'is required' }).refine((s) => s.trim() !== '', { error: 'must not be blank' }),
  severity: z.enum(PD_SEVERITIES, { error: `must be one of ${PD_SEVERITIES.join(', ')}` }),
  timestamp: isoTimestamp.optional(),
  component: optionalText,
  group: optionalText,
  class: optionalText,
  /** Any JSON: nested objects (AM ≥ 0.30), string maps (AM ≤ 0.29, Grafana). */
  custom_details: z.unknown().optional(),
});

export const pdEventSchema = z
  .looseObject({
    routing_key: routingKey,
    event_action: z.enum(['trigger', 'acknowledge', 'resolve'], {
      error: 'must be one of trigger, acknowledge, resolve',
    }),
    dedup_key: z.string().max(255, { error: 'must be at most 255 characters' }).optional(),
    payload: z.unknown().optional(),
    images: z.array(pdImageSchema).optional(),
    links: z.array(pdLinkSchema).optional(),
    client: optionalText,
    client_url: optionalText,
  })
  .superRefine((event, ctx) => {
    if (event.event_action !== 'trigger') {
      if (event.dedup_key === undefined || event.dedup_key.trim() === '') {
        ctx.addIssue({ code: 'custom', path: ['dedup_key'], message: `is required for ${event.event_action}` });
      }
      return;
    }
    if (event.payload === undefined) {
      ctx.addIssue({ code: 'custom', path: ['payload'], message: 'is required for trigger' });
      return;
    }
    const payload = pdPayloadSchema.safeParse(event.payload);
    if (!payload.success) {
      for (const issue of payload.error.issues) {
        ctx.addIssue({ code: 'custom', path: ['payload', ...issue.path], message: issue.message });
      }
    }
  });

export type PagerDutyEvent = z.output<typeof pdEventSchema>;
export type PagerDutyPayload = z.output<typeof pdPayloadSchema>;

/** `POST /v2/change/enqueue`: no action, no dedup key; each call is its own record. */
export const pdChangeEventSchema = z.looseObject({
  routing_key: routingKey,
  payload: z.looseObject(
    {
      summary,
      source: optionalText,
      timestamp: isoTimestamp.optional(),
      custom_details: z.unknown().optional(),
    },
    { error: 'is required' },
  ),
  links: z.array(pdLinkSchema).optional(),
});

export type PagerDutyChangeEvent = z.output<typeof pdChangeEventSchema>;
