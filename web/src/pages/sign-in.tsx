import { useState, type FormEvent } from 'react';
import { call, client } from '../api/client.js';
import type { Session } from '../api/types.js';
import { ErrorBanner } from '../components/error-banner.js';

export function SignInPage({ onSignedIn }: { onSignedIn: (session: Session) => Promise<void> }) {
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await call(client.POST('/api/v1/auth/sign-in', { body: { email, password } }), { quiet401: true });
      // The session endpoint gives the same shape on a fresh sign-in and on a page reload.
      const session = await call(client.GET('/api/v1/auth/session'), { quiet401: true });
      await onSignedIn(session);
    } catch (e) {
      setError(e);
      setBusy(false);
    }
  }

  return (
    <main className="signin">
      <form className="card signin-card" onSubmit={(e) => void submit(e)}>
        <div className="signin-brand">
          <img src="/favicon.svg" alt="" width="36" height="36" />
          <h1>Firebreak</h1>
        </div>
        <ErrorBanner error={error} />
        <label className="field">
          <span>Email</span>
          <input type="email" name="email" autoComplete="username" required autoFocus value={email} onChange={(e) => setEmail(e.target.value)} />
        </label>
        <label className="field">
          <span>Password</span>
          <input type="password" name="password" autoComplete="current-password" required value={password} onChange={(e) => setPassword(e.target.value)} />
        </label>
        <button type="submit" className="btn btn-primary btn-block" disabled={busy}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
        <p className="hint">
          First time? The administrator&rsquo;s email and password are printed once in the server log when Firebreak first starts.
        </p>
      </form>
    </main>
  );
}
