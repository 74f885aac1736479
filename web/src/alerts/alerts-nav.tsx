import { linkClick } from '../lib/router.js';

const TABS = [
  { href: '/alerts', label: 'Alerts' },
  { href: '/silences', label: 'Silences' },
  { href: '/maintenance-windows', label: 'Maintenance windows' },
] as const;

/** The three pages that decide whether an alert pages, one click apart. */
export function AlertsNav({ current }: { current: (typeof TABS)[number]['href'] }) {
  return (
    <nav className="alerts-nav" aria-label="Alerts, silences and maintenance windows">
      {TABS.map((t) => (
        <a key={t.href} href={t.href} onClick={linkClick} aria-current={t.href === current ? 'page' : undefined}>
          {t.label}
        </a>
      ))}
    </nav>
  );
}

/** Status words as badges; a firing alert held by a silence or window reads "suppressed". */
export function AlertStatusBadge({ status, suppressed }: { status: string; suppressed: boolean }) {
  const word = status === 'firing' && suppressed ? 'suppressed' : status;
  return <span className={`badge alert-st alert-st-${word}`}>{word}</span>;
}

export function LabelChips({ labels, max }: { labels: Record<string, string>; max?: number }) {
  const entries = Object.entries(labels);
  const shown = max === undefined ? entries : entries.slice(0, max);
  return (
    <span className="label-chips">
      {shown.map(([k, v]) => (
        <code key={k} className="label-chip">
          {k}={v}
        </code>
      ))}
      {shown.length < entries.length ? <span className="muted">+{entries.length - shown.length}</span> : null}
    </span>
  );
}
