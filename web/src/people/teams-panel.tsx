import { useState, type FormEvent } from 'react';
import { api, call, client, type BodyOf } from '../api/client.js';
import { ErrorBanner } from '../components/error-banner.js';
import { useAction } from '../lib/use-action.js';
import { isFullUser, type Person, type Team } from './types.js';

const TEAM_ROLES = ['responder', 'manager', 'observer'] as const;

/** Teams own services, and a team target in an escalation policy pages its members. */
export function TeamsPanel({ teams, users, isAdmin, onChanged }: { teams: Team[]; users: Person[]; isAdmin: boolean; onChanged: () => Promise<void> }) {
  const [slug, setSlug] = useState('');
  const [name, setName] = useState('');
  const [confirmDelete, setConfirmDelete] = useState<string | null>(null);
  const [renaming, setRenaming] = useState<{ id: string; name: string } | null>(null);
  const action = useAction();
  const run = (label: string, fn: () => Promise<unknown>) => action.run(label, async () => { await fn(); await onChanged(); });

  const create = async (e: FormEvent) => {
    e.preventDefault();
    if (await run('create', () => call(client.POST('/api/v1/teams', { body: { slug, name } })))) {
      setSlug('');
      setName('');
    }
  };

  return (
    <section className="card" aria-labelledby="people-teams">
      <h2 id="people-teams">Teams</h2>
      <ErrorBanner error={action.error} onDismiss={() => action.setError(null)} />
      {teams.length === 0 ? <p className="muted">No teams yet.</p> : null}
      <ul className="team-list" data-testid="team-list">
        {teams.map((t) => (
          <li key={t.id} className="team-row" data-testid={`team-${t.slug}`}>
            <div className="card-head team-head">
              {renaming?.id === t.id ? (
                <form
                  className="inline-form"
                  onSubmit={(e) => {
                    e.preventDefault();
                    void run('rename', () => call(client.PATCH('/api/v1/teams/{id}', { params: { path: { id: t.id } }, body: { name: renaming.name } }))).then((ok) => ok && setRenaming(null));
                  }}
                >
                  <input value={renaming.name} onChange={(e) => setRenaming({ id: t.id, name: e.target.value })} aria-label={`New name for ${t.slug}`} />
                  <button type="submit" className="btn btn-small">
                    Save name
                  </button>
                  <button type="button" className="btn btn-quiet btn-small" onClick={() => setRenaming(null)}>
                    Cancel
                  </button>
                </form>
              ) : (
                <h3>
                  {t.name} <span className="muted">({t.slug}{t.managedBy ? ', firebreak.yaml' : ''})</span>
                </h3>
              )}
              {isAdmin && !t.managedBy && renaming?.id !== t.id ? (
                <span className="policy-actions">
                  <button type="button" className="btn btn-quiet btn-small" onClick={() => setRenaming({ id: t.id, name: t.name })}>
                    Rename
                  </button>
                  {confirmDelete === t.id ? (
                    <button type="button" className="btn btn-danger btn-small" onClick={() => void run('delete', () => call(client.DELETE('/api/v1/teams/{id}', { params: { path: { id: t.id } } }))).then(() => setConfirmDelete(null))}>
                      Really delete {t.slug}
                    </button>
                  ) : (
                    <button type="button" className="btn btn-quiet btn-small" onClick={() => setConfirmDelete(t.id)}>
                      Delete team
                    </button>
                  )}
                </span>
              ) : null}
            </div>
            <ul className="member-chips">
              {t.members.length === 0 ? <li className="muted">No members.</li> : null}
              {t.members.map((m) => (
                <li key={m.userId} className="target-chip">
                  {m.name} <span className="muted">{m.role}</span>
                  {users.some((u) => u.id === m.userId && isFullUser(u) && u.disabled) ? <span className="warn-text"> (disabled: never paged)</span> : null}
                  {isAdmin && !t.managedBy ? (
                    <button type="button" className="btn-icon" aria-label={`Remove ${m.name} from ${t.slug}`} onClick={() => void run('remove', () => call(client.DELETE('/api/v1/teams/{id}/members/{user}', { params: { path: { id: t.id, user: m.userId } } })))}>
                      ×
                    </button>
                  ) : null}
                </li>
              ))}
            </ul>
            {isAdmin && !t.managedBy ? <AddMember team={t} users={users} onAdd={(user, role) => run('add', () => call(client.PUT('/api/v1/teams/{id}/members/{user}', { params: { path: { id: t.id, user } }, body: { role: role as BodyOf<'/api/v1/teams/{id}/members/{user}', 'put'>['role'] } })))} /> : null}
          </li>
        ))}
      </ul>
      {isAdmin ? (
        <form className="form people-grid team-create" onSubmit={(e) => void create(e)} aria-label="New team">
          <label className="field">
            <span>Team name</span>
            <input value={name} onChange={(e) => setName(e.target.value)} aria-label="New team name" />
          </label>
          <label className="field">
            <span>Slug <span className="muted">(a-z, 0-9, -)</span></span>
            <input value={slug} onChange={(e) => setSlug(e.target.value)} aria-label="New team slug" />
          </label>
          <div className="form-actions">
            <button type="submit" className="btn" disabled={action.busy !== null}>
              Create team
            </button>
          </div>
        </form>
      ) : null}
    </section>
  );
}

function AddMember({ team, users, onAdd }: { team: Team; users: Person[]; onAdd: (user: string, role: string) => Promise<boolean> }) {
  const candidates = users.filter((u) => !team.members.some((m) => m.userId === u.id));
  const [user, setUser] = useState('');
  const [role, setRole] = useState<string>('responder');
  if (candidates.length === 0) return null;
  return (
    <form
      className="inline-form add-member"
      onSubmit={(e) => {
        e.preventDefault();
        void onAdd(user || candidates[0]!.id, role).then((ok) => ok && setUser(''));
      }}
    >
      <select value={user} onChange={(e) => setUser(e.target.value)} aria-label={`Add to ${team.slug}`}>
        {candidates.map((u) => (
          <option key={u.id} value={u.id}>
            {u.name} ({u.email})
          </option>
        ))}
      </select>
      <select value={role} onChange={(e) => setRole(e.target.value)} aria-label={`Team role in ${team.slug}`}>
        {TEAM_ROLES.map((r) => (
          <option key={r} value={r}>
            {r}
          </option>
        ))}
      </select>
      <button type="submit" className="btn btn-small">
        Add member
      </button>
    </form>
  );
}
