import { useEffect, useState, type FormEvent } from 'react';
import { api } from '../api/client.js';
import { actorRole } from '../api/types.js';
import { ErrorBanner } from '../components/error-banner.js';
import { useApp } from '../lib/app-context.js';
import { linkClick } from '../lib/router.js';
import { useAction } from '../lib/use-action.js';
import type { AudienceGroup, AudienceRule } from './types.js';
import './updates.css';

const lines = (text: string) => text.split(/[\n,]/).map((s) => s.trim()).filter(Boolean);

/**
 * Audiences: the internal stakeholder groups that updates to "internal" go to, and the rules
 * that pick them per incident (severity and service). Reached from the status pages page and
 * the incident's updates panel.
 */
export function AudiencesPage() {
  const { session } = useApp();
  const isAdmin = actorRole(session.actor) === 'admin';
  const [groups, setGroups] = useState<AudienceGroup[] | null>(null);
  const [rules, setRules] = useState<AudienceRule[] | null>(null);
  const [editing, setEditing] = useState<AudienceGroup | 'new' | null>(null);
  const [secret, setSecret] = useState<string | null>(null);
  const [version, setVersion] = useState(0);
  const action = useAction();
  const changed = () => setVersion((n) => n + 1);

  useEffect(() => {
    document.title = 'Audiences · Firebreak';
    void action.run('load', async () => {
      const [g, r] = await Promise.all([api.get('/api/v1/audience-groups'), api.get('/api/v1/audience-rules')]);
      setGroups(g.items);
      setRules(r.items);
    });
  }, [version, action.run]);

  return (
    <div className="audiences-page">
      <div className="page-head">
        <h1>Audiences</h1>
        <p className="muted">
          Who hears about an incident when an update is posted to <strong>internal</strong>. <a href="/status-pages" onClick={linkClick}>Status pages</a> ·{' '}
          <a href="/status-pages/templates" onClick={linkClick}>Update templates</a>
        </p>
      </div>
      <ErrorBanner error={action.error} onDismiss={() => action.setError(null)} />
      {secret ? (
        <p className="card" role="status" data-testid="webhook-secret">
          Webhook signing secret (shown once): <code>{secret}</code>
        </p>
      ) : null}
      <section className="card" aria-labelledby="aud-groups">
        <div className="card-head">
          <h2 id="aud-groups">Groups</h2>
          {isAdmin && editing === null ? (
            <button type="button" className="btn btn-small" onClick={() => setEditing('new')}>
              New group
            </button>
          ) : null}
        </div>
        {groups?.length === 0 ? <p className="muted">No audience groups yet.</p> : null}
        <ul className="audience-groups" data-testid="audience-groups">
          {groups?.map((g) => (
            <li key={g.id}>
              <strong>{g.name}</strong> <span className="muted">({g.slug}{g.source === 'config' ? ', firebreak.yaml' : ''})</span>
              <div className="muted">
                {[
                  ...g.emails,
                  ...(g.slackWebhookUrl ? ['Slack'] : []),
                  ...(g.webhookUrl ? [`webhook${g.hasWebhookSecret ? ' (signed)' : ''}`] : []),
                  ...g.users.map((u) => u.name),
                  ...g.teams.map((t) => `team ${t.slug}`),
                ].join(' · ') || 'no members'}
              </div>
              {isAdmin && g.source === 'api' ? (
                <span>
                  <button type="button" className="btn btn-quiet btn-small" onClick={() => setEditing(g)}>
                    Edit
                  </button>
                  <button type="button" className="btn btn-quiet btn-small" onClick={() => void action.run('delete', async () => (await api.delete('/api/v1/audience-groups/{group}', { params: { path: { group: g.slug } } }), changed()))}>
                    Delete
                  </button>
                </span>
              ) : null}
            </li>
          ))}
        </ul>
        {editing !== null ? (
          <GroupForm
            group={editing === 'new' ? null : editing}
            onCancel={() => setEditing(null)}
            onSaved={(saved) => {
              setSecret(saved.webhookSecret ?? null);
              setEditing(null);
              changed();
            }}
          />
        ) : null}
      </section>
      <section className="card" aria-labelledby="aud-rules">
        <h2 id="aud-rules">Rules</h2>
        <p className="muted">A group hears about incidents that match one of its rules; an empty list matches any.</p>
        <ul data-testid="audience-rules">
          {rules?.map((r) => (
            <li key={r.id}>
              {r.severities.join(', ') || 'any severity'} on {r.services.join(', ') || 'any service'} → <strong>{r.group.name}</strong>
              {isAdmin && r.source === 'api' ? (
                <button type="button" className="btn btn-quiet btn-small" onClick={() => void action.run('delete', async () => (await api.delete('/api/v1/audience-rules/{id}', { params: { path: { id: r.id } } }), changed()))}>
                  Delete
                </button>
              ) : null}
            </li>
          ))}
        </ul>
        {isAdmin && groups && groups.length > 0 ? <RuleForm groups={groups} onAdded={changed} /> : null}
      </section>
    </div>
  );
}

