import { useEffect, useState, type FormEvent } from 'react';
import { api, ApiError } from '../api/client.js';
import { actorRole, type ServiceSummary } from '../api/types.js';
import { ErrorBanner, fieldError } from '../components/error-banner.js';
import { useApp } from '../lib/app-context.js';
import { linkClick } from '../lib/router.js';
import { KeyOnce, SenderConfigView } from './sender-config.js';
import { formatLabel, INTEGRATION_FORMATS, type Integration, type IntegrationFormat, type IntegrationWithKey } from './types.js';
import './integrations.css';

/** Integrations: every ingest endpoint, and (for admins) a form that creates one and shows its key once. */
export function IntegrationsPage() {
  const isAdmin = actorRole(useApp().session.actor) === 'admin';
  const [items, setItems] = useState<Integration[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [created, setCreated] = useState<IntegrationWithKey | null>(null);
  const [reload, setReload] = useState(0);

  useEffect(() => {
    document.title = 'Integrations · Firebreak';
    let stale = false;
    api.get('/api/v1/integrations').then((r) => !stale && setItems(r.items), (e: unknown) => !stale && setError(e));
    return () => {
      stale = true;
    };
  }, [reload]);

  return (
    <div className="integrations">
      <div className="page-head">
        <h1>Integrations</h1>
      </div>
      <p className="muted">
        Each integration is an ingest endpoint with its own key: paste its URL into Alertmanager, Grafana or any tool that speaks the PagerDuty or Opsgenie API.
      </p>
      {created ? (
        <CreatedPanel integration={created} onDone={() => setCreated(null)} />
      ) : isAdmin ? (
        <CreateIntegrationForm
          onCreated={(i) => {
            setCreated(i);
            setReload((n) => n + 1);
          }}
        />
      ) : null}
      <ErrorBanner error={error} />
      {items === null && !error ? <p className="muted">Loading…</p> : null}
      {items?.length === 0 ? <p className="muted">No integrations yet{isAdmin ? ': create one above' : ''}. The CLI (`firebreak integration create`) and firebreak.yaml can create them too.</p> : null}
      <ul className="int-list">
        {items?.map((i) => (
          <li key={i.id} className="card int-row" data-testid="integration-row">
            <div className="int-row-head">
              <a href={`/integrations/${i.id}`} onClick={linkClick} className="int-name">
                {i.name}
              </a>
              <IntegrationBadges integration={i} />
            </div>
            <div className="int-meta muted">
              <span>{formatLabel(i.format)}</span>
              <span>service: {i.service ? i.service.name : 'none'}</span>
              <span>key {i.keyHint}</span>
            </div>
          </li>
        ))}
      </ul>
    </div>
  );
}

export function IntegrationBadges({ integration }: { integration: Integration }) {
  return (
    <span className="int-badges">
      {integration.disabled ? <span className="badge int-disabled">Disabled</span> : <span className="badge int-enabled">Enabled</span>}
      {integration.managedBy === 'config' ? (
        <span className="tag" title="Declared in firebreak.yaml: edit the file to change it">
          managed by firebreak.yaml
        </span>
      ) : integration.managedBy ? (
        <span className="tag">managed by {integration.managedBy}</span>
      ) : null}
    </span>
  );
}

function CreatedPanel({ integration, onDone }: { integration: IntegrationWithKey; onDone: () => void }) {
  return (
    <section className="card int-created" aria-labelledby="int-created-h">
      <h2 id="int-created-h">Integration “{integration.name}” created</h2>
      <KeyOnce keyValue={integration.key} />
      <SenderConfigView format={integration.format} sender={integration.sender} withKey />
      <div className="form-actions">
        <button type="button" className="btn btn-primary" onClick={onDone}>
          I have copied the key
        </button>
        <a href={`/integrations/${integration.id}`} onClick={linkClick}>
          Open the integration
        </a>
      </div>
    </section>
  );
}

/** Settings typed in the form: a heartbeat's interval, or any settings object as JSON (a generic webhook's mapping). */
function settingsFrom(format: IntegrationFormat, intervalSeconds: string, json: string): Record<string, unknown> {
  let settings: Record<string, unknown> = {};
  if (json.trim()) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(json);
    } catch (e) {
      throw new ApiError(400, { code: 'VALIDATION', message: `settings: not valid JSON (${(e as Error).message})`, issues: [{ field: 'settings', message: 'not valid JSON' }] });
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
      throw new ApiError(400, { code: 'VALIDATION', message: 'settings: must be a JSON object', issues: [{ field: 'settings', message: 'must be a JSON object' }] });
    }
    settings = parsed as Record<string, unknown>;
  }
  if (format === 'heartbeat' && intervalSeconds.trim()) settings = { ...settings, heartbeat: { ...(settings.heartbeat as object | undefined), intervalSeconds: Number(intervalSeconds) } };
  return settings;
}

