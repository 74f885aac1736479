import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { api, type BodyOf } from '../api/client.js';
import { actorRole } from '../api/types.js';
import { ErrorBanner } from '../components/error-banner.js';
import { useApp } from '../lib/app-context.js';
import { useAction } from '../lib/use-action.js';
import type { ChecklistTemplate } from './types.js';


const offset = (s: number) => (s % 86_400 === 0 ? `${s / 86_400} d` : s % 3600 === 0 ? `${s / 3600} h` : `${Math.round(s / 60)} min`);

const EXAMPLE = JSON.stringify(
  {
    slug: 'post-incident', name: 'Post-incident follow-up', severities: ['SEV1', 'SEV2'], trigger: 'on_resolve',
    groups: [
      { name: 'Immediate (0–1 h)', dueOffsetSeconds: 3600, items: ['Post the resolution update'] },
      { name: 'Short-term (1–24 h)', dueOffsetSeconds: 86400, items: ['Draft the post-mortem'] },
      { name: 'Long-term (1–7 days)', dueOffsetSeconds: 604800, items: ['Hold the review'] },
    ],
  },
  null,
  2,
);

/**
 * Checklist templates (on open, and post-incident ones on resolve with time windows): listed for
 * everyone; admins edit one as JSON, the same shape as a firebreak.yaml `checklists:` entry.
 */
export function ChecklistEditor() {
  const { session } = useApp();
  const isAdmin = actorRole(session.actor) === 'admin';
  const [templates, setTemplates] = useState<ChecklistTemplate[] | null>(null);
  const [source, setSource] = useState<string | null>(null);
  const load = useAction();
  const save = useAction();
  const reload = useCallback(() => load.run('load', async () => setTemplates((await api.get('/api/v1/checklist-templates')).items)), [load.run]);
  useEffect(() => {
    void reload();
  }, [reload]);

  async function submit(event: FormEvent) {
    event.preventDefault();
    await save.run('save', async () => {
      // Written by the admin as JSON: the server names each bad field.
      const body = JSON.parse(source ?? '{}') as BodyOf<'/api/v1/checklist-templates', 'post'>;
      const existing = templates?.find((t) => t.slug === body.slug);
      if (existing) await api.patch('/api/v1/checklist-templates/{id}', { params: { path: { id: existing.id } }, body });
      else await api.post('/api/v1/checklist-templates', { body });
      setSource(null);
      await reload();
    });
  }

  return (
    <section className="card" aria-labelledby="checklists-h">
      <div className="card-head">
        <h2 id="checklists-h">Checklist templates</h2>
        {isAdmin && source === null ? (
          <button type="button" className="btn btn-small" onClick={() => setSource(EXAMPLE)}>
            New checklist
          </button>
        ) : null}
      </div>
      <ErrorBanner error={load.error} />
      {templates?.length ? (
        <ul className="checklist-templates">
          {templates.map((t) => (
            <li key={t.id} data-testid="checklist-template">
              <strong>{t.name}</strong> <span className="muted">({t.slug}; {t.trigger === 'on_resolve' ? 'when resolved' : 'when opened'}; {t.severities.join(', ')})</span>
              {t.items.length ? <div className="muted">{t.items.length} items</div> : null}
              {t.groups.map((g) => (
                <div key={g.name} className="muted">
                  {g.name}, due +{offset(g.dueOffsetSeconds)}: {g.items.map((i) => (typeof i === 'string' ? i : i.title)).join(' · ')}
                </div>
              ))}
              {isAdmin && !t.managedBy ? (
                <button
                  type="button"
                  className="btn btn-quiet btn-small"
                  onClick={() => setSource(JSON.stringify({ slug: t.slug, name: t.name, severities: t.severities, trigger: t.trigger, items: t.items, groups: t.groups }, null, 2))}
                >
                  Edit {t.slug}
                </button>
              ) : t.managedBy ? (
                <span className="muted"> managed by firebreak.yaml</span>
              ) : null}
            </li>
          ))}
        </ul>
      ) : templates ? (
        <p className="muted">No checklist templates.</p>
      ) : null}
      {source !== null ? (
        <form className="form" onSubmit={(e) => void submit(e)} aria-label="Edit a checklist template">
          <ErrorBanner error={save.error} onDismiss={() => save.setError(null)} />
          <label className="field">
            <span>
              Template <span className="muted">(JSON: slug, name, severities, trigger on_open | on_resolve, items, groups with dueOffsetSeconds)</span>
            </span>
            <textarea rows={16} value={source} onChange={(e) => setSource(e.target.value)} aria-label="Checklist template JSON" spellCheck={false} />
          </label>
          <div className="form-actions">
            <button type="submit" className="btn btn-primary" disabled={save.busy !== null}>
              Save checklist
            </button>
            <button type="button" className="btn btn-quiet" onClick={() => (setSource(null), save.setError(null))}>
              Cancel
            </button>
          </div>
        </form>
      ) : null}
    </section>
  );
}
