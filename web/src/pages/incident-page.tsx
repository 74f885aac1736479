import { useEffect, useState, type FormEvent, type KeyboardEvent } from 'react';
import { api } from '../api/client.js';
import type { Incident, IncidentRole as CatalogueRole, IncidentStatus, LiveIncident, TargetResult, Task } from '../api/types.js';
import { SeverityBadge, StatusBadge, statusLabel } from '../components/badges.js';
import { ErrorBanner } from '../components/error-banner.js';
import { Markdown } from '../components/markdown.js';
import { TimeAgo } from '../components/time-ago.js';
import { Timeline } from '../components/timeline.js';
import { useApp } from '../lib/app-context.js';
import { linkClick } from '../lib/router.js';
import { canMove, STATUS_STEPS } from '../lib/status-moves.js';
import { duration, secondsText } from '../lib/time.js';
import { useAction } from '../lib/use-action.js';
import { useLiveIncident, type LiveState } from '../lib/use-live-incident.js';
import { RunbookPanel } from '../runbooks/runbook-panel.js';
import { UpdatesPanel } from '../updates/updates-panel.js';
import { ActionItemsPanel, EarlierOpenItems } from '../actions/action-items-panel.js';
import type { ActionItem } from '../actions/types.js';
import { PostmortemPanel } from '../postmortems/postmortem-panel.js';
import { useStars } from '../postmortems/use-stars.js';
import { AlertSummary, IncidentAlertsPanel } from '../alerts/incident-alerts-panel.js';
import { useIncidentAlerts } from '../alerts/use-incident-alerts.js';
import type { IncidentAlertsPage } from '../alerts/types.js';

/** What the page offers when the catalogue cannot be read (GET /api/v1/incident-roles): the seeded roles. */
const FALLBACK_ROLES: IncidentRole[] = [
  { key: 'commander', name: 'Incident commander', description: null },
  { key: 'communications', name: 'Communications lead', description: null },
  { key: 'scribe', name: 'Scribe', description: null },
];
type IncidentRole = Pick<CatalogueRole, 'key' | 'name' | 'description'>;

export function IncidentPage({ number }: { number: number }) {
  const live = useLiveIncident(number);
  const { incident, loadError } = live;

  useEffect(() => {
    document.title = incident ? `#${incident.number} ${statusLabel(incident.status)} · ${incident.title} · Firebreak` : 'Firebreak';
    return () => {
      document.title = 'Firebreak';
    };
  }, [incident]);

  if (loadError && !incident) {
    return (
      <div className="narrow">
        <ErrorBanner error={loadError} />
        <a href="/" onClick={linkClick}>
          ← All incidents
        </a>
      </div>
    );
  }
  if (!incident) return <div className="empty muted">Loading incident #{number}…</div>;
  return <IncidentView incident={incident} live={live} />;
}

type Live = ReturnType<typeof useLiveIncident>;

