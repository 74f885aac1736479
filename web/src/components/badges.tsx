import type { IncidentStatus, Severity } from '../api/types.js';

/** Severity is configuration (SEV1–4, P0–P4…): colour follows the rank, the label is the key. */
export function severityTone(key: string, severities: Severity[]): string {
  const rank = severities.find((s) => s.key === key)?.rank;
  if (rank === undefined) return 'sev-unknown';
  return `sev-${Math.min(rank, 3)}`;
}

export function SeverityBadge({ severity, severities, withName = false }: { severity: string; severities: Severity[]; withName?: boolean }) {
  const def = severities.find((s) => s.key === severity);
  return (
    <span className={`badge sev ${severityTone(severity, severities)}`} title={def ? `${def.name}: ${def.description}` : severity}>
      {severity}
      {withName && def ? <span className="badge-sub"> · {def.name}</span> : null}
    </span>
  );
}

const STATUS_ICON: Record<IncidentStatus, string> = {
  triggered: '!',
  acknowledged: '✓',
  investigating: '?',
  identified: '◎',
  monitoring: '~',
  resolved: '✔',
};

export function statusLabel(status: IncidentStatus): string {
  return status.charAt(0).toUpperCase() + status.slice(1);
}

export function StatusBadge({ status }: { status: IncidentStatus }) {
  return (
    <span className={`badge status st-${status}`} data-status={status}>
      <span className="badge-icon" aria-hidden="true">
        {STATUS_ICON[status]}
      </span>
      {statusLabel(status)}
    </span>
  );
}
