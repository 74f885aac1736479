import { useEffect, useState, type FormEvent } from 'react';
import { api, call, client } from '../api/client.js';
import { actorRole } from '../api/types.js';
import { ErrorBanner, fieldError } from '../components/error-banner.js';
import { useApp } from '../lib/app-context.js';
import { linkClick } from '../lib/router.js';
import { useAction } from '../lib/use-action.js';
import './settings.css';

/** GET /checklist-templates (src/domain/tasks/checklist-template-view.ts). */
interface ChecklistGroup {
  name: string;
  dueOffsetSeconds: number;
  items: (string | { title: string; dueOffsetSeconds?: number })[];
}
interface ChecklistTemplate {
  id: string;
  slug: string;
  name: string;
  severities: string[];
  items: string[];
  trigger: 'on_open' | 'on_resolve';
  groups: ChecklistGroup[];
  managedBy: string | null;
}

/** A time window in the form: its due offset in hours, items one per line. */
interface GroupDraft {
  name: string;
  hours: string;
  items: string;
}

const lines = (text: string) => text.split('\n').map((s) => s.trim()).filter(Boolean);
const itemTitle = (i: ChecklistGroup['items'][number]) => (typeof i === 'string' ? i : i.title);
const dueText = (s: number) => (s === 0 ? 'at once' : s % 86_400 === 0 ? `within ${s / 86_400} d` : s % 3600 === 0 ? `within ${s / 3600} h` : `within ${Math.round(s / 60)} min`);
const TRIGGER_TEXT = { on_open: 'When the incident opens', on_resolve: 'When the incident resolves' } as const;

/**
 * Checklist templates: the tasks an incident of the listed severities gets when it opens (or is
 * raised to one of them), or when it resolves (post-incident follow-ups). Tasks come plain or in
 * time windows, each due some hours after the trigger, in the order shown.
 */
export function ChecklistTemplatesPage() {
  const { session } = useApp();
  const isAdmin = actorRole(session.actor) === 'admin';
  const [templates, setTemplates] = useState<ChecklistTemplate[] | null>(null);
  const [editing, setEditing] = useState<string | 'new' | null>(null);
  const [confirming, setConfirming] = useState<string | null>(null);
  const [version, setVersion] = useState(0);
  const action = useAction();

  useEffect(() => {
    document.title = 'Checklist templates · Firebreak';
    void action.run('load', async () => setTemplates((await api.get('/api/v1/checklist-templates')).items));
  }, [version, action.run]);
  const saved = () => {
    setEditing(null);
    setVersion((v) => v + 1);
  };
  const remove = (t: ChecklistTemplate) => action.run(`delete:${t.id}`, async () => {
    await call(client.DELETE('/api/v1/checklist-templates/{id}', { params: { path: { id: t.id } } }));
    setConfirming(null);
    setVersion((v) => v + 1);
  });

  return (
    <div className="settings-page">
      <div className="page-head">
        <h1>Checklist templates</h1>
        {isAdmin && editing === null ? (
          <button type="button" className="btn btn-primary btn-small" onClick={() => { setEditing('new'); setConfirming(null); }}>
            New template
          </button>
        ) : null}
      </div>
      <p className="muted">
        Tasks added to incidents of the chosen <a href="/severities" onClick={linkClick}>severities</a>. Incidents that already have them keep theirs when a template changes.
      </p>
      <ErrorBanner error={action.error} onDismiss={() => action.setError(null)} />
      {editing === 'new' ? (
        <section className="card" aria-labelledby="new-checklist-h">
          <h2 id="new-checklist-h">New checklist template</h2>
          <ChecklistForm template={null} onCancel={() => setEditing(null)} onSaved={saved} />
        </section>
      ) : null}
      {templates?.length === 0 ? <p className="empty muted">No checklist templates yet.</p> : null}
      <ul className="checklist-template-list" data-testid="checklist-templates">
        {templates?.map((t) => (
          <li key={t.id} className="card checklist-template-card" data-slug={t.slug}>
            {editing === t.id ? (
              <ChecklistForm template={t} onCancel={() => setEditing(null)} onSaved={saved} />
            ) : (
              <>
                <div className="severity-head">
                  <strong>{t.name}</strong> <span className="muted">{t.slug}</span>
                  {t.managedBy ? <span className="tag">firebreak.yaml</span> : null}
                </div>
                <p className="muted checklist-when">
                  {TRIGGER_TEXT[t.trigger]} · {t.severities.join(', ')}
                </p>
                {t.items.length ? (
                  <ol className="checklist-items">
                    {t.items.map((item, i) => <li key={i}>{item}</li>)}
                  </ol>
                ) : null}
                {t.groups.map((g, gi) => (
                  <div key={gi} className="checklist-group">
                    <strong>{g.name}</strong> <span className="muted">{dueText(g.dueOffsetSeconds)}</span>
                    <ol className="checklist-items">
                      {g.items.map((item, i) => <li key={i}>{itemTitle(item)}</li>)}
                    </ol>
                  </div>
                ))}
                {isAdmin && !t.managedBy ? (
                  <div className="form-actions">
                    <button type="button" className="btn btn-small" onClick={() => { setEditing(t.id); setConfirming(null); }} aria-label={`Edit ${t.name}`}>
                      Edit
                    </button>
                    {confirming === t.id ? (
                      <>
                        <button type="button" className="btn btn-danger btn-small" onClick={() => void remove(t)} disabled={action.busy !== null}>
                          Delete template
                        </button>
                        <button type="button" className="btn btn-quiet btn-small" onClick={() => setConfirming(null)}>
                          Cancel
                        </button>
                      </>
                    ) : (
                      <button type="button" className="btn btn-quiet btn-small" onClick={() => setConfirming(t.id)} aria-label={`Delete ${t.name}…`}>
                        Delete
                      </button>
                    )}
                  </div>
                ) : null}
              </>
            )}
          </li>
        ))}
      </ul>
    </div>
  );
}