function IncidentView({ incident, live }: { incident: LiveIncident; live: Live }) {
  const { severities } = useApp();
  const action = useAction();
  const ref = incident.number;
  const stars = useStars(ref);
  const alerts = useIncidentAlerts(ref, live.timeline.length);

  /** Most verbs return the incident without its tasks and escalation; keep the ones we have. */
  const apply = (updated: LiveIncident) => live.setIncident((prev) => ({
    ...updated, tasks: updated.tasks ?? prev?.tasks ?? [], escalation: updated.escalation !== undefined ? updated.escalation : prev?.escalation,
  }));
  const at = { params: { path: { incident: String(ref) } } };
  const after = async (p: Promise<Incident>) => {
    apply(await p);
    await live.syncTimeline();
  };

  /** Open alerts of the incident while the resolve confirmation is shown; null: not shown. */
  const [confirmResolve, setConfirmResolve] = useState<number | null>(null);
  const acknowledge = () => action.run('ack', () => after(api.post('/api/v1/incidents/{incident}/acknowledge', { ...at, body: {} })));
  const moveTo = (status: IncidentStatus) => action.run(`status:${status}`, () => after(api.post('/api/v1/incidents/{incident}/status', { ...at, body: { status } })));
  /** Resolving resolves the incident's open alerts too (server side): say so first when it has any. */
  const resolve = () => action.run('status:resolved', async () => {
    const { counts } = await api.get('/api/v1/incidents/{ref}/alerts', { params: { path: { ref: String(ref) }, query: { limit: 1 } } });
    const open = counts.open;
    if (open > 0) setConfirmResolve(open);
    else await after(api.post('/api/v1/incidents/{incident}/status', { ...at, body: { status: 'resolved' } }));
  });
  const confirmAndResolve = async () => {
    if (await moveTo('resolved')) setConfirmResolve(null);
  };

  return (
    <article className="incident" data-status={incident.status}>
      <a href="/" className="back" onClick={linkClick}>
        ← Incidents
      </a>
      <header className={`incident-head head-${incident.status}`}>
        <div className="head-badges">
          <SeverityBadge severity={incident.severity} severities={severities} withName />
          <StatusBadge status={incident.status} />
          {incident.isDrill ? <span className="tag">drill</span> : null}
          <LiveIndicator state={live.live} />
        </div>
        <h1>
          <span className="num">#{incident.number}</span> {incident.title}
        </h1>
        <div className="head-meta">
          {incident.service ? <span>Service: {incident.service.name}</span> : null}
          <TimeAgo iso={incident.declaredAt} prefix="Declared" />
          {incident.acknowledgedAt ? <span>Acknowledged after {duration(incident.declaredAt, incident.acknowledgedAt)}</span> : <span className="warn-text">Not acknowledged</span>}
          {incident.resolvedAt ? <TimeAgo iso={incident.resolvedAt} prefix="Resolved" /> : null}
          {incident.targets ? <TargetText label="Ack target" result={incident.targets.ack} /> : null}
          {incident.targets ? <TargetText label="Resolve target" result={incident.targets.resolve} /> : null}
        </div>

        <ErrorBanner error={action.error} onDismiss={() => action.setError(null)} />

        {incident.status === 'triggered' ? (
          <button type="button" className="btn btn-ack btn-huge" onClick={() => void acknowledge()} disabled={action.busy !== null}>
            {action.busy === 'ack' ? 'Acknowledging…' : 'Acknowledge'}
          </button>
        ) : null}

        <div className="status-steps" role="group" aria-label="Change status">
          {STATUS_STEPS.filter((status) => !(status === 'acknowledged' && incident.status === 'triggered')).map((status) => {
            const current = incident.status === status;
            const reopen = status === 'investigating' && incident.status === 'resolved';
            return (
              <button
                key={status}
                type="button"
                className={`step st-${status} ${current ? 'step-current' : ''}`}
                aria-pressed={current}
                disabled={current || !canMove(incident.status, status) || action.busy !== null}
                onClick={() => void (status === 'resolved' ? resolve() : moveTo(status))}
              >
                {reopen ? 'Re-open' : statusLabel(status)}
              </button>
            );
          })}
        </div>
        {confirmResolve !== null && incident.status !== 'resolved' ? (
          <div className="confirm-resolve" role="alertdialog" aria-labelledby="confirm-resolve-text">
            <p id="confirm-resolve-text">
              Resolving also resolves its {confirmResolve === 1 ? 'open alert' : `${confirmResolve} open alerts`}; if {confirmResolve === 1 ? 'it still fires' : 'they still fire'}, a new incident opens and pages.
            </p>
            <div className="form-actions">
              <button type="button" className="btn btn-primary" onClick={() => void confirmAndResolve()} disabled={action.busy !== null}>
                {action.busy === 'status:resolved' ? 'Resolving…' : 'Resolve'}
              </button>
              <button type="button" className="btn btn-quiet" onClick={() => setConfirmResolve(null)}>
                Cancel
              </button>
            </div>
          </div>
        ) : null}
      </header>

      <div className="incident-grid">
        <div className="incident-main">
          <EarlierOpenItems items={(incident as { openActionItems?: ActionItem[] }).openActionItems} />
          <SummaryPanel incident={incident} alertSummary={alerts.page?.summary ?? null} onSaved={(p) => after(p)} />
          <IncidentAlertsPanel alerts={alerts} />
          <UpdatesPanel incident={incident} refreshKey={live.timeline.length} onPosted={() => live.syncTimeline()} />
          <ActionItemsPanel incident={incident} />
          <RunbookPanel number={ref} isDrill={incident.isDrill} refreshKey={live.timeline.length} onChanged={() => void live.syncTimeline()} />
          <NoteComposer number={ref} onAdded={() => live.syncTimeline()} />
          <section className="card" id="timeline" aria-labelledby="timeline-h">
            <h2 id="timeline-h">Timeline</h2>
            <ErrorBanner error={stars.error} />
            <Timeline events={live.timeline} stars={stars.stars} onStar={(id, tag) => void stars.setStar(id, tag)} />
          </section>
        </div>
        <aside className="incident-side">
          <SeverityPanel incident={incident} onChanged={(p) => after(p)} />
          <PostmortemPanel incident={incident} onClosed={() => void live.reloadIncident().then(() => live.syncTimeline())} />
          {incident.status !== 'resolved' ? <PagingPanel incident={incident} onChanged={(p) => after(p)} onPaged={() => live.syncTimeline()} /> : null}
          <RolesPanel incident={incident} onChanged={(p) => after(p)} />
          <TasksPanel incident={incident} onChanged={() => live.reloadIncident().then(() => live.syncTimeline())} />
        </aside>
      </div>
    </article>
  );
}

