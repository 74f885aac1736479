import { useCallback, useEffect, useState } from 'react';
import { actorRole } from '../api/types.js';
import { api, call, client } from '../api/client.js';
import { ErrorBanner } from '../components/error-banner.js';
import { useApp } from '../lib/app-context.js';
import { linkClick } from '../lib/router.js';
import { useAction } from '../lib/use-action.js';
import { TeamsPanel } from './teams-panel.js';
import { isFullUser, type Person, type Team } from './types.js';
import { UsersPanel } from './users-panel.js';
import './people.css';

/** People and teams: who can sign in, with which role, who is paged, and who belongs to which team. */
export function PeoplePage() {
  const { session } = useApp();
  const isAdmin = actorRole(session.actor) === 'admin';
  const [users, setUsers] = useState<Person[] | null>(null);
  const [teams, setTeams] = useState<Team[] | null>(null);
  const load = useAction();

  const reload = useCallback(async () => {
    const [u, t] = await Promise.all([api.get('/api/v1/users'), api.get('/api/v1/teams')]);
    // A disabled user stays on schedules and policies, skipped when pages go out: say where.
    const listed: Person[] = u.items;
    const detailed = await Promise.all(listed.map(async (x) => (isFullUser(x) && x.disabled ? await api.get('/api/v1/users/{id}', { params: { path: { id: x.id } } }) : x)));
    setUsers(detailed);
    setTeams(t.items);
  }, []);

  useEffect(() => {
    document.title = 'People and teams · Firebreak';
    void load.run('load', reload);
  }, [load.run, reload]);

  return (
    <div className="people-page">
      <div className="page-head">
        <h1>People and teams</h1>
        <p className="muted">
          Who signs in, with which role, and who is paged. {isAdmin ? '' : 'Only admins change these.'}{' '}
          <a href="/policies" onClick={linkClick}>Escalation policies</a> · <a href="/oncall" onClick={linkClick}>On call now</a>
        </p>
      </div>
      <ErrorBanner error={load.error} onDismiss={() => load.setError(null)} />
      {users && teams ? (
        <>
          <UsersPanel users={users} isAdmin={isAdmin} me={'id' in session.actor ? session.actor.id : ''} onChanged={reload} />
          <TeamsPanel teams={teams} users={users} isAdmin={isAdmin} onChanged={reload} />
        </>
      ) : null}
    </div>
  );
}