function GroupForm({ group, onCancel, onSaved }: { group: AudienceGroup | null; onCancel: () => void; onSaved: (g: AudienceGroup) => void }) {
  const [slug, setSlug] = useState(group?.slug ?? '');
  const [name, setName] = useState(group?.name ?? '');
  const [emails, setEmails] = useState(group?.emails.join('\n') ?? '');
  const [slack, setSlack] = useState(group?.slackWebhookUrl ?? '');
  const [webhook, setWebhook] = useState(group?.webhookUrl ?? '');
  const [users, setUsers] = useState(group?.users.map((u) => u.email).join('\n') ?? '');
  const [teams, setTeams] = useState(group?.teams.map((t) => t.slug).join('\n') ?? '');
  const save = useAction();
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    await save.run('save', async () => {
      const saved = await api.put('/api/v1/audience-groups/{slug}', {
        params: { path: { slug } },
        body: { name, emails: lines(emails), slackWebhookUrl: slack.trim() || null, webhookUrl: webhook.trim() || null, users: lines(users), teams: lines(teams) },
      });
      onSaved(saved);
    });
  };
  return (
    <form className="form" onSubmit={(e) => void submit(e)} aria-label={group ? `Edit ${group.name}` : 'New audience group'}>
      <ErrorBanner error={save.error} onDismiss={() => save.setError(null)} />
      <label className="field">
        <span>Name</span>
        <input value={name} onChange={(e) => setName(e.target.value)} required aria-label="Group name" />
      </label>
      <label className="field">
        <span>Slug</span>
        <input value={slug} onChange={(e) => setSlug(e.target.value)} required disabled={group !== null} pattern="[a-z0-9][a-z0-9\-]*" aria-label="Group slug" />
      </label>
      <label className="field">
        <span>Email addresses <span className="muted">(one a line)</span></span>
        <textarea rows={3} value={emails} onChange={(e) => setEmails(e.target.value)} aria-label="Email addresses" />
      </label>
      <label className="field">
        <span>Slack incoming webhook URL</span>
        <input value={slack} onChange={(e) => setSlack(e.target.value)} aria-label="Slack webhook URL" />
      </label>
      <label className="field">
        <span>Webhook URL <span className="muted">(signed, Standard Webhooks)</span></span>
        <input value={webhook} onChange={(e) => setWebhook(e.target.value)} aria-label="Webhook URL" />
      </label>
      <label className="field">
        <span>Users <span className="muted">(emails; reached on their own contact methods)</span></span>
        <textarea rows={2} value={users} onChange={(e) => setUsers(e.target.value)} aria-label="Users" />
      </label>
      <label className="field">
        <span>Teams <span className="muted">(slugs)</span></span>
        <textarea rows={2} value={teams} onChange={(e) => setTeams(e.target.value)} aria-label="Teams" />
      </label>
      <div className="form-actions">
        <button type="submit" className="btn btn-primary" disabled={save.busy !== null}>
          Save group
        </button>
        <button type="button" className="btn btn-quiet" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}

function RuleForm({ groups, onAdded }: { groups: AudienceGroup[]; onAdded: () => void }) {
  const { severities, services } = useApp();
  const [group, setGroup] = useState(groups[0]!.slug);
  const [sevs, setSevs] = useState<string[]>([]);
  const [svcs, setSvcs] = useState<string[]>([]);
  const add = useAction();
  const toggle = (list: string[], set: (v: string[]) => void, v: string) => set(list.includes(v) ? list.filter((x) => x !== v) : [...list, v]);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (await add.run('add', () => api.post('/api/v1/audience-rules', { body: { group, severities: sevs, services: svcs } }))) {
      setSevs([]);
      setSvcs([]);
      onAdded();
    }
  };
  return (
    <form className="form" onSubmit={(e) => void submit(e)} aria-label="New audience rule">
      <ErrorBanner error={add.error} onDismiss={() => add.setError(null)} />
      <fieldset className="field">
        <legend>Severities (none ticked: any)</legend>
        {severities.map((s) => (
          <label key={s.key} className="check">
            <input type="checkbox" checked={sevs.includes(s.key)} onChange={() => toggle(sevs, setSevs, s.key)} /> {s.key}
          </label>
        ))}
      </fieldset>
      {services && services.length > 0 ? (
        <fieldset className="field">
          <legend>Services (none ticked: any)</legend>
          {services.map((s) => (
            <label key={s.id} className="check">
              <input type="checkbox" checked={svcs.includes(s.slug)} onChange={() => toggle(svcs, setSvcs, s.slug)} /> {s.name}
            </label>
          ))}
        </fieldset>
      ) : null}
      <label className="field">
        <span>Group</span>
        <select value={group} onChange={(e) => setGroup(e.target.value)} aria-label="Rule group">
          {groups.map((g) => (
            <option key={g.id} value={g.slug}>
              {g.name}
            </option>
          ))}
        </select>
      </label>
      <div className="form-actions">
        <button type="submit" className="btn" disabled={add.busy !== null}>
          Add rule
        </button>
      </div>
    </form>
  );
}