function LiveIndicator({ state }: { state: LiveState }) {
  const label = { connecting: 'Connecting…', live: 'Live', reconnecting: 'Reconnecting…', offline: 'Offline, retrying' }[state];
  return (
    <span className={`live live-${state}`} title={state === 'live' ? 'Timeline updates as it happens' : 'Live updates paused; the page retries by itself'}>
      <span className="live-dot" aria-hidden="true" />
      {label}
    </span>
  );
}

function SummaryPanel({ incident, alertSummary, onSaved }: { incident: Incident; alertSummary: IncidentAlertsPage['summary']; onSaved: (p: Promise<Incident>) => Promise<void> }) {
  const [editing, setEditing] = useState(false);
  const [title, setTitle] = useState(incident.title);
  const [summary, setSummary] = useState(incident.summary);
  const action = useAction();

  function start() {
    setTitle(incident.title);
    setSummary(incident.summary);
    setEditing(true);
  }
  async function save(event: FormEvent) {
    event.preventDefault();
    const changes: { title?: string; summary?: string } = {};
    if (title !== incident.title) changes.title = title;
    if (summary !== incident.summary) changes.summary = summary;
    if (Object.keys(changes).length === 0) return setEditing(false);
    if (await action.run('save', () => onSaved(api.patch('/api/v1/incidents/{incident}', { params: { path: { incident: String(incident.number) } }, body: changes })))) setEditing(false);
  }

  return (
    <section className="card" aria-labelledby="summary-h">
      <div className="card-head">
        <h2 id="summary-h">Summary</h2>
        {!editing ? (
          <button type="button" className="btn-link" onClick={start}>
            Edit
          </button>
        ) : null}
      </div>
      {editing ? (
        <form className="form" onSubmit={(e) => void save(e)}>
          <ErrorBanner error={action.error} />
          <label className="field">
            <span>Title</span>
            <input value={title} maxLength={200} required onChange={(e) => setTitle(e.target.value)} />
          </label>
          <label className="field">
            <span>
              Summary <span className="muted">(Markdown)</span>
            </span>
            <textarea rows={6} value={summary} onChange={(e) => setSummary(e.target.value)} />
          </label>
          <div className="form-actions">
            <button type="submit" className="btn btn-primary" disabled={action.busy !== null}>
              Save
            </button>
            <button type="button" className="btn btn-quiet" onClick={() => setEditing(false)}>
              Cancel
            </button>
          </div>
        </form>
      ) : incident.summary.trim() ? (
        <Markdown source={incident.summary} />
      ) : alertSummary ? (
        <AlertSummary summary={alertSummary} />
      ) : (
        <p className="muted">No summary yet. Say what users see and what you know.</p>
      )}
    </section>
  );
}

