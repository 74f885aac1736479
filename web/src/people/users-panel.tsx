import { useState, type FormEvent } from 'react';
import { api, call, client, type BodyOf } from '../api/client.js';
import type { components } from '../api/schema.js';
import { ErrorBanner, fieldError } from '../components/error-banner.js';
import { useAction } from '../lib/use-action.js';
import { isFullUser, pagedViaOf, type Person, type User, type UserDetail } from './types.js';

const ROLES = ['admin', 'responder', 'viewer'] as const;

/** 18 random bytes as base64url: 24 characters, as `firebreak user create --generate-password` makes. */
export function generatePassword(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(18));
  return btoa(String.fromCharCode(...bytes)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** A secret shown once: the server keeps only its hash, so closing this loses it for good. */
interface ShownOnce {
  email: string;
  password?: string;
  link?: components['schemas']['SignInLink'];
}

/** Only admins see state; the summaries everyone else gets are of active users. */
function stateOf(u: Person): string {
  if (!isFullUser(u)) return 'active';
  if (u.disabled) return 'disabled';
  if (!u.hasPassword) return 'cannot sign in yet';
  return 'active';
}

export function UsersPanel({ users, isAdmin, me, onChanged }: { users: Person[]; isAdmin: boolean; me: string | undefined; onChanged: () => Promise<void> }) {
  const [creating, setCreating] = useState(false);
  const [shown, setShown] = useState<ShownOnce | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const action = useAction();

  const patch = (u: Person, body: BodyOf<'/api/v1/users/{id}', 'patch'>, done: (saved: UserDetail) => string) =>
    action.run(`patch:${u.id}`, async () => {
      setShown(null);
      const saved = await api.patch('/api/v1/users/{id}', { params: { path: { id: u.id } }, body });
      setNotice(done(saved));
      await onChanged();
    });

  const signInLink = (u: Person) =>
    action.run(`link:${u.id}`, async () => {
      const link = await api.post('/api/v1/users/{id}/sign-in-link', { params: { path: { id: u.id } }, body: {} });
      setNotice(null);
      setShown({ email: u.email, link });
    });

  const newPassword = (u: Person) =>
    action.run(`password:${u.id}`, async () => {
      const password = generatePassword();
      await call(client.PUT('/api/v1/users/{id}/password', { params: { path: { id: u.id } }, body: { password } }));
      setNotice(null);
      setShown({ email: u.email, password });
      await onChanged();
    });

  return (
    <section className="card" aria-labelledby="people-users">
      <div className="card-head">
        <h2 id="people-users">People</h2>
        {isAdmin && !creating ? (
          <button type="button" className="btn btn-small" onClick={() => { setShown(null); setCreating(true); }}>
            Add person
          </button>
        ) : null}
      </div>
      {shown ? (
        <div className="card shown-once" role="status" data-testid="first-password">
          {shown.link ? (
            <>
              <p>
                Sign-in link for <strong>{shown.email}</strong>, shown once: send it to them. Opening it, they choose a password; it then stops working. It expires{' '}
                {new Date(shown.link.expiresAt).toLocaleString()}.
              </p>
              <code className="secret" data-testid="sign-in-link">{shown.link.url}</code>
            </>
          ) : (
            <>
              <p>
                Password for <strong>{shown.email}</strong>, shown once (Firebreak keeps only its hash; they can change it after signing in):
              </p>
              <code className="secret">{shown.password}</code>
            </>
          )}
          <button type="button" className="btn btn-quiet btn-small" onClick={() => setShown(null)}>
            I have passed it on
          </button>
        </div>
      ) : null}
      {notice ? (
        <p className="notice" role="status">
          {notice}
        </p>
      ) : null}
      <ErrorBanner error={action.error} onDismiss={() => action.setError(null)} />
      {creating ? (
        <CreateUserForm
          onCancel={() => setCreating(false)}
          onCreated={async (u, secret) => {
            setCreating(false);
            setNotice(secret ? null : `Added ${u.email}. They cannot sign in until they get a sign-in link or a password.`);
            if (secret) setShown({ email: u.email, ...secret });
            await onChanged();
          }}
        />
      ) : null}
      <ul className="people-list" data-testid="people-list">
        {users.map((u) => {
          const full = isFullUser(u) ? u : null;
          const pagedVia = pagedViaOf(u);
          return (
            <li key={u.id} className={`person-row${full?.disabled ? ' person-disabled' : ''}`} data-testid={`person-${u.email}`}>
              <div className="person-main">
                <strong>{u.name}</strong> <span className="muted">{u.email}</span>
                <div className="muted">
                  {full ? [full.timeZone, full.teams.map((t) => t.slug).join(', '), full.managedBy ? 'from firebreak.yaml' : null].filter(Boolean).join(' · ') : null}
                </div>
                {full?.disabled ? (
                  <div className="warn-text" data-testid="disabled-note">
                    Disabled: cannot sign in, API keys refused, never paged.
                    {pagedVia.length ? ` Still named in ${pagedVia.join('; ')}: replace them there.` : ''}
                  </div>
                ) : null}
              </div>
              <div className="person-tools">
                <span className={`tag state-${stateOf(u).replace(/ /g, '-')}`}>{stateOf(u)}</span>
                {isAdmin && full ? (
                  <select
                    value={full.role}
                    aria-label={`Role of ${u.email}`}
                    disabled={action.busy !== null || Boolean(full.managedBy)}
                    onChange={(e) => void patch(u, { role: e.target.value as (typeof ROLES)[number] }, (s) => `${s.email} is now ${s.role}.`)}
                  >
                    {ROLES.map((r) => (
                      <option key={r} value={r}>
                        {r}
                      </option>
                    ))}
                  </select>
                ) : full ? (
                  <span className="tag">{full.role}</span>
                ) : null}
                {isAdmin ? (
                  <>
                    {full?.disabled ? null : (
                      <button type="button" className="btn btn-quiet btn-small" disabled={action.busy !== null} onClick={() => void signInLink(u)}>
                        Sign-in link
                      </button>
                    )}
                    <button type="button" className="btn btn-quiet btn-small" disabled={action.busy !== null} onClick={() => void newPassword(u)}>
                      New password
                    </button>
                    {full?.disabled ? (
                      <button type="button" className="btn btn-small" disabled={action.busy !== null} onClick={() => void patch(u, { disabled: false }, (s) => `Enabled ${s.email}.`)}>
                        Enable
                      </button>
                    ) : (
                      <button
                        type="button"
                        className="btn btn-quiet btn-small"
                        disabled={action.busy !== null || u.id === me}
                        title={u.id === me ? 'You cannot disable yourself' : undefined}
                        onClick={() =>
                          void patch(u, { disabled: true }, (s) =>
                            `Disabled ${s.email}: their sessions ended, their API keys stop working and pages skip them.${s.pagedVia.length ? ` Still named in ${s.pagedVia.join('; ')}.` : ''}`,
                          )
                        }
                      >
                        Disable
                      </button>
                    )}
                  </>
                ) : null}
              </div>
            </li>
          );
        })}
      </ul>
    </section>
  );
}

function CreateUserForm({ onCancel, onCreated }: { onCancel: () => void; onCreated: (u: User, secret: Omit<ShownOnce, 'email'> | null) => Promise<void> }) {
  const [email, setEmail] = useState('');
  const [name, setName] = useState('');
  const [role, setRole] = useState('responder');
  const [timeZone, setTimeZone] = useState(() => Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC');
  const [first, setFirst] = useState<'link' | 'generate' | 'none'>('link');
  const save = useAction();
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    await save.run('create', async () => {
      const password = first === 'generate' ? generatePassword() : null;
      const u = await api.post('/api/v1/users', { body: { email, name, role: role as BodyOf<'/api/v1/users', 'post'>['role'], timeZone, ...(password ? { password } : {}) } });
      if (first === 'link') await onCreated(u, { link: await api.post('/api/v1/users/{id}/sign-in-link', { params: { path: { id: u.id } }, body: {} }) });
      else await onCreated(u, password ? { password } : null);
    });
  };
  const fe = (field: string) => fieldError(save.error, field);
  return (
    <form className="form people-form" onSubmit={(e) => void submit(e)} aria-label="Add a person" noValidate>
      <ErrorBanner error={save.error} onDismiss={() => save.setError(null)} />
      <div className="people-grid">
        <label className="field">
          <span>Email</span>
          <input type="email" value={email} onChange={(e) => setEmail(e.target.value)} aria-label="New person's email" />
          {fe('email') ? <span className="field-error">{fe('email')}</span> : null}
        </label>
        <label className="field">
          <span>Name</span>
          <input value={name} onChange={(e) => setName(e.target.value)} aria-label="New person's name" />
          {fe('name') ? <span className="field-error">{fe('name')}</span> : null}
        </label>
        <label className="field">
          <span>Role</span>
          <select value={role} onChange={(e) => setRole(e.target.value)} aria-label="New person's role">
            {ROLES.map((r) => (
              <option key={r} value={r}>
                {r}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          <span>Time zone</span>
          <input value={timeZone} onChange={(e) => setTimeZone(e.target.value)} aria-label="New person's time zone" />
          {fe('timeZone') ? <span className="field-error">{fe('timeZone')}</span> : null}
        </label>
      </div>
      <fieldset className="field">
        <legend>Signing in</legend>
        <label className="check">
          <input type="radio" name="first" checked={first === 'link'} onChange={() => setFirst('link')} /> Make a one-time sign-in link, shown once here: they choose their password
        </label>
        <label className="check">
          <input type="radio" name="first" checked={first === 'generate'} onChange={() => setFirst('generate')} /> Make a first password, shown once here
        </label>
        <label className="check">
          <input type="radio" name="first" checked={first === 'none'} onChange={() => setFirst('none')} /> No password yet (paged and holds roles, cannot sign in)
        </label>
      </fieldset>
      <div className="form-actions">
        <button type="submit" className="btn btn-primary" disabled={save.busy !== null}>
          Add person
        </button>
        <button type="button" className="btn btn-quiet" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}
