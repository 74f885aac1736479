import { useEffect, useState, type FormEvent } from 'react';
import { api, call, client } from '../api/client.js';
import type { Session } from '../api/types.js';
import { ErrorBanner, fieldError } from '../components/error-banner.js';
import { navigate } from '../lib/router.js';

/**
 * Where a one-time sign-in link lands (`/welcome#<token>`): the person chooses a password, which
 * signs them in and uses the link up. The token travels in the fragment, so it never reaches a
 * server log or a Referer header; it is dropped from the address bar at once.
 */
export function WelcomePage({ onSignedIn }: { onSignedIn: (session: Session) => Promise<void> }) {
  const [token] = useState(() => window.location.hash.slice(1));
  const [password, setPassword] = useState('');
  const [again, setAgain] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);

  useEffect(() => {
    document.title = 'Welcome · Firebreak';
    if (window.location.hash) window.history.replaceState(null, '', window.location.pathname);
  }, []);

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (password !== again) {
      setError(new Error('the two passwords differ'));
      return;
    }
    setBusy(true);
    setError(null);
    try {
      await call(client.POST('/api/v1/auth/sign-in-link', { body: { token, password } }), { quiet401: true });
      const session = await call<Session>(client.GET('/api/v1/auth/session'), { quiet401: true });
      await onSignedIn(session);
      navigate('/', { replace: true });
    } catch (e) {
      setError(e);
      setBusy(false);
    }
  }

  return (
    <main className="signin">
      <form className="card signin-card" onSubmit={(e) => void submit(e)} aria-label="Choose your password">
        <div className="signin-brand">
          <img src="/favicon.svg" alt="" width="36" height="36" />
          <h1>Welcome to Firebreak</h1>
        </div>
        {token ? <p>Choose your password: it signs you in, and this link then stops working.</p> : <p className="warn-text">This page needs the whole sign-in link you were sent, including the part after #.</p>}
        <ErrorBanner error={error} />
        <label className="field">
          <span>New password <span className="muted">(12 characters or more)</span></span>
          <input type="password" autoComplete="new-password" required value={password} onChange={(e) => setPassword(e.target.value)} aria-label="New password" />
          {fieldError(error, 'password') ? <span className="field-error">{fieldError(error, 'password')}</span> : null}
        </label>
        <label className="field">
          <span>The same again</span>
          <input type="password" autoComplete="new-password" required value={again} onChange={(e) => setAgain(e.target.value)} aria-label="Repeat the password" />
        </label>
        <button type="submit" className="btn btn-primary btn-block" disabled={busy || !token}>
          {busy ? 'Signing in…' : 'Set password and sign in'}
        </button>
        <p className="hint">
          Link expired or used? Ask an administrator for a new one, or <a href="/sign-in">sign in</a> with your password.
        </p>
      </form>
    </main>
  );
}