function NoteComposer({ number, onAdded }: { number: number; onAdded: () => Promise<void> }) {
  const [body, setBody] = useState('');
  const action = useAction();

  async function submit(event?: FormEvent) {
    event?.preventDefault();
    if (!body.trim()) return;
    const ok = await action.run('note', async () => {
      await api.post('/api/v1/incidents/{incident}/notes', { params: { path: { incident: String(number) } }, body: { body } });
      await onAdded();
    });
    if (ok) setBody('');
  }
  // Ctrl/Cmd+Enter posts: a responder typing fast should not need the mouse.
  const onKeyDown = (e: KeyboardEvent<HTMLTextAreaElement>) => {
    if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) void submit();
  };

  return (
    <form className="card note-form" onSubmit={(e) => void submit(e)} aria-label="Add a note">
      <ErrorBanner error={action.error} onDismiss={() => action.setError(null)} />
      <textarea
        name="note"
        rows={3}
        placeholder="Add a note: what you tried, what you saw (Markdown; Ctrl+Enter to post)"
        value={body}
        onChange={(e) => setBody(e.target.value)}
        onKeyDown={onKeyDown}
        aria-label="Note"
      />
      <div className="form-actions">
        <button type="submit" className="btn btn-primary" disabled={!body.trim() || action.busy !== null}>
          {action.busy ? 'Posting…' : 'Add note'}
        </button>
      </div>
    </form>
  );
}

function SeverityPanel({ incident, onChanged }: { incident: Incident; onChanged: (p: Promise<Incident>) => Promise<void> }) {
  const { severities } = useApp();
  const [severity, setSeverity] = useState(incident.severity);
  const [reason, setReason] = useState('');
  const action = useAction();
  useEffect(() => setSeverity(incident.severity), [incident.severity]);

  async function submit(event: FormEvent) {
    event.preventDefault();
    const ok = await action.run('sev', () => onChanged(api.post('/api/v1/incidents/{incident}/severity', { params: { path: { incident: String(incident.number) } }, body: { severity, reason: reason.trim() || undefined } })));
    if (ok) setReason('');
  }

  return (
    <section className="card" aria-labelledby="sev-h">
      <h2 id="sev-h">Severity</h2>
      <form className="form" onSubmit={(e) => void submit(e)}>
        <ErrorBanner error={action.error} onDismiss={() => action.setError(null)} />
        <label className="field">
          <span className="sr-only">Severity</span>
          <select name="severity" value={severity} onChange={(e) => setSeverity(e.target.value)}>
            {severities.map((s) => (
              <option key={s.key} value={s.key}>
                {s.key} · {s.name}
              </option>
            ))}
          </select>
        </label>
        {severity !== incident.severity ? (
          <>
            <label className="field">
              <span>
                Why? <span className="muted">(optional)</span>
              </span>
              <input name="reason" value={reason} onChange={(e) => setReason(e.target.value)} placeholder="e.g. all EU customers affected" />
            </label>
            <button type="submit" className="btn btn-primary" disabled={action.busy !== null}>
              Change to {severity}
            </button>
          </>
        ) : null}
      </form>
    </section>
  );
}

/**
 * Paging by hand: page the next escalation level now, page a person now, or re-assign (the new
 * assignee is paged at once). What the server did shows on the timeline.
 */
