import { useEffect, useState, type FormEvent } from 'react';
import { api } from '../api/client.js';
import type { components } from '../api/schema.js';
import { ErrorBanner } from '../components/error-banner.js';

type Subscriber = components['schemas']['Subscriber'];

/**
 * A page's subscribers (admin only: addresses are private). Add an e-mail (a confirmation mail
 * goes out) or a webhook (its signing secret is shown once, here), remove one.
 */
export function SubscribersPanel({ page }: { page: { slug: string; components: { id: string; name: string }[] } }) {
  const [items, setItems] = useState<Subscriber[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [version, setVersion] = useState(0);
  const [kind, setKind] = useState<'email' | 'webhook'>('email');
  const [address, setAddress] = useState('');
  const [secret, setSecret] = useState<string | null>(null);
  const base = page.slug;

  useEffect(() => {
    let stale = false;
    api.get('/api/v1/status-pages/{page}/subscribers', { params: { path: { page: base } } }).then((r) => !stale && setItems(r.items), (e: unknown) => !stale && setError(e));
    return () => {
      stale = true;
    };
  }, [base, version]);

  const add = async (e: FormEvent) => {
    e.preventDefault();
    try {
      const created = await api.post('/api/v1/status-pages/{page}/subscribers', { params: { path: { page: base } }, body: { kind, address } });
      setSecret(created.secret ?? null);
      setAddress('');
      setError(null);
      setVersion((n) => n + 1);
    } catch (err) {
      setError(err);
    }
  };
  const remove = async (s: Subscriber) => {
    if (!window.confirm(`Remove ${s.address}?`)) return;
    try {
      await api.delete('/api/v1/status-pages/{page}/subscribers/{subscriber}', { params: { path: { page: base, subscriber: s.id } } });
      setVersion((n) => n + 1);
    } catch (err) {
      setError(err);
    }
  };
  const name = (id: string) => page.components.find((c) => c.id === id)?.name ?? id;
  const confirmed = items?.filter((s) => s.confirmed).length ?? 0;

  return (
    <section aria-labelledby="sp-subscribers">
      <h2 id="sp-subscribers">Subscribers{items ? ` (${confirmed} confirmed of ${items.length})` : ''}</h2>
      <ErrorBanner error={error} />
      {secret ? (
        <p role="status">
          Webhook signing secret, shown only now (Standard Webhooks, header <code>webhook-signature</code>): <code data-testid="sp-subscriber-secret">{secret}</code>
        </p>
      ) : null}
      {items?.length === 0 ? <p className="muted">No subscribers yet. Visitors subscribe with the form on the public page.</p> : null}
      {items && items.length > 0 ? (
        <table data-testid="sp-subscriber-list">
          <thead>
            <tr><th>Kind</th><th>Address</th><th>Confirmed</th><th>Components</th><th /></tr>
          </thead>
          <tbody>
            {items.map((s) => (
              <tr key={s.id}>
                <td>{s.kind}</td>
                <td>{s.address}</td>
                <td>{s.confirmed ? 'yes' : 'waiting'}</td>
                <td>{s.components.length ? s.components.map(name).join(', ') : 'all'}</td>
                <td><button type="button" className="btn" onClick={() => void remove(s)} aria-label={`Remove ${s.address}`}>Remove</button></td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      <form onSubmit={(e) => void add(e)} aria-label="Add subscriber">
        <label>
          Kind{' '}
          <select value={kind} onChange={(e) => setKind(e.target.value as 'email' | 'webhook')}>
            <option value="email">e-mail</option>
            <option value="webhook">webhook</option>
          </select>
        </label>{' '}
        <label>
          {kind === 'email' ? 'Address' : 'URL'} <input value={address} onChange={(e) => setAddress(e.target.value)} required type={kind === 'email' ? 'email' : 'url'} />
        </label>{' '}
        <button type="submit" className="btn">Add subscriber</button>
      </form>
    </section>
  );
}
