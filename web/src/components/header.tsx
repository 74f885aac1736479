import { useEffect, useId, useRef, useState } from 'react';
import { useApp } from '../lib/app-context.js';
import { linkClick, useLocation } from '../lib/router.js';

interface NavLink {
  href: string;
  label: string;
}

/** Always in the bar: what a responder needs at 3 a.m., on a phone too. */
const PRIMARY: NavLink[] = [
  { href: '/', label: 'Incidents' },
  { href: '/oncall', label: 'On call' },
  { href: '/me/contacts', label: 'My contacts' },
];
/** In the bar on a wide screen, in the menu on a phone. */
const SECONDARY: NavLink[] = [
  { href: '/alerts', label: 'Alerts' },
  { href: '/runbooks', label: 'Runbooks' },
  { href: '/schedules', label: 'Schedules' },
  { href: '/integrations', label: 'Integrations' },
  { href: '/status-pages', label: 'Status pages' },
  { href: '/reports', label: 'Metrics' },
];
/** Setting things up: always behind the menu button. */
const CONFIGURE: NavLink[] = [
  { href: '/policies', label: 'Escalation policies' },
  { href: '/people', label: 'People and teams' },
  { href: '/services', label: 'Services' },
  { href: '/severities', label: 'Severities' },
  { href: '/checklists', label: 'Checklist templates' },
  { href: '/incident-roles', label: 'Incident roles' },
];

/**
 * The top bar. Wide: brand, the page links, a "More" menu with the configuration pages, who is
 * signed in. At phone width (≤ 700 px, styles.css) the bar keeps Declare, the menu button and
 * the three responder links in view (no row that scrolls sideways hiding some), and the menu
 * holds everything else, sign-out included.
 */
export function Header() {
  const { session, signOut } = useApp();
  const who = session.email ?? session.actor.name;
  const [open, setOpen] = useState(false);
  const location = useLocation();
  const menuId = useId();
  const wrap = useRef<HTMLDivElement>(null);

  // Close on navigation, Escape, and a click anywhere outside the menu.
  useEffect(() => setOpen(false), [location.pathname]);
  useEffect(() => {
    if (!open) return;
    const onKey = (e: KeyboardEvent) => { if (e.key === 'Escape') setOpen(false); };
    const onClick = (e: MouseEvent) => { if (wrap.current && !wrap.current.contains(e.target as Node)) setOpen(false); };
    document.addEventListener('keydown', onKey);
    document.addEventListener('mousedown', onClick);
    return () => {
      document.removeEventListener('keydown', onKey);
      document.removeEventListener('mousedown', onClick);
    };
  }, [open]);

  const current = (href: string) => (href === '/' ? location.pathname === '/' : location.pathname === href || location.pathname.startsWith(`${href}/`));
  const link = (l: NavLink, className?: string) => (
    <a key={l.href} href={l.href} onClick={linkClick} className={className} aria-current={current(l.href) ? 'page' : undefined}>
      {l.label}
    </a>
  );

  return (
    <header className="topbar">
      <a href="/" className="brand" onClick={linkClick}>
        <img src="/favicon.svg" alt="" width="22" height="22" />
        <span>Firebreak</span>
      </a>
      <nav className="topnav" aria-label="Main">
        {PRIMARY.map((l) => link(l))}
        {SECONDARY.map((l) => link(l, 'nav-wide'))}
        <a href="/incidents/new" className="btn btn-danger btn-small" onClick={linkClick}>
          Declare
        </a>
      </nav>
      <div className="nav-menu" ref={wrap}>
        <button type="button" className="btn btn-small nav-menu-button" aria-expanded={open} aria-controls={menuId} onClick={() => setOpen((o) => !o)}>
          <span className="nav-menu-wide">More</span>
          <span className="nav-menu-phone">Menu</span>
          <span aria-hidden="true"> ▾</span>
        </button>
        {open ? (
          <nav id={menuId} className="nav-menu-panel" aria-label="More pages">
            <div className="nav-menu-group nav-menu-secondary">{SECONDARY.map((l) => link(l))}</div>
            <div className="nav-menu-group">
              <span className="nav-menu-heading">Configure</span>
              {CONFIGURE.map((l) => link(l))}
            </div>
            <div className="nav-menu-group nav-menu-phone-only">
              <span className="nav-menu-heading" title={who}>{who}</span>
              <button type="button" className="btn-link" onClick={() => void signOut()}>
                Sign out
              </button>
            </div>
          </nav>
        ) : null}
      </div>
      <div className="whoami">
        <span className="who" title={who}>
          {who}
        </span>
        <button type="button" className="btn-link" onClick={() => void signOut()}>
          Sign out
        </button>
      </div>
    </header>
  );
}