function PagingPanel({ incident, onChanged, onPaged }: { incident: LiveIncident; onChanged: (p: Promise<Incident>) => Promise<void>; onPaged: () => Promise<void> }) {
  const { users } = useApp();
  const action = useAction();
  const [mode, setMode] = useState<'page' | 'reassign' | null>(null);
  const [who, setWho] = useState('');
  const [done, setDone] = useState<string | null>(null);
  const at = { params: { path: { incident: String(incident.number) } } };

  const pageNext = () => action.run('next', async () => {
    const r = await api.post('/api/v1/incidents/{incident}/page', { ...at, body: { level: 'next' } });
    if (!('mode' in r)) return;
    setDone(r.mode === 'escalated' ? `Level ${r.level + 1} is being paged now.` : `Level ${r.level + 1} paged; escalation stays paused.`);
    await onPaged();
  });

  async function submit(event: FormEvent) {
    event.preventDefault();
    const user = who.trim();
    if (!user) return;
    const ok = await action.run(mode ?? 'page', async () => {
      if (mode === 'reassign') {
        await onChanged(api.post('/api/v1/incidents/{incident}/reassign', { ...at, body: { user } }));
        setDone(`Re-assigned to ${user} and paged.`);
      } else {
        await api.post('/api/v1/incidents/{incident}/page', { ...at, body: { user } });
        setDone(`Paged ${user}.`);
        await onPaged();
      }
    });
    if (ok) {
      setMode(null);
      setWho('');
    }
  }

  return (
    <section className="card" aria-labelledby="paging-h">
      <h2 id="paging-h">Paging</h2>
      <ErrorBanner error={action.error} onDismiss={() => action.setError(null)} />
      <p className="muted" data-testid="assignee">Assigned to: {incident.assignee ? incident.assignee.name : 'nobody by hand'}</p>
      <p className="muted" data-testid="escalation">
        {incident.escalation
          ? `Escalation policy ${incident.escalation.policy.name ?? ''}: ${incident.escalation.nextLevel === null ? `all ${incident.escalation.levels} levels paged` : `level ${incident.escalation.nextLevel + 1} of ${incident.escalation.levels} next`}.`
          : 'No escalation policy pages this incident: page someone by hand.'}
      </p>
      {done ? <p role="status">{done}</p> : null}
      <div className="role-actions">
        {/* Only when a policy pages this incident and has a level left to page. */}
        {incident.escalation && incident.escalation.nextLevel !== null && incident.status !== 'resolved' ? (
          <button type="button" className="btn btn-small" onClick={() => void pageNext()} disabled={action.busy !== null}>
            {action.busy === 'next' ? 'Paging…' : 'Page next level now'}
          </button>
        ) : null}
        <button type="button" className="btn-link" onClick={() => { setMode('page'); setWho(''); setDone(null); }}>
          Page someone
        </button>
        <button type="button" className="btn-link" onClick={() => { setMode('reassign'); setWho(''); setDone(null); }}>
          Re-assign
        </button>
      </div>
      {mode ? (
        <form className="inline-form" onSubmit={(e) => void submit(e)}>
          <input
            type="text"
            name="page-user"
            list={users ? 'user-options' : undefined}
            placeholder="email of the person"
            aria-label={mode === 'reassign' ? 'Re-assign to' : 'Page now'}
            autoFocus
            value={who}
            onChange={(e) => setWho(e.target.value)}
          />
          <button type="submit" className="btn btn-primary btn-small" disabled={!who.trim() || action.busy !== null}>
            {mode === 'reassign' ? 'Re-assign and page' : 'Page now'}
          </button>
          <button type="button" className="btn btn-quiet btn-small" onClick={() => setMode(null)}>
            Cancel
          </button>
        </form>
      ) : null}
    </section>
  );
}

