import { useEffect, useState, type FormEvent } from 'react';
import { api, call, client } from '../api/client.js';
import { actorRole, type IncidentRole } from '../api/types.js';
import { ErrorBanner, fieldError } from '../components/error-banner.js';
import { useApp } from '../lib/app-context.js';
import { useAction } from '../lib/use-action.js';
import './settings.css';

/**
 * Incident roles: the roles the incident page offers, in this order (commander, communications,
 * scribe, and the team's own: security lead, customer liaison…). An incident can still be given
 * any other role by name; a role someone holds on an open incident cannot be removed.
 */
export function IncidentRolesPage() {
  const { session } = useApp();
  const isAdmin = actorRole(session.actor) === 'admin';
  const [roles, setRoles] = useState<IncidentRole[] | null>(null);
  const [editing, setEditing] = useState<string | 'new' | null>(null);
  const [confirming, setConfirming] = useState<string | null>(null);
  const [version, setVersion] = useState(0);
  const action = useAction();

  useEffect(() => {
    document.title = 'Incident roles · Firebreak';
    void action.run('load', async () => setRoles((await api.get('/api/v1/incident-roles')).items));
  }, [version, action.run]);
  const saved = () => {
    setEditing(null);
    setVersion((v) => v + 1);
  };
  const remove = (r: IncidentRole) => action.run(`delete:${r.key}`, async () => {
    await call(client.DELETE('/api/v1/incident-roles/{role}', { params: { path: { role: r.key } } }));
    setConfirming(null);
    setVersion((v) => v + 1);
  });
  const move = (index: number, by: -1 | 1) => action.run('move', async () => {
    // Positions become the list order after the move: 1, 2, 3…
    const list = [...(roles ?? [])];
    const [r] = list.splice(index, 1);
    list.splice(index + by, 0, r!);
    for (const [i, role] of list.entries()) {
      if (role.position !== i + 1 && !role.managedBy) await call(client.PUT('/api/v1/incident-roles/{role}', { params: { path: { role: role.key } }, body: { position: i + 1 } }));
    }
    setVersion((v) => v + 1);
  });

  return (
    <div className="settings-page">
      <div className="page-head">
        <h1>Incident roles</h1>
        {isAdmin && editing === null ? (
          <button type="button" className="btn btn-primary btn-small" onClick={() => { setEditing('new'); setConfirming(null); }}>
            New role
          </button>
        ) : null}
      </div>
      <p className="muted">
        The roles every incident page offers, in this order. Responders can still give an incident any other role by name.
      </p>
      <ErrorBanner error={action.error} onDismiss={() => action.setError(null)} />
      {editing === 'new' ? (
        <section className="card" aria-labelledby="new-role-h">
          <h2 id="new-role-h">New role</h2>
          <RoleForm role={null} onCancel={() => setEditing(null)} onSaved={saved} />
        </section>
      ) : null}
      {roles?.length === 0 ? <p className="empty muted">No roles: incidents take any role by name.</p> : null}
      <ul className="incident-role-list" data-testid="incident-roles">
        {roles?.map((r, i) => (
          <li key={r.key} className="card incident-role-card" data-key={r.key}>
            {editing === r.key ? (
              <RoleForm role={r} onCancel={() => setEditing(null)} onSaved={saved} />
            ) : (
              <>
                <div className="severity-head">
                  <strong>{r.name}</strong> <span className="muted">{r.key}</span>
                  {r.managedBy ? <span className="tag">firebreak.yaml</span> : null}
                </div>
                {r.description ? <p className="role-description">{r.description}</p> : null}
                {isAdmin && !r.managedBy ? (
                  <div className="form-actions">
                    <button type="button" className="btn btn-quiet btn-small" onClick={() => void move(i, -1)} disabled={i === 0 || action.busy !== null} aria-label={`Move ${r.name} up`}>↑</button>
                    <button type="button" className="btn btn-quiet btn-small" onClick={() => void move(i, 1)} disabled={i === roles.length - 1 || action.busy !== null} aria-label={`Move ${r.name} down`}>↓</button>
                    <button type="button" className="btn btn-small" onClick={() => { setEditing(r.key); setConfirming(null); }} aria-label={`Edit ${r.name}`}>
                      Edit
                    </button>
                    {confirming === r.key ? (
                      <>
                        <button type="button" className="btn btn-danger btn-small" onClick={() => void remove(r)} disabled={action.busy !== null}>
                          Remove role
                        </button>
                        <button type="button" className="btn btn-quiet btn-small" onClick={() => setConfirming(null)}>
                          Cancel
                        </button>
                      </>
                    ) : (
                      <button type="button" className="btn btn-quiet btn-small" onClick={() => setConfirming(r.key)} aria-label={`Remove ${r.name}…`}>
                        Remove
                      </button>
                    )}
                  </div>
                ) : null}
              </>
            )}
          </li>
        ))}
      </ul>
    </div>
  );
}

function RoleForm({ role, onCancel, onSaved }: { role: IncidentRole | null; onCancel: () => void; onSaved: () => void }) {
  const [name, setName] = useState(role?.name ?? '');
  const [key, setKey] = useState(role?.key ?? '');
  const [description, setDescription] = useState(role?.description ?? '');
  const save = useAction();

  async function submit(event: FormEvent) {
    event.preventDefault();
    await save.run('save', async () => {
      const text = description.trim() ? description : null;
      if (role) await call(client.PUT('/api/v1/incident-roles/{role}', { params: { path: { role: role.key } }, body: { name, description: text } }));
      else await call(client.POST('/api/v1/incident-roles', { body: { key, name, description: text } }));
      onSaved();
    });
  }
  const err = (field: string) => fieldError(save.error, field);
  return (
    <form className="form" onSubmit={(e) => void submit(e)} aria-label={role ? `Edit ${role.name}` : 'New role'}>
      <ErrorBanner error={save.error} onDismiss={() => save.setError(null)} />
      <div className="level-grid">
        <label className="field">
          <span>Name</span>
          <input value={name} onChange={(e) => setName(e.target.value)} aria-label="Role name" placeholder="Security lead" aria-invalid={err('name') ? true : undefined} />
          {err('name') ? <small className="field-error">{err('name')}</small> : null}
        </label>
        <label className="field">
          <span>Key</span>
          <input value={key} onChange={(e) => setKey(e.target.value)} aria-label="Role key" placeholder="security-lead" disabled={role !== null} aria-invalid={err('key') ? true : undefined} />
          {err('key') ? <small className="field-error">{err('key')}</small> : null}
        </label>
      </div>
      <label className="field">
        <span>Responsibilities</span>
        <textarea value={description} onChange={(e) => setDescription(e.target.value)} rows={3} aria-label="Responsibilities" aria-invalid={err('description') ? true : undefined} />
        {err('description') ? <small className="field-error">{err('description')}</small> : null}
      </label>
      <div className="form-actions">
        <button type="submit" className="btn btn-primary btn-small" disabled={save.busy !== null}>
          {save.busy ? 'Saving…' : 'Save role'}
        </button>
        <button type="button" className="btn btn-quiet btn-small" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}
