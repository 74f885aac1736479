import { z } from 'zod';

/** Audience groups and rules: input shapes, validated at the edge. */
export const LIMITS = { members: 200, urls: 2000 } as const;

const Slug = z.string().trim().regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'lower-case letters, digits and dashes');
const Url = z.string().trim().min(8).max(LIMITS.urls);

export const GroupInput = z.object({
  slug: Slug,
  name: z.string().trim().min(1, 'is required').max(100),
  description: z.string().trim().max(1000).default(''),
  /** Checked one by one (see `checkEmail`) so the error names `emails.<i>`. */
  emails: z.array(z.string().trim().max(320)).max(LIMITS.members).default([]),
  slackWebhookUrl: Url.nullish(),
  webhookUrl: Url.nullish(),
  /** The generic webhook's signing secret; generated when absent (shown once). */
  webhookSecret: z.string().min(8).max(500).nullish(),
  /** User ids or emails; they are reached through their own contact methods. */
  users: z.array(z.string().trim().min(1)).max(LIMITS.members).default([]),
  /** Team ids or slugs: every member of the team. */
  teams: z.array(z.string().trim().min(1)).max(LIMITS.members).default([]),
});
export type GroupInput = z.output<typeof GroupInput>;

export const RuleInput = z.object({
  /** The group's slug or id. */
  group: z.string().trim().min(1, 'is required'),
  /** Severity keys; empty = any severity. */
  severities: z.array(z.string().trim().min(1)).max(20).default([]),
  /** Service slugs or ids; empty = any service. */
  services: z.array(z.string().trim().min(1)).max(200).default([]),
});
export type RuleInput = z.output<typeof RuleInput>;

/** One communication deadline of a severity: "brief management within 30 minutes". */
export const CommTask = z.object({
  title: z.string().trim().min(1, 'is required').max(200),
  /** Posting an update to this audience ticks the task; absent: any update does. */
  audience: z.enum(['responders', 'internal', 'public']).optional(),
  withinSeconds: z.number().int().min(0).max(7 * 86_400),
});
export type CommTask = z.output<typeof CommTask>;
export const CommTasks = z.array(CommTask).max(20);

const EMAIL = /^[^\s@<>(),;:"]+@[^\s@<>(),;:"]+\.[^\s@<>(),;:"]+$/;
export const isEmail = (s: string): boolean => EMAIL.test(s);
