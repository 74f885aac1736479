import { useEffect, useState, type FormEvent } from 'react';
import { api, call, client } from '../api/client.js';
import { actorRole } from '../api/types.js';
import type { IncidentStatus } from '../api/types.js';
import { SeverityBadge, StatusBadge } from '../components/badges.js';
import { ErrorBanner, fieldError } from '../components/error-banner.js';
import { useApp } from '../lib/app-context.js';
import { linkClick, navigate } from '../lib/router.js';
import { useAction } from '../lib/use-action.js';
import type { PolicyOption, Service, ServiceDetail, TeamOption } from './types.js';
import './services.css';

/** Teams and escalation policies for the form's pickers; empty lists when the server has none. */
function useOptions() {
  const [teams, setTeams] = useState<TeamOption[]>([]);
  const [policies, setPolicies] = useState<PolicyOption[]>([]);
  useEffect(() => {
    void api.get('/api/v1/teams').then((r) => setTeams(r.items), () => setTeams([]));
    void api.get('/api/v1/escalation-policies').then((r) => setPolicies(r.items), () => setPolicies([]));
  }, []);
  return { teams, policies };
}

/** The services list: owner team and policy at a glance, and a form to add one (admins). */
export function ServicesPage() {
  const { session } = useApp();
  const isAdmin = actorRole(session.actor) === 'admin';
  const [services, setServices] = useState<Service[] | null>(null);
  const [adding, setAdding] = useState(false);
  const load = useAction();

  useEffect(() => {
    document.title = 'Services · Firebreak';
    void load.run('load', async () => setServices((await api.get('/api/v1/services')).items));
  }, [load.run]);

  return (
    <div className="services-page">
      <div className="page-head">
        <h1>Services</h1>
        {isAdmin && !adding ? (
          <button type="button" className="btn btn-primary btn-small" onClick={() => setAdding(true)}>
            New service
          </button>
        ) : null}
      </div>
      <p className="muted">
        What incidents and alerts are about. A service names the team that owns it and may choose its own escalation policy ahead of the severity's.
      </p>
      <ErrorBanner error={load.error} onDismiss={() => load.setError(null)} />
      {adding ? (
        <section className="card" aria-labelledby="new-service-h">
          <h2 id="new-service-h">New service</h2>
          <ServiceForm service={null} onCancel={() => setAdding(false)} onSaved={(s) => navigate(`/services/${s.slug}`)} />
        </section>
      ) : null}
      {services?.length === 0 ? <p className="empty muted">No services yet.</p> : null}
      {services?.length ? (
        <ul className="service-list" data-testid="service-list">
          {services.map((s) => (
            <li key={s.id} className="card service-row">
              <a href={`/services/${s.slug}`} onClick={linkClick} className="service-name">
                {s.name}
              </a>
              <span className="muted service-slug">{s.slug}</span>
              <span className="service-meta">
                <span>{s.team ? `Team ${s.team.name}` : 'No owner team'}</span>
                <span>{s.escalationPolicy ? `Policy ${s.escalationPolicy.name}` : 'Severity default policy'}</span>
                {s.managedBy ? <span className="tag">firebreak.yaml</span> : null}
              </span>
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}

/** One service: edit, delete (with the reason when it cannot be), and what it is wired to. */
export function ServicePage({ slug }: { slug: string }) {
  const { session, refresh, severities } = useApp();
  const isAdmin = actorRole(session.actor) === 'admin';
  const [service, setService] = useState<ServiceDetail | null>(null);
  const [editing, setEditing] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const [version, setVersion] = useState(0);
  const load = useAction();
  const remove = useAction();

  useEffect(() => {
    void load.run('load', async () => {
      const s = await api.get('/api/v1/services/{id}', { params: { path: { id: slug } } });
      setService(s);
      document.title = `${s.name} · Services · Firebreak`;
    });
  }, [slug, version, load.run]);

  const del = () => remove.run('delete', async () => {
    await call(client.DELETE('/api/v1/services/{id}', { params: { path: { id: slug } } }));
    await refresh();
    navigate('/services');
  });

  if (!service) {
    return (
      <div className="services-page">
        <p>
          <a href="/services" onClick={linkClick}>← Services</a>
        </p>
        <ErrorBanner error={load.error} />
        {load.error ? null : <p className="muted">Loading…</p>}
      </div>
    );
  }
  const managed = service.managedBy !== null;
  return (
    <div className="services-page">
      <p>
        <a href="/services" onClick={linkClick}>← Services</a>
      </p>
      <div className="page-head">
        <h1>{service.name}</h1>
        {isAdmin && !managed && !editing ? (
          <span className="form-actions">
            <button type="button" className="btn btn-small" onClick={() => { setEditing(true); setConfirming(false); }}>
              Edit
            </button>
            <button type="button" className="btn btn-small" onClick={() => { setConfirming(true); remove.setError(null); }}>
              Delete
            </button>
          </span>
        ) : null}
      </div>
      {managed ? <p className="muted">Declared in firebreak.yaml: change it there.</p> : null}
      <ErrorBanner error={remove.error} onDismiss={() => remove.setError(null)} />
      {confirming ? (
        <div className="card service-confirm" role="alertdialog" aria-labelledby="confirm-delete-text">
          <p id="confirm-delete-text">
            Delete <strong>{service.name}</strong>? Its resolved incidents keep their history
            {service.integrations.length ? `; ${service.integrations.length} integration${service.integrations.length === 1 ? '' : 's'} will have no service` : ''}.
          </p>
          <div className="form-actions">
            <button type="button" className="btn btn-danger btn-small" onClick={() => void del()} disabled={remove.busy !== null}>
              {remove.busy ? 'Deleting…' : 'Delete service'}
            </button>
            <button type="button" className="btn btn-quiet btn-small" onClick={() => setConfirming(false)}>
              Cancel
            </button>
          </div>
        </div>
      ) : null}
      {editing ? (
        <section className="card" aria-labelledby="edit-service-h">
          <h2 id="edit-service-h">Edit service</h2>
          <ServiceForm
            service={service}
            onCancel={() => setEditing(false)}
            onSaved={(s) => {
              setEditing(false);
              if (s.slug !== slug) navigate(`/services/${s.slug}`, { replace: true });
              else setVersion((v) => v + 1);
              void refresh();
            }}
          />
        </section>
      ) : (
        <dl className="card service-facts">
          <dt>Slug</dt>
          <dd><code>{service.slug}</code></dd>
          <dt>Owner team</dt>
          <dd data-testid="service-team">{service.team ? service.team.name : <span className="muted">none</span>}</dd>
          <dt>Escalation policy</dt>
          <dd data-testid="service-policy">{service.escalationPolicy ? service.escalationPolicy.name : <span className="muted">the severity's default</span>}</dd>
          {service.description ? (
            <>
              <dt>Description</dt>
              <dd className="service-description">{service.description}</dd>
            </>
          ) : null}
        </dl>
      )}
      <div className="service-grid">
        <section className="card" aria-labelledby="svc-incidents-h">
          <h2 id="svc-incidents-h">Open incidents <span className="muted">{service.openIncidentCount}</span></h2>
          {service.openIncidents.length === 0 ? <p className="muted">None open.</p> : null}
          <ul className="service-links" data-testid="service-incidents">
            {service.openIncidents.map((i) => (
              <li key={i.number}>
                <SeverityBadge severity={i.severity} severities={severities} /> <StatusBadge status={i.status as IncidentStatus} />{' '}
                <a href={`/incidents/${i.number}`} onClick={linkClick}>
                  #{i.number} {i.title}
                </a>
              </li>
            ))}
          </ul>
        </section>
        <section className="card" aria-labelledby="svc-integrations-h">
          <h2 id="svc-integrations-h">Integrations</h2>
          {service.integrations.length === 0 ? <p className="muted">No integration sends alerts to this service.</p> : null}
          <ul className="service-links" data-testid="service-integrations">
            {service.integrations.map((i) => (
              <li key={i.id}>
                <a href={`/integrations/${i.id}`} onClick={linkClick}>{i.name}</a> <span className="muted">{i.format}{i.disabled ? ', disabled' : ''}</span>
              </li>
            ))}
          </ul>
          {service.routingRules.length ? (
            <p className="muted" data-testid="service-rules">Routing rules sending alerts here: {service.routingRules.map((r) => r.name).join(', ')}</p>
          ) : null}
        </section>
        <section className="card" aria-labelledby="svc-runbooks-h">
          <h2 id="svc-runbooks-h">Runbooks</h2>
          {service.runbooks.length === 0 ? <p className="muted">No runbook names this service (front matter <code>service: {service.slug}</code>).</p> : null}
          <ul className="service-links" data-testid="service-runbooks">
            {service.runbooks.map((r) => (
              <li key={r.slug}>
                <a href={`/runbooks/${r.slug}`} onClick={linkClick}>{r.title}</a>
              </li>
            ))}
          </ul>
        </section>
      </div>
    </div>
  );
}

function ServiceForm({ service, onCancel, onSaved }: { service: Service | null; onCancel: () => void; onSaved: (s: Service) => void }) {
  const { refresh } = useApp();
  const { teams, policies } = useOptions();
  const [name, setName] = useState(service?.name ?? '');
  const [slug, setSlug] = useState(service?.slug ?? '');
  const [description, setDescription] = useState(service?.description ?? '');
  const [team, setTeam] = useState(service?.team?.slug ?? '');
  const [policy, setPolicy] = useState(service?.escalationPolicy?.id ?? '');
  const save = useAction();

  async function submit(event: FormEvent) {
    event.preventDefault();
    await save.run('save', async () => {
      const body = { name, slug, description, team: team || null, escalationPolicy: policy || null };
      const saved = service ? await api.patch('/api/v1/services/{id}', { params: { path: { id: service.slug } }, body: body }) : await api.post('/api/v1/services', { body: body });
      if (!service) await refresh();
      onSaved(saved);
    });
  }

  const err = (field: string) => fieldError(save.error, field);
  return (
    <form className="form service-form" onSubmit={(e) => void submit(e)} aria-label={service ? `Edit ${service.name}` : 'New service'}>
      <ErrorBanner error={save.error} onDismiss={() => save.setError(null)} />
      <label className="field">
        <span>Name</span>
        <input value={name} onChange={(e) => setName(e.target.value)} aria-label="Service name" aria-invalid={err('name') ? true : undefined} />
        {err('name') ? <small className="field-error">{err('name')}</small> : null}
      </label>
      <label className="field">
        <span>Slug</span>
        <input
          value={slug}
          onChange={(e) => setSlug(e.target.value)}
          aria-label="Service slug"
          aria-invalid={err('slug') ? true : undefined}
          placeholder="checkout"
        />
        {err('slug') ? <small className="field-error">{err('slug')}</small> : null}
      </label>
      <label className="field">
        <span>Owner team</span>
        <select value={team} onChange={(e) => setTeam(e.target.value)} aria-label="Owner team">
          <option value="">No owner team</option>
          {teams.map((t) => (
            <option key={t.id} value={t.slug}>{t.name}</option>
          ))}
        </select>
      </label>
      <label className="field">
        <span>Escalation policy</span>
        <select value={policy} onChange={(e) => setPolicy(e.target.value)} aria-label="Escalation policy">
          <option value="">The severity's default</option>
          {policies.map((p) => (
            <option key={p.id} value={p.id}>{p.name}</option>
          ))}
        </select>
      </label>
      <label className="field">
        <span>Description</span>
        <textarea value={description} onChange={(e) => setDescription(e.target.value)} rows={3} aria-label="Service description" />
      </label>
      <div className="form-actions">
        <button type="submit" className="btn btn-primary btn-small" disabled={save.busy !== null}>
          {save.busy ? 'Saving…' : 'Save service'}
        </button>
        <button type="button" className="btn btn-quiet btn-small" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}