function ChecklistForm({ template, onCancel, onSaved }: { template: ChecklistTemplate | null; onCancel: () => void; onSaved: () => void }) {
  const { severities } = useApp();
  const [name, setName] = useState(template?.name ?? '');
  const [slug, setSlug] = useState(template?.slug ?? '');
  const [chosen, setChosen] = useState<string[]>(template?.severities ?? []);
  const [trigger, setTrigger] = useState<'on_open' | 'on_resolve'>(template?.trigger ?? 'on_open');
  const [items, setItems] = useState(template?.items.join('\n') ?? '');
  const [groups, setGroups] = useState<GroupDraft[]>(
    template?.groups.map((g) => ({ name: g.name, hours: String(g.dueOffsetSeconds / 3600), items: g.items.map(itemTitle).join('\n') })) ?? [],
  );
  const save = useAction();

  const setGroup = (i: number, patch: Partial<GroupDraft>) => setGroups((gs) => gs.map((g, j) => (j === i ? { ...g, ...patch } : g)));
  const moveGroup = (i: number, by: number) => setGroups((gs) => {
    const next = [...gs];
    const [g] = next.splice(i, 1);
    next.splice(i + by, 0, g!);
    return next;
  });

  async function submit(event: FormEvent) {
    event.preventDefault();
    await save.run('save', async () => {
      const body = {
        name, slug, severities: chosen, trigger, items: lines(items),
        groups: groups.map((g) => ({ name: g.name, dueOffsetSeconds: Math.round(Number(g.hours || '0') * 3600), items: lines(g.items) })),
      };
      if (template) await call(client.PATCH('/api/v1/checklist-templates/{id}', { params: { path: { id: template.id } }, body: body }));
      else await call(client.POST('/api/v1/checklist-templates', { body: body }));
      onSaved();
    });
  }
  const err = (field: string) => fieldError(save.error, field);
  return (
    <form className="form checklist-form" onSubmit={(e) => void submit(e)} aria-label={template ? `Edit ${template.name}` : 'New checklist template'}>
      <ErrorBanner error={save.error} onDismiss={() => save.setError(null)} />
      <div className="level-grid">
        <label className="field">
          <span>Name</span>
          <input value={name} onChange={(e) => setName(e.target.value)} aria-label="Template name" aria-invalid={err('name') ? true : undefined} />
          {err('name') ? <small className="field-error">{err('name')}</small> : null}
        </label>
        <label className="field">
          <span>Slug</span>
          <input
            value={slug}
            onChange={(e) => setSlug(e.target.value)}
            aria-label="Template slug"
            placeholder="post-incident"
            aria-invalid={err('slug') ? true : undefined}
          />
          {err('slug') ? <small className="field-error">{err('slug')}</small> : null}
        </label>
        <label className="field">
          <span>When</span>
          <select value={trigger} onChange={(e) => setTrigger(e.target.value as 'on_open' | 'on_resolve')} aria-label="When">
            <option value="on_open">{TRIGGER_TEXT.on_open}</option>
            <option value="on_resolve">{TRIGGER_TEXT.on_resolve}</option>
          </select>
        </label>
      </div>
      <fieldset className="field">
        <legend>Severities</legend>
        <div className="checklist-severities">
          {severities.map((s) => (
            <label key={s.key} className="checkbox">
              <input type="checkbox" checked={chosen.includes(s.key)} onChange={(e) => setChosen((c) => (e.target.checked ? [...c, s.key] : c.filter((k) => k !== s.key)))} />
              {s.key}
            </label>
          ))}
        </div>
        {err('severities') ? <small className="field-error">{err('severities')}</small> : null}
      </fieldset>
      <label className="field">
        <span>Tasks (one per line, in order)</span>
        <textarea value={items} onChange={(e) => setItems(e.target.value)} rows={4} aria-label="Tasks" aria-invalid={err('items') ? true : undefined} />
        {err('items') ? <small className="field-error">{err('items')}</small> : null}
      </label>
      <div className="checklist-windows">
        <strong>Time windows</strong> <span className="muted">tasks due some hours after the trigger, in this order</span>
        {groups.map((g, i) => (
          <fieldset key={i} className="card checklist-window" aria-label={`Window ${i + 1}`}>
            <div className="level-grid">
              <label className="field">
                <span>Window name</span>
                <input value={g.name} onChange={(e) => setGroup(i, { name: e.target.value })} aria-label={`Window ${i + 1} name`} placeholder="Immediate (0–1 h)" />
              </label>
              <label className="field">
                <span>Due after (hours)</span>
                <input type="number" min={0} step="any" value={g.hours} onChange={(e) => setGroup(i, { hours: e.target.value })} aria-label={`Window ${i + 1} due after hours`} />
              </label>
            </div>
            <label className="field">
              <span>Tasks (one per line)</span>
              <textarea value={g.items} onChange={(e) => setGroup(i, { items: e.target.value })} rows={3} aria-label={`Window ${i + 1} tasks`} />
            </label>
            <div className="form-actions">
              <button type="button" className="btn btn-quiet btn-small" onClick={() => moveGroup(i, -1)} disabled={i === 0} aria-label={`Move window ${i + 1} up`}>↑</button>
              <button type="button" className="btn btn-quiet btn-small" onClick={() => moveGroup(i, 1)} disabled={i === groups.length - 1} aria-label={`Move window ${i + 1} down`}>↓</button>
              <button type="button" className="btn btn-quiet btn-small" onClick={() => setGroups((gs) => gs.filter((_, j) => j !== i))}>Remove window</button>
            </div>
          </fieldset>
        ))}
        <button type="button" className="btn btn-small" onClick={() => setGroups((gs) => [...gs, { name: '', hours: '1', items: '' }])}>
          Add time window
        </button>
      </div>
      <div className="form-actions">
        <button type="submit" className="btn btn-primary btn-small" disabled={save.busy !== null}>
          {save.busy ? 'Saving…' : 'Save template'}
        </button>
        <button type="button" className="btn btn-quiet btn-small" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}
