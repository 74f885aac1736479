import type { z } from 'zod';
import type { ChecklistConfig, EscalationPolicyConfig, IncidentRoleConfig, PostmortemTemplateConfig, SeverityConfig, UpdateTemplateConfig } from '../../../config/config-file.js';

/**
 * The process a runbook document describes, as `firebreak.yaml` objects (the same shapes the
 * config applier writes), before and after comparing with what the database holds.
 */

export type PlannedSeverity = Omit<z.output<typeof SeverityConfig>, 'postmortemRequired' | 'communicationTasks'> & Partial<Pick<z.output<typeof SeverityConfig>, 'postmortemRequired' | 'communicationTasks'>>;

export type PlannedObject =
  | { kind: 'severities'; id: 'severities'; title: string; line?: number; notes: string[]; config: PlannedSeverity[] }
  | { kind: 'escalation-policy'; id: string; title: string; line?: number; notes: string[]; config: z.output<typeof EscalationPolicyConfig> }
  | { kind: 'checklist'; id: string; title: string; line?: number; notes: string[]; config: z.output<typeof ChecklistConfig> }
  | { kind: 'update-template'; id: string; title: string; line?: number; notes: string[]; config: z.output<typeof UpdateTemplateConfig> }
  | { kind: 'postmortem-template'; id: string; title: string; line?: number; notes: string[]; config: z.output<typeof PostmortemTemplateConfig> }
  | { kind: 'incident-role'; id: string; title: string; line?: number; notes: string[]; config: z.output<typeof IncidentRoleConfig> };

export type PlannedKind = PlannedObject['kind'];

/** A person or rota the document names ("Team lead", "DBA on-call"): mapped to a real target before applying. */
export const PLACEHOLDER_PREFIX = 'placeholder:';

export interface ProcessPlan {
  objects: PlannedObject[];
  /** What the document describes that the plan does not apply, and why. */
  notes: string[];
}

export type PlanAction = 'add' | 'change' | 'unchanged' | 'blocked';

export interface FieldChange {
  field: string;
  from: string | null;
  to: string | null;
}

export interface PlanEntry {
  id: string;
  kind: PlannedKind;
  title: string;
  action: PlanAction;
  /** Why blocked (the object belongs to firebreak.yaml). */
  reason?: string;
  changes: FieldChange[];
  /** Placeholders this object pages, mapped or not. */
  placeholders: string[];
  line?: number;
  notes: string[];
}

export interface PlaceholderView {
  name: string;
  /** `team:platform`, `user:ana@example.com`, `schedule:Primary`; null while unmapped. */
  mappedTo: string | null;
  usedBy: string[];
  /** What it most likely is, for the UI's default choice. */
  suggestedType: 'user' | 'team' | 'schedule';
}