function CreateIntegrationForm({ onCreated }: { onCreated: (i: IntegrationWithKey) => void }) {
  const [name, setName] = useState('');
  const [format, setFormat] = useState<IntegrationFormat>('alertmanager-webhook');
  const [service, setService] = useState('');
  const [intervalSeconds, setIntervalSeconds] = useState('300');
  const [settingsJson, setSettingsJson] = useState('');
  const [services, setServices] = useState<ServiceSummary[] | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);

  // Read here rather than from the app context so a service made since sign-in is offered too.
  useEffect(() => {
    let stale = false;
    api.get('/api/v1/services').then((r) => !stale && setServices(r.items), () => !stale && setServices([]));
    return () => {
      stale = true;
    };
  }, []);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const settings = settingsFrom(format, intervalSeconds, settingsJson);
      const created = await api.post('/api/v1/integrations', { body: { name, format, service: service || undefined, settings } });
      setName('');
      setSettingsJson('');
      onCreated(created);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  }

  const nameError = fieldError(error, 'name');
  const serviceError = fieldError(error, 'service');
  const settingsError = fieldError(error, 'settings') ?? fieldError(error, 'mapping') ?? fieldError(error, 'heartbeat');

  return (
    <form className="card form int-create" onSubmit={(e) => void submit(e)} aria-labelledby="int-create-h">
      <h2 id="int-create-h">New integration</h2>
      <ErrorBanner error={error} onDismiss={() => setError(null)} />
      <label className="field">
        <span>Name</span>
        <input name="name" required maxLength={200} placeholder="prod-alertmanager" value={name} onChange={(e) => setName(e.target.value)} aria-invalid={nameError ? true : undefined} />
        {nameError ? <small className="field-error">{nameError}</small> : null}
      </label>
      <label className="field">
        <span>Format</span>
        <select name="format" value={format} onChange={(e) => setFormat(e.target.value as IntegrationFormat)}>
          {INTEGRATION_FORMATS.map((f) => (
            <option key={f.format} value={f.format}>
              {f.label}
            </option>
          ))}
        </select>
      </label>
      <label className="field">
        <span>Service (optional)</span>
        <select name="service" value={service} onChange={(e) => setService(e.target.value)} aria-invalid={serviceError ? true : undefined}>
          <option value="">No service: routing rules decide</option>
          {services?.map((s) => (
            <option key={s.id} value={s.slug}>
              {s.name}
            </option>
          ))}
        </select>
        {serviceError ? <small className="field-error">{serviceError}</small> : null}
      </label>
      {format === 'heartbeat' ? (
        <label className="field">
          <span>Expect a ping every (seconds)</span>
          <input name="intervalSeconds" type="number" min={10} max={604800} required value={intervalSeconds} onChange={(e) => setIntervalSeconds(e.target.value)} />
        </label>
      ) : null}
      <details className="int-settings" open={format === 'generic-webhook' || Boolean(settingsError)}>
        <summary>Settings (JSON){format === 'generic-webhook' ? ': a generic webhook needs a field mapping' : ', optional'}</summary>
        <label className="field">
          <span className="sr-only">Settings (JSON)</span>
          <textarea
            name="settings"
            rows={5}
            spellCheck={false}
            placeholder={format === 'generic-webhook' ? '{"mapping": {"summary": "$.title", "dedupKey": "$.id", "status": "$.state"}}' : '{"grouping": "labels", "groupBy": ["alertname", "cluster"]}'}
            value={settingsJson}
            onChange={(e) => setSettingsJson(e.target.value)}
            aria-invalid={settingsError ? true : undefined}
          />
          {settingsError ? <small className="field-error">{settingsError}</small> : null}
        </label>
        <p className="muted int-settings-help">
          See docs/alerts.md (grouping, flap, openAfter, severityMap) and docs/ingest-formats.md (mapping, hmac).
        </p>
      </details>
      <div className="form-actions">
        <button type="submit" className="btn btn-primary" disabled={busy}>
          {busy ? 'Creating…' : 'Create integration'}
        </button>
      </div>
    </form>
  );
}
