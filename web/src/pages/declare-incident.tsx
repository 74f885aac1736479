import { useState, type FormEvent } from 'react';
import { api } from '../api/client.js';
import { severityTone } from '../components/badges.js';
import { ErrorBanner, fieldError } from '../components/error-banner.js';
import { useApp } from '../lib/app-context.js';
import { linkClick, navigate } from '../lib/router.js';

function target(seconds: number | null): string | null {
  if (seconds === null) return null;
  return seconds < 3600 ? `${Math.round(seconds / 60)} min` : `${Math.round(seconds / 3600)} h`;
}

export function DeclareIncidentPage() {
  const { severities, services } = useApp();
  const [title, setTitle] = useState('');
  const [severity, setSeverity] = useState('');
  const [service, setService] = useState('');
  const [summary, setSummary] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const incident = await api.post('/api/v1/incidents', { body: { title, severity, service: service.trim() || undefined, summary: summary || undefined } });
      navigate(`/incidents/${incident.number}`);
    } catch (e) {
      setError(e);
      setBusy(false);
    }
  }

  const titleError = fieldError(error, 'title');
  const severityError = fieldError(error, 'severity');
  const serviceError = fieldError(error, 'service');

  return (
    <div className="narrow">
      <div className="page-head">
        <h1>Declare an incident</h1>
      </div>
      <form className="card form" onSubmit={(e) => void submit(e)}>
        <ErrorBanner error={error} onDismiss={() => setError(null)} />
        <label className="field">
          <span>What is happening?</span>
          <input name="title" required maxLength={200} autoFocus placeholder="Checkout API returning 5xx" value={title} onChange={(e) => setTitle(e.target.value)} aria-invalid={titleError ? true : undefined} />
          {titleError ? <small className="field-error">{titleError}</small> : null}
        </label>

        <fieldset className="field">
          <legend>Severity</legend>
          <div className="sev-options">
            {severities.map((s) => (
              <label key={s.key} className={`sev-option ${severityTone(s.key, severities)} ${severity === s.key ? 'on' : ''}`}>
                <input type="radio" name="severity" value={s.key} required checked={severity === s.key} onChange={() => setSeverity(s.key)} />
                <span className="sev-option-head">
                  <strong>{s.key}</strong> {s.name}
                  {target(s.ackTargetSeconds) ? <span className="muted"> · ack within {target(s.ackTargetSeconds)}</span> : null}
                </span>
                <span className="sev-option-desc">{s.description}</span>
              </label>
            ))}
          </div>
          {severityError ? <small className="field-error">{severityError}</small> : null}
        </fieldset>

        <label className="field">
          <span>
            Service <span className="muted">(optional)</span>
          </span>
          {services && services.length > 0 ? (
            <select name="service" value={service} onChange={(e) => setService(e.target.value)}>
              <option value="">None</option>
              {services.map((s) => (
                <option key={s.id} value={s.slug}>
                  {s.name}
                </option>
              ))}
            </select>
          ) : (
            <input name="service" placeholder="service slug, e.g. checkout-api" value={service} onChange={(e) => setService(e.target.value)} />
          )}
          {serviceError ? <small className="field-error">{serviceError}</small> : null}
        </label>

        <label className="field">
          <span>
            Summary <span className="muted">(optional, Markdown)</span>
          </span>
          <textarea name="summary" rows={5} placeholder="What users see, what you know so far, links to dashboards." value={summary} onChange={(e) => setSummary(e.target.value)} />
        </label>

        <div className="form-actions">
          <button type="submit" className="btn btn-danger" disabled={busy}>
            {busy ? 'Declaring…' : 'Declare incident'}
          </button>
          <a href="/" className="btn btn-quiet" onClick={linkClick}>
            Cancel
          </a>
        </div>
      </form>
    </div>
  );
}