function RolesPanel({ incident, onChanged }: { incident: Incident; onChanged: (p: Promise<Incident>) => Promise<void> }) {
  const { users, session } = useApp();
  const action = useAction();
  const [editing, setEditing] = useState<string | null>(null);
  const [who, setWho] = useState('');
  const [customRole, setCustomRole] = useState('');
  const [catalogue, setCatalogue] = useState<IncidentRole[]>(FALLBACK_ROLES);
  useEffect(() => {
    let live = true;
    api.get('/api/v1/incident-roles').then((r) => { if (live) setCatalogue(r.items); }).catch(() => undefined);
    return () => { live = false; };
  }, []);
  // The catalogue's roles in its order, then custom roles someone holds on this incident.
  const offered = catalogue.map((r) => r.key);
  const held = [...offered, ...incident.roles.map((r) => r.role).filter((r) => !offered.includes(r))];
  const roleOf = (key: string) => catalogue.find((r) => r.key === key);
  // A role just added with "Add role" has no holder yet: it shows with its assign form open.
  const roles = editing !== null && !held.includes(editing) ? [...held, editing] : held;
  const me = session.actor.type === 'user' ? session.actor.id : session.email;

  const assign = async (role: string, user: string | null) => {
    const ok = await action.run(`role:${role}`, () => onChanged(api.put('/api/v1/incidents/{incident}/roles/{role}', { params: { path: { incident: String(incident.number), role } }, body: { user } })));
    if (ok) {
      setEditing(null);
      setWho('');
      setCustomRole('');
    }
  };

  function submit(event: FormEvent, role: string) {
    event.preventDefault();
    if (who.trim()) void assign(role, who.trim());
  }

  return (
    <section className="card" aria-labelledby="roles-h">
      <h2 id="roles-h">Roles</h2>
      <ErrorBanner error={action.error} onDismiss={() => action.setError(null)} />
      {users ? (
        <datalist id="user-options">
          {users.map((u) => (
            <option key={u.id} value={u.email}>
              {u.name}
            </option>
          ))}
        </datalist>
      ) : null}
      <ul className="roles">
        {roles.map((role) => {
          const holder = incident.roles.find((r) => r.role === role);
          const defined = roleOf(role);
          return (
            <li key={role} className="role" data-role={role}>
              <div className="role-line">
                <span className="role-who">
                  <span className="role-name" title={defined?.description ?? undefined}>{defined?.name ?? role}</span>
                  <span className={holder ? 'role-holder' : 'role-holder muted'}>{holder ? holder.userName : 'unassigned'}</span>
                </span>
                {editing !== role ? (
                  <span className="role-actions">
                    {me && holder?.userId !== me ? (
                      <button type="button" className="btn-link" onClick={() => void assign(role, me)} disabled={action.busy !== null}>
                        Take
                      </button>
                    ) : null}
                    <button type="button" className="btn-link" onClick={() => { setEditing(role); setWho(''); }}>
                      Assign
                    </button>
                    {holder ? (
                      <button type="button" className="btn-link" onClick={() => void assign(role, null)} disabled={action.busy !== null}>
                        Clear
                      </button>
                    ) : null}
                  </span>
                ) : null}
              </div>
              {editing === role ? (
                <form className="inline-form" onSubmit={(e) => submit(e, role)}>
                  <input
                    type="text"
                    name="assignee"
                    list={users ? 'user-options' : undefined}
                    placeholder="email of the person"
                    aria-label={`Assign ${role} to`}
                    autoFocus
                    value={who}
                    onChange={(e) => setWho(e.target.value)}
                  />
                  <button type="submit" className="btn btn-primary btn-small" disabled={!who.trim() || action.busy !== null}>
                    Assign
                  </button>
                  <button type="button" className="btn btn-quiet btn-small" onClick={() => setEditing(null)}>
                    Cancel
                  </button>
                </form>
              ) : null}
            </li>
          );
        })}
      </ul>
      <form
        className="inline-form"
        onSubmit={(e) => {
          e.preventDefault();
          const typed = customRole.trim();
          // A catalogue role typed by its name ("Security lead") is that role, by key.
          // Anything else becomes a role name the server accepts ("Customer liaison" → customer-liaison).
          const role = catalogue.find((r) => r.name.toLowerCase() === typed.toLowerCase())?.key
            ?? typed.toLowerCase().replace(/[^a-z0-9_-]+/g, '-').replace(/^[^a-z]+|-+$/g, '');
          if (role) {
            setEditing(role);
            setWho('');
            setCustomRole('');
          }
        }}
      >
        <input name="custom-role" placeholder="other role, e.g. liaison" aria-label="Other role" value={customRole} onChange={(e) => setCustomRole(e.target.value)} />
        <button type="submit" className="btn btn-small" disabled={!customRole.trim()}>
          Add role
        </button>
      </form>
    </section>
  );
}

