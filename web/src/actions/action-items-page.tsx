import { useCallback, useEffect, useState } from 'react';
import { api, type QueryOf } from '../api/client.js';
import { ErrorBanner } from '../components/error-banner.js';
import { navigate, useLocation } from '../lib/router.js';
import { useAction } from '../lib/use-action.js';
import { ActionItemList } from './action-items-panel.js';
import { ChecklistEditor } from './checklist-editor.js';
import type { ActionItem, TeamOption, UserOption } from './types.js';
import './actions.css';

const FILTERS = ['team', 'owner', 'status', 'overdue'] as const;

/** The list's filters as the URL holds them; the server names a bad value (e.g. an unknown status). */
const filters = (search: URLSearchParams) => Object.fromEntries(FILTERS.flatMap((f) => (search.get(f) ? [[f, search.get(f)!]] : []))) as QueryOf<'/api/v1/action-items'>;

/**
 * Every action item, filtered by team, owner, status or overdue; the filters live in the URL so
 * a filtered list can be shared. Linked from the Reports page.
 */
export function ActionItemsPage() {
  const { search } = useLocation();
  const [items, setItems] = useState<ActionItem[] | null>(null);
  const [teams, setTeams] = useState<TeamOption[]>([]);
  const [users, setUsers] = useState<UserOption[]>([]);
  const load = useAction();
  const query = FILTERS.filter((f) => search.get(f)).map((f) => `${f}=${encodeURIComponent(search.get(f)!)}`).join('&');
  const reload = useCallback(() => load.run('load', async () => setItems((await api.get('/api/v1/action-items', { params: { query: filters(new URLSearchParams(query)) } })).items)).then(() => undefined), [query, load.run]);
  useEffect(() => {
    void reload();
  }, [reload]);
  useEffect(() => {
    void api.get('/api/v1/teams').then((r) => setTeams(r.items));
    void api.get('/api/v1/users').then((r) => setUsers(r.items));
  }, []);
  const set = (name: (typeof FILTERS)[number], value: string) => {
    const next = new URLSearchParams(search);
    if (value) next.set(name, value);
    else next.delete(name);
    navigate(`/action-items${next.size ? `?${next}` : ''}`, { replace: true });
  };
  return (
    <div className="action-items-page">
      <h1>Action items</h1>
      <div className="action-filters" role="search">
        <label className="field">
          <span>Team</span>
          <select aria-label="Team" value={search.get('team') ?? ''} onChange={(e) => set('team', e.target.value)}>
            <option value="">any</option>
            {teams.map((t) => (
              <option key={t.id} value={t.slug}>
                {t.name}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          <span>Owner</span>
          <select aria-label="Owner" value={search.get('owner') ?? ''} onChange={(e) => set('owner', e.target.value)}>
            <option value="">anyone</option>
            {users.map((u) => (
              <option key={u.id} value={u.id}>
                {u.name}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          <span>Status</span>
          <select aria-label="Status" value={search.get('status') ?? ''} onChange={(e) => set('status', e.target.value)}>
            <option value="">any</option>
            <option value="open">open</option>
            <option value="done">done</option>
            <option value="wont_do">won't do</option>
          </select>
        </label>
        <label className="check">
          <input type="checkbox" checked={search.get('overdue') === 'true'} onChange={(e) => set('overdue', e.target.checked ? 'true' : '')} /> overdue only
        </label>
      </div>
      <ErrorBanner error={load.error} />
      {items && items.length ? <ActionItemList items={items} onChanged={reload} showIncident /> : items ? <p className="empty">No action items match.</p> : null}
      <ChecklistEditor />
    </div>
  );
}
