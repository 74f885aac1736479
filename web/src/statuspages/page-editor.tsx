import { useEffect, useState, type FormEvent } from 'react';
import { api } from '../api/client.js';
import { actorRole } from '../api/types.js';
import { useApp } from '../lib/app-context.js';
import { ComponentDraftList } from './component-draft-list.js';
import { draftFrom, duplicateNames, planSave, previewComponents, shownName, type DraftComponent } from './component-draft.js';
import type { StatusPage } from './status-pages-page.js';

const STATUSES = ['operational', 'under_maintenance', 'degraded_performance', 'partial_outage', 'major_outage'] as const;
type ComponentStatus = (typeof STATUSES)[number];
type AutoMode = StatusPage['autoPublish']['severities'][string];
const DEFAULT_MAP: Record<string, ComponentStatus> = { SEV1: 'major_outage', SEV2: 'partial_outage' };

/**
 * The page editor: name, severity → status mapping, auto-publish, and the components: new ones or
 * groups added, saved ones renamed, regrouped, remapped, reordered or removed (component-draft.ts),
 * with a live preview of the public page as it would look with the unsaved changes (the server
 * renders it from the definition: POST /status-pages/preview), refreshed as you type.
 */
export function PageEditor({ page, onSaved, onError }: { page: StatusPage; onSaved: () => void; onError: (e: unknown) => void }) {
  const { severities, services, session } = useApp();
  const isAdmin = actorRole(session.actor) === 'admin';
  const [name, setName] = useState(page.name);
  const [map, setMap] = useState<Record<string, ComponentStatus>>({ ...DEFAULT_MAP, ...page.severityMap });
  const [auto, setAuto] = useState<Record<string, AutoMode>>(page.autoPublish.severities);
  const [title, setTitle] = useState(page.autoPublish.title);
  const [body, setBody] = useState(page.autoPublish.body);
  const [components, setComponents] = useState<DraftComponent[]>(() => draftFrom(page));
  const [html, setHtml] = useState<string | null>(null);
  const [previewError, setPreviewError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const duplicates = duplicateNames(components);

  useEffect(() => {
    setName(page.name);
    setMap({ ...DEFAULT_MAP, ...page.severityMap });
    setAuto(page.autoPublish.severities);
    setTitle(page.autoPublish.title);
    setBody(page.autoPublish.body);
    setComponents(draftFrom(page));
  }, [page]);

  // Live preview: re-rendered by the server shortly after each edit; stale answers are dropped.
  useEffect(() => {
    if (!isAdmin) return;
    let stale = false;
    const timer = setTimeout(() => {
      api.post('/api/v1/status-pages/preview', { body: {
        page: page.slug, name: name.trim() || page.name, severityMap: map,
        components: previewComponents(components),
      } }).then((r) => { if (!stale) { setHtml(r.html); setPreviewError(null); } }, (e: unknown) => { if (!stale) setPreviewError(e instanceof Error ? e.message : String(e)); });
    }, 150);
    return () => {
      stale = true;
      clearTimeout(timer);
    };
  }, [isAdmin, page.slug, page.name, name, map, components]);

  const save = async (e: FormEvent) => {
    e.preventDefault();
    setSaving(true);
    let applied = 0;
    try {
      await api.patch('/api/v1/status-pages/{page}', { params: { path: { page: page.slug } }, body: { name, severityMap: map, autoPublish: { severities: auto, title, body } } });
      // Removals, then changes by id in final order, then additions (component-draft.ts: planSave).
      const plan = planSave(components);
      const path = (component: string) => ({ path: { page: page.slug, component } });
      for (const id of plan.removals) { await api.delete('/api/v1/status-pages/{page}/components/{component}', { params: path(id) }); applied += 1; }
      for (const { id, body: change } of plan.changes) { await api.patch('/api/v1/status-pages/{page}/components/{component}', { params: path(id), body: change }); applied += 1; }
      for (const c of plan.additions) { await api.post('/api/v1/status-pages/{page}/components', { params: { path: { page: page.slug } }, body: c }); applied += 1; }
      onError(null);
      onSaved();
    } catch (err) {
      onError(err);
      // Part of the components' plan was applied: show the page as the server now has it (the
      // error stays), so a second Save starts from the truth instead of repeating what was done.
      if (applied > 0) onSaved();
    } finally {
      setSaving(false);
    }
  };

  return (
    <div className="sp-editor" style={{ display: 'flex', gap: '1.5rem', flexWrap: 'wrap', alignItems: 'flex-start' }}>
      <form onSubmit={(e) => void save(e)} aria-label="Edit status page" style={{ flex: '1 1 22rem' }}>
        <label>
          Page name <input value={name} onChange={(e) => setName(e.target.value)} required />
        </label>
        <fieldset>
          <legend>Severity → component status</legend>
          {severities.map((s) => (
            <label key={s.key} style={{ display: 'block' }}>
              {s.key}{' '}
              <select aria-label={`Status for ${s.key}`} value={map[s.key] ?? 'degraded_performance'} onChange={(e) => setMap({ ...map, [s.key]: e.target.value as ComponentStatus })}>
                {STATUSES.map((st) => <option key={st} value={st}>{st.replace(/_/g, ' ')}</option>)}
              </select>{' '}
              <select aria-label={`Auto-publish for ${s.key}`} value={auto[s.key] ?? ''} onChange={(e) => { const next = { ...auto }; if (e.target.value) next[s.key] = e.target.value as AutoMode; else delete next[s.key]; setAuto(next); }}>
                <option value="">no auto-publish</option>
                <option value="draft">draft (one click to publish)</option>
                <option value="publish">publish at once</option>
              </select>
            </label>
          ))}
        </fieldset>
        <label style={{ display: 'block' }}>
          Auto-publish title template <input value={title} onChange={(e) => setTitle(e.target.value)} placeholder="default: {{ components | join: &quot;, &quot; }}: degraded service" style={{ width: '100%' }} />
        </label>
        <label style={{ display: 'block' }}>
          Auto-publish first update template <textarea value={body} onChange={(e) => setBody(e.target.value)} rows={2} style={{ width: '100%' }} />
        </label>
        <p className="muted">Templates see page.name, severity, impact and components, never the internal incident.</p>
        <NewComponent components={components} onAdd={(c) => setComponents([...components, c])} services={services ?? []} />
        <ComponentDraftList components={components} services={services ?? []} onChange={setComponents} />
        {duplicates.length > 0 ? <p className="error" role="alert">Component names must be unique on a page: {duplicates.join(', ')} would be used twice.</p> : null}
        <button type="submit" className="btn" disabled={saving || duplicates.length > 0}>Save page</button>
      </form>
      <div style={{ flex: '0 1 420px' }}>
        <h2>Live preview</h2>
        {previewError ? <p className="error" role="alert">{previewError}</p> : null}
        <iframe title={`Preview of ${page.name}`} sandbox="" srcDoc={html ?? ''} style={{ width: '100%', maxWidth: 420, height: 640, border: '1px solid #ccc', borderRadius: 8 }} />
      </div>
    </div>
  );
}

let added = 0;

function NewComponent({ components, services, onAdd }: { components: DraftComponent[]; services: { id: string; name: string }[]; onAdd: (c: DraftComponent) => void }) {
  const [name, setName] = useState('');
  const [group, setGroup] = useState('');
  const [isGroup, setIsGroup] = useState(false);
  const [chosen, setChosen] = useState<string[]>([]);
  const add = () => {
    if (!name.trim()) return;
    onAdd({ key: `new-${++added}`, saved: null, name: name.trim(), group: isGroup ? null : group || null, isGroup, services: isGroup ? [] : chosen, removed: false });
    setName('');
    setChosen([]);
  };
  return (
    <fieldset>
      <legend>New component</legend>
      <label>
        Component name <input value={name} onChange={(e) => setName(e.target.value)} onKeyDown={(e) => { if (e.key === 'Enter') { e.preventDefault(); add(); } }} />
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
              {components.filter((c) => c.isGroup && !c.removed).map((c) => <option key={c.key} value={c.key}>{shownName(c)}</option>)}
            </select>
          </label>{' '}
          <label>
            Services{' '}
            <select multiple value={chosen} onChange={(e) => setChosen([...e.target.selectedOptions].map((o) => o.value))}>
              {services.map((s) => <option key={s.id} value={s.id}>{s.name}</option>)}
            </select>
          </label>
        </>
      ) : null}{' '}
      <button type="button" className="btn" onClick={add}>Add to page</button>
    </fieldset>
  );
}
