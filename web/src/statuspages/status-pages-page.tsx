import { useEffect, useState, type FormEvent } from 'react';
import { api } from '../api/client.js';
import { ErrorBanner } from '../components/error-banner.js';
import { useApp } from '../lib/app-context.js';
import { SubscribersPanel } from './subscribers-panel.js';

interface Component {
  id: string;
  name: string;
  group: boolean;
  groupId: string | null;
  services: string[];
  status: string;
  statusOverride: string | null;
}
interface StatusPage {
  id: string;
  slug: string;
  name: string;
  hostName: string | null;
  status: { indicator: string; description: string };
  components: Component[];
}

/**
 * Status pages: create a page, add components mapped to services, and see the public page as
 * visitors do (an iframe of /status/<slug>, reloaded after every change).
 */
export function StatusPagesPage() {
  const { session, services } = useApp();
  const isAdmin = session.actor.role === 'admin';
  const [pages, setPages] = useState<StatusPage[] | null>(null);
  const [selected, setSelected] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [version, setVersion] = useState(0);

  useEffect(() => {
    document.title = 'Status pages · Firebreak';
    let stale = false;
    api.get<{ items: StatusPage[] }>('/status-pages').then((r) => {
      if (stale) return;
      setPages(r.items);
      setSelected((s) => s ?? r.items[0]?.slug ?? null);
    }, (e: unknown) => !stale && setError(e));
    return () => {
      stale = true;
    };
  }, [version]);

  const changed = () => setVersion((n) => n + 1);
  const page = pages?.find((p) => p.slug === selected) ?? null;

  return (
    <div className="status-pages">
      <div className="page-head">
        <h1>Status pages</h1>
      </div>
      <ErrorBanner error={error} />
      {isAdmin ? <CreatePageForm onCreated={(slug) => { setSelected(slug); changed(); }} onError={setError} /> : null}
      {pages?.length === 0 ? <p className="muted">No status pages yet.</p> : null}
      {pages && pages.length > 0 ? (
        <label>
          Page{' '}
          <select value={selected ?? ''} onChange={(e) => setSelected(e.target.value)}>
            {pages.map((p) => (
              <option key={p.id} value={p.slug}>
                {p.name} ({p.slug})
              </option>
            ))}
          </select>
        </label>
      ) : null}
      {page ? (
        <section className="card" aria-labelledby="sp-components">
          <h2 id="sp-components">
            {page.name}: {page.status.description}
          </h2>
          <p className="muted">
            Public at <a href={`/status/${page.slug}`}>/status/{page.slug}</a>
            {page.hostName ? ` and https://${page.hostName}/` : ''} · <a href={`/status/${page.slug}/api/v2/summary.json`}>summary.json</a>
          </p>
          <ul data-testid="sp-component-list">
            {page.components.map((c) => (
              <li key={c.id}>
                {c.groupId ? '— ' : ''}
                <strong>{c.name}</strong>
                {c.group ? ' (group)' : ''}: {c.status.replace(/_/g, ' ')}
                {c.services.length ? <span className="muted"> · {c.services.map((id) => services?.find((s) => s.id === id)?.slug ?? id).join(', ')}</span> : null}
              </li>
            ))}
          </ul>
          {isAdmin ? <AddComponentForm page={page} onAdded={changed} onError={setError} /> : null}
          {isAdmin ? <SubscribersPanel page={page} /> : null}
          <h2>Preview</h2>
          <iframe key={`${page.slug}-${version}`} title={`Preview of ${page.name}`} src={`/status/${page.slug}?preview=${version}`} style={{ width: '100%', maxWidth: 420, height: 640, border: '1px solid #ccc', borderRadius: 8 }} />
        </section>
      ) : null}
    </div>
  );
}

function CreatePageForm({ onCreated, onError }: { onCreated: (slug: string) => void; onError: (e: unknown) => void }) {
  const [slug, setSlug] = useState('');
  const [name, setName] = useState('');
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    try {
      const p = await api.post<StatusPage>('/status-pages', { slug, name });
      setSlug('');
      setName('');
      onError(null);
      onCreated(p.slug);
    } catch (err) {
      onError(err);
    }
  };
  return (
    <form className="card" onSubmit={(e) => void submit(e)} aria-label="New status page">
      <label>
        Name <input value={name} onChange={(e) => setName(e.target.value)} required />
      </label>{' '}
      <label>
        Slug <input value={slug} onChange={(e) => setSlug(e.target.value)} required pattern="[a-z0-9][a-z0-9\-]*" />
      </label>{' '}
      <button type="submit" className="btn">
        Create page
      </button>
    </form>
  );
}

function AddComponentForm({ page, onAdded, onError }: { page: StatusPage; onAdded: () => void; onError: (e: unknown) => void }) {
  const { services } = useApp();
  const [name, setName] = useState('');
  const [group, setGroup] = useState('');
  const [isGroup, setIsGroup] = useState(false);
  const [chosen, setChosen] = useState<string[]>([]);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    try {
      await api.post(`/status-pages/${encodeURIComponent(page.slug)}/components`, { name, isGroup, group: group || null, services: isGroup ? [] : chosen });
      setName('');
      setChosen([]);
      onError(null);
      onAdded();
    } catch (err) {
      onError(err);
    }
  };
  return (
    <form onSubmit={(e) => void submit(e)} aria-label="Add component">
      <label>
        Component name <input value={name} onChange={(e) => setName(e.target.value)} required />
      </label>{' '}
      <label>
        <input type="checkbox" checked={isGroup} onChange={(e) => setIsGroup(e.target.checked)} /> a group
      </label>{' '}
      {!isGroup ? (
        <>
          <label>
            In group{' '}
            <select value={group} onChange={(e) => setGroup(e.target.value)}>
              <option value="">none</option>
              {page.components.filter((c) => c.group).map((c) => (
                <option key={c.id} value={c.id}>
                  {c.name}
                </option>
              ))}
            </select>
          </label>{' '}
          <label>
            Services{' '}
            <select multiple value={chosen} onChange={(e) => setChosen([...e.target.selectedOptions].map((o) => o.value))}>
              {(services ?? []).map((s) => (
                <option key={s.id} value={s.id}>
                  {s.name}
                </option>
              ))}
            </select>
          </label>
        </>
      ) : null}{' '}
      <button type="submit" className="btn">
        Add
      </button>
    </form>
  );
}