function TasksPanel({ incident, onChanged }: { incident: LiveIncident; onChanged: () => Promise<void> }) {
  const action = useAction();
  const [title, setTitle] = useState('');
  const tasks: Task[] = incident.tasks ?? [];
  const done = tasks.filter((t) => t.done).length;

  // Ticks show at once; the box springs back if the server refuses.
  const [pending, setPending] = useState<Record<string, boolean>>({});
  const toggle = async (task: Task, done: boolean) => {
    setPending((p) => ({ ...p, [task.id]: done }));
    await action.run(`task:${task.id}`, async () => {
      await api.patch('/api/v1/incidents/{incident}/tasks/{task}', { params: { path: { incident: String(incident.number), task: task.id } }, body: { done } });
      await onChanged();
    });
    setPending(({ [task.id]: _, ...rest }) => rest);
  };

  async function add(event: FormEvent) {
    event.preventDefault();
    if (!title.trim()) return;
    const ok = await action.run('add-task', async () => {
      await api.post('/api/v1/incidents/{incident}/tasks', { params: { path: { incident: String(incident.number) } }, body: { title: title.trim() } });
      await onChanged();
    });
    if (ok) setTitle('');
  }

  return (
    <section className="card" aria-labelledby="tasks-h">
      <h2 id="tasks-h">
        Tasks {tasks.length ? <span className="muted">{done}/{tasks.length}</span> : null}
      </h2>
      <ErrorBanner error={action.error} onDismiss={() => action.setError(null)} />
      {tasks.length ? (
        <ul className="tasks">
          {tasks.map((task) => (
            <li key={task.id} className={(pending[task.id] ?? task.done) ? 'task done' : 'task'}>
              <label>
                <input type="checkbox" checked={pending[task.id] ?? task.done} disabled={task.id in pending} onChange={(e) => void toggle(task, e.target.checked)} />
                <span>{task.title}</span>
              </label>
              {task.dueAt ? (
                <span className={`muted task-due${!task.done && Date.parse(task.dueAt) < Date.now() ? ' action-overdue-word' : ''}`}>
                  {task.group ? `${task.group} · ` : ''}due {new Date(task.dueAt).toLocaleString([], { dateStyle: 'short', timeStyle: 'short' })}
                </span>
              ) : null}
            </li>
          ))}
        </ul>
      ) : (
        <p className="muted">No tasks.</p>
      )}
      <form className="inline-form" onSubmit={(e) => void add(e)}>
        <input name="task" placeholder="Add a task" aria-label="New task" value={title} maxLength={500} onChange={(e) => setTitle(e.target.value)} />
        <button type="submit" className="btn btn-small" disabled={!title.trim() || action.busy !== null}>
          Add
        </button>
      </form>
    </section>
  );
}

/** "Ack target 5 min: met" / "missed" / "pending"; nothing when the severity sets no target. */
function TargetText({ label, result }: { label: string; result: TargetResult }) {
  if (result.targetSeconds === null) return null;
  const text = result.outcome === 'notApplicable' ? 'not applicable' : result.outcome;
  return (
    <span className={result.outcome === 'missed' ? 'warn-text' : undefined} data-target={label}>
      {label} {secondsText(result.targetSeconds)}: {text}
    </span>
  );
}
