import { useEffect, useState } from 'react';
import { api } from '../api/client.js';
import { actorRole } from '../api/types.js';
import { ErrorBanner } from '../components/error-banner.js';
import { useApp } from '../lib/app-context.js';
import { linkClick } from '../lib/router.js';
import { useAction } from '../lib/use-action.js';
import { formatMatchers } from './matchers.js';
import { PolicyDryRun } from './policy-dry-run.js';
import { PolicyEditor } from './policy-editor.js';
import { targetName } from './targets-editor.js';
import type { Condition, Policy, Target, TargetChoices } from './types.js';
import './policies.css';

const minutes = (s: number): string => (s === 0 ? 'at once' : s % 60 === 0 ? `after ${s / 60} min` : `after ${s} s`);

function describeCondition(c: Condition | undefined): string | null {
  if (!c) return null;
  const parts = [
    ...(c.severities?.length ? [`only ${c.severities.join(', ')}`] : []),
    ...(c.matchers?.length ? [`when ${formatMatchers(c.matchers)}`] : []),
    ...(c.firingAlerts ? [`when ≥ ${c.firingAlerts.atLeast} firing alerts${c.firingAlerts.matchers?.length ? ` match ${formatMatchers(c.firingAlerts.matchers)}` : ''}`] : []),
  ];
  return parts.join('; ');
}

/**
 * Escalation policies: who is paged, in which order, after how long; where each is used; and a
 * dry-run of who would be paged now. Admins create, edit and delete; everyone can dry-run.
 */
export function PoliciesPage() {
  const { session } = useApp();
  const isAdmin = actorRole(session.actor) === 'admin';
  const [policies, setPolicies] = useState<Policy[] | null>(null);
  const [choices, setChoices] = useState<TargetChoices>({ user: [], schedule: [], team: [] });
  const [teams, setTeams] = useState<{ id: string; slug: string; name: string }[]>([]);
  const [editing, setEditing] = useState<Policy | 'new' | null>(null);
  const [dryRun, setDryRun] = useState<string | null>(null);
  const [confirmDelete, setConfirmDelete] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [version, setVersion] = useState(0);
  const action = useAction();

  useEffect(() => {
    document.title = 'Escalation policies · Firebreak';
    void action.run('load', async () => {
      const [p, u, s, t] = await Promise.all([
        api.get('/api/v1/escalation-policies'),
        api.get('/api/v1/users'),
        api.get('/api/v1/schedules'),
        api.get('/api/v1/teams'),
      ]);
      setPolicies(p.items);
      setChoices({ user: u.items.map((x) => ({ id: x.id, name: x.name, disabled: 'disabled' in x && x.disabled })), schedule: s.items, team: t.items });
      setTeams(t.items);
    });
  }, [version, action.run]);

  const reload = () => setVersion((n) => n + 1);
  const name = (t: Target) => targetName(choices, t);
  const disabledIn = (targets: Target[]) => targets.filter((t) => t.type === 'user' && choices.user.find((u) => u.id === t.id)?.disabled).map(name);

  return (
    <div className="policies-page">
      <div className="page-head">
        <h1>Escalation policies</h1>
        <p className="muted">
          Who is paged, in which order, after how long, until someone acknowledges. Incidents keep the policy they started with.{' '}
          <a href="/oncall" onClick={linkClick}>On call now</a> · <a href="/people" onClick={linkClick}>People and teams</a>
        </p>
      </div>
      <ErrorBanner error={action.error} onDismiss={() => action.setError(null)} />
      {notice ? (
        <p className="card notice" role="status">
          {notice}
        </p>
      ) : null}
      {isAdmin && editing === null ? (
        <button type="button" className="btn btn-primary" onClick={() => { setNotice(null); setEditing('new'); }}>
          New policy
        </button>
      ) : null}
      {editing !== null ? (
        <PolicyEditor
          key={editing === 'new' ? 'new' : editing.id}
          policy={editing === 'new' ? null : editing}
          choices={choices}
          teams={teams}
          onCancel={() => setEditing(null)}
          onSaved={(saved) => {
            setNotice(`Saved ${saved.name}.`);
            setEditing(null);
            reload();
          }}
        />
      ) : null}
      {policies?.length === 0 ? <p className="empty muted">No escalation policies yet.</p> : null}
      <ul className="policy-list" data-testid="policy-list">
        {policies?.map((p) => (
          <li key={p.id} className="card policy-card" data-testid={`policy-${p.name}`}>
            <div className="card-head">
              <h2>{p.name}</h2>
              <span className="policy-actions">
                <button type="button" className="btn btn-small" onClick={() => setDryRun(dryRun === p.id ? null : p.id)} aria-expanded={dryRun === p.id}>
                  Dry-run
                </button>
                {isAdmin ? (
                  <>
                    <button type="button" className="btn btn-quiet btn-small" onClick={() => { setNotice(null); setEditing(p); }}>
                      Edit
                    </button>
                    {confirmDelete === p.id ? (
                      <button
                        type="button"
                        className="btn btn-danger btn-small"
                        onClick={() => void action.run('delete', async () => {
                          setConfirmDelete(null);
                          await api.delete('/api/v1/escalation-policies/{policy}', { params: { path: { policy: p.id } } });
                          setNotice(`Deleted ${p.name}.`);
                          reload();
                        })}
                      >
                        Really delete {p.name}
                      </button>
                    ) : (
                      <button type="button" className="btn btn-quiet btn-small" onClick={() => setConfirmDelete(p.id)}>
                        Delete
                      </button>
                    )}
                  </>
                ) : null}
              </span>
            </div>
            <p className="muted">
              Default for {p.severities.join(', ') || 'no severity'} · used by {p.usedBy.length ? p.usedBy.join(', ') : 'nothing yet (a severity, service or routing rule must name it)'}
            </p>
            <ol className="policy-summary">
              {p.levels.map((l, i) => {
                const cond = describeCondition(l.condition);
                const off = disabledIn(l.targets);
                return (
                  <li key={i}>
                    <strong>Level {i + 1}</strong> {minutes(l.delaySeconds)}: {l.targets.map(name).join(', ')}
                    {l.roundRobin ? <span className="tag">round-robin</span> : null}
                    {cond ? <span className="muted"> ({cond})</span> : null}
                    {off.length ? <span className="warn-text"> · {off.join(', ')} disabled: never paged</span> : null}
                  </li>
                );
              })}
            </ol>
            <p className="muted">
              {p.repeat ? `Repeats ${p.repeat} more time${p.repeat === 1 ? '' : 's'}, ${minutes(p.repeatDelaySeconds)} between rounds.` : 'Runs once.'}
              {p.ackTimeoutSeconds ? ` Re-pages ${minutes(p.ackTimeoutSeconds)} of an unresolved acknowledgement.` : ''}
              {describeCondition(p.condition) ? ` Whole policy: ${describeCondition(p.condition)}.` : ''}
            </p>
            {p.ifUnresolved?.length ? (
              <ul className="policy-summary">
                {p.ifUnresolved.map((u, i) => (
                  <li key={i}>
                    If not resolved {minutes(u.afterSeconds)}: {u.targets.map(name).join(', ')}
                    {disabledIn(u.targets).length ? <span className="warn-text"> · {disabledIn(u.targets).join(', ')} disabled: never paged</span> : null}
                  </li>
                ))}
              </ul>
            ) : null}
            {dryRun === p.id ? <PolicyDryRun policy={p} /> : null}
          </li>
        ))}
      </ul>
    </div>
  );
}
