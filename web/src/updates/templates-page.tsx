import { useCallback, useEffect, useState } from 'react';
import { api, ApiError } from '../api/client.js';
import { actorRole } from '../api/types.js';
import { ErrorBanner } from '../components/error-banner.js';
import { Markdown } from '../components/markdown.js';
import { useApp } from '../lib/app-context.js';
import { linkClick } from '../lib/router.js';
import { useAction } from '../lib/use-action.js';
import { AUDIENCES, UPDATE_KINDS, type Audience, type UpdateKind, type UpdatePreview, type UpdateTemplate } from './types.js';
import './updates.css';

const key = (t: { kind: string; audience: string | null }) => `${t.kind}/${t.audience ?? ''}`;

/**
 * The update-template editor: every template (stored, from firebreak.yaml, or built in), edited
 * with a live preview rendered by the server for a sample incident. A template that fails to
 * render shows the line and column, and cannot be saved until it renders.
 */
export function UpdateTemplatesPage() {
  const { session } = useApp();
  const isAdmin = actorRole(session.actor) === 'admin';
  const [templates, setTemplates] = useState<UpdateTemplate[] | null>(null);
  const [kind, setKind] = useState<UpdateKind>('initial');
  const [audience, setAudience] = useState<Audience | ''>('');
  const [body, setBody] = useState('');
  const [sample, setSample] = useState<number | null>(null);
  const [preview, setPreview] = useState<string | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [saved, setSaved] = useState<string | null>(null);
  const action = useAction();

  const load = useCallback(
    () => action.run('load', async () => setTemplates((await api.get('/api/v1/update-templates')).items)),
    [action.run],
  );
  useEffect(() => {
    document.title = 'Update templates · Firebreak';
    void load();
    // The sample incident: the most recent one.
    void api.get('/api/v1/incidents', { params: { query: { limit: '1' } } }).then((p) => setSample(p.items[0]?.number ?? null), () => setSample(null));
  }, [load]);

  const current = templates?.find((t) => key(t) === key({ kind, audience: audience || null })) ?? null;
  const open = (t: { kind: UpdateKind; audience: Audience | null; body: string }) => {
    setKind(t.kind);
    setAudience(t.audience ?? '');
    setBody(t.body);
    setSaved(null);
  };

  // Live preview, debounced: the server renders exactly what posting would.
  useEffect(() => {
    if (sample === null || !body) {
      setPreview(null);
      return;
    }
    let stale = false;
    const timer = setTimeout(() => {
      api.post('/api/v1/incidents/{incident}/updates/preview', { params: { path: { incident: String(sample) } }, body: { kind, ...(audience ? { audience } : {}), template: body } }).then(
        (p) => !stale && (setPreview(p.body), setProblem(null)),
        (e: unknown) => !stale && (setPreview(null), setProblem(e instanceof ApiError ? (e.issues[0]?.message ?? e.message) : String(e))),
      );
    }, 300);
    return () => {
      stale = true;
      clearTimeout(timer);
    };
  }, [body, kind, audience, sample]);

  const at = { params: { path: { kind }, query: audience ? { audience } : {} } };
  const save = () => action.run('save', async () => {
    await api.put('/api/v1/update-templates/{kind}', { ...at, body: { body } });
    setSaved(`Saved the ${kind} template for ${audience || 'any audience'}.`);
    await load();
  });
  const remove = () => action.run('delete', async () => {
    await api.delete('/api/v1/update-templates/{kind}', at);
    setSaved(`Deleted the ${kind} template for ${audience || 'any audience'}.`);
    await load();
    setBody('');
  });

  return (
    <div className="templates-page">
      <div className="page-head">
        <h1>Update templates</h1>
        <p className="muted">
          Liquid templates per kind and audience pre-fill the update composer. <a href="/status-pages/audiences" onClick={linkClick}>Audiences</a> ·{' '}
          <a href="/status-pages" onClick={linkClick}>Status pages</a>
        </p>
      </div>
      <ErrorBanner error={action.error} onDismiss={() => action.setError(null)} />
      <div className="templates-layout">
        <ul className="template-list" data-testid="template-list">
          {templates?.map((t) => (
            <li key={key(t)}>
              <button type="button" className={`btn btn-quiet btn-small ${current && key(current) === key(t) ? 'active' : ''}`} onClick={() => open(t)}>
                {t.kind} · {t.audience ?? 'any audience'}
              </button>{' '}
              <span className="muted">{t.source}</span>
            </li>
          ))}
        </ul>
        <div className="template-editor">
          <div className="update-row">
            <label className="field">
              <span>Kind</span>
              <select value={kind} onChange={(e) => setKind(e.target.value as UpdateKind)} aria-label="Template kind">
                {UPDATE_KINDS.map((k) => (
                  <option key={k} value={k}>
                    {k}
                  </option>
                ))}
              </select>
            </label>
            <label className="field">
              <span>Audience</span>
              <select value={audience} onChange={(e) => setAudience(e.target.value as Audience | '')} aria-label="Template audience">
                <option value="">any audience</option>
                {AUDIENCES.map((a) => (
                  <option key={a} value={a}>
                    {a}
                  </option>
                ))}
              </select>
            </label>
            <span className="muted">{current ? `source: ${current.source}` : 'new template'}</span>
          </div>
          <label className="field">
            <span>Template <span className="muted">(Liquid; {'{{ incident.title }}'}, {'{{ nextUpdateBy }}'} …)</span></span>
            <textarea rows={12} value={body} onChange={(e) => (setBody(e.target.value), setSaved(null))} aria-label="Template body" spellCheck={false} />
          </label>
          {problem ? (
            <p className="error-banner" role="alert" data-testid="template-error">
              {problem}
            </p>
          ) : null}
          {saved ? <p role="status">{saved}</p> : null}
          {isAdmin ? (
            <div className="form-actions">
              <button type="button" className="btn btn-primary" onClick={() => void save()} disabled={!body.trim() || problem !== null || current?.source === 'config' || action.busy !== null}>
                Save template
              </button>
              {current && current.source === 'api' ? (
                <button type="button" className="btn btn-quiet" onClick={() => void remove()}>
                  Delete template
                </button>
              ) : null}
            </div>
          ) : null}
          <h2>Preview {sample !== null ? <span className="muted">(incident #{sample})</span> : null}</h2>
          {sample === null ? <p className="muted">Declare an incident to preview templates against it.</p> : null}
          {preview !== null ? (
            <div className="update-preview" data-testid="template-preview">
              <Markdown source={preview} />
            </div>
          ) : null}
        </div>
      </div>
    </div>
  );
}
