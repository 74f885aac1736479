import { useEffect, useState, type FormEvent } from 'react';
import { api, call, client } from '../api/client.js';
import { actorRole } from '../api/types.js';
import { ErrorBanner, fieldError } from '../components/error-banner.js';
import { useApp } from '../lib/app-context.js';
import { linkClick } from '../lib/router.js';
import { secondsText } from '../lib/time.js';
import { useAction } from '../lib/use-action.js';
import './settings.css';

/** GET /severities (src/domain/severities/list-severities.ts). */
interface SeverityLevel {
  key: string;
  rank: number;
  name: string;
  description: string;
  ackTargetSeconds: number | null;
  resolveTargetSeconds: number | null;
  updateCadenceSeconds: number | null;
  postmortemRequired: boolean;
  managedBy: string | null;
}

/** Minutes in the form, seconds on the wire; empty means "no target". */
const toMinutes = (s: number | null) => (s === null ? '' : String(Math.round(s / 60)));
function toSeconds(minutes: string): number | null {
  const t = minutes.trim();
  return t === '' ? null : Math.round(Number(t) * 60);
}

/**
 * The severity ladder, most severe first: targets (acknowledge, resolve) and how often
 * stakeholders hear an update. Admins add, edit, move and remove levels one at a time; the
 * server refuses removing a level open incidents use, and says which.
 */
export function SeveritiesPage() {
  const { session, refresh } = useApp();
  const isAdmin = actorRole(session.actor) === 'admin';
  const [levels, setLevels] = useState<SeverityLevel[] | null>(null);
  const [editing, setEditing] = useState<string | 'new' | null>(null);
  const [confirming, setConfirming] = useState<string | null>(null);
  const action = useAction();

  const apply = async (p: Promise<{ items: SeverityLevel[] }>) => {
    setLevels((await p).items);
    await refresh();
  };
  useEffect(() => {
    document.title = 'Severities · Firebreak';
    void action.run('load', async () => setLevels((await api.get('/api/v1/severities')).items));
  }, [action.run]);

  const managed = levels?.some((l) => l.managedBy !== null) ?? false;
  const canEdit = isAdmin && !managed;
  const move = (l: SeverityLevel, by: number) => action.run(`move:${l.key}`, () => apply(call(client.PATCH('/api/v1/severities/{key}', { params: { path: { key: l.key } }, body: { position: l.rank + by } }))));
  const remove = (l: SeverityLevel) => action.run(`delete:${l.key}`, async () => {
    await apply(call(client.DELETE('/api/v1/severities/{key}', { params: { path: { key: l.key } } })));
    setConfirming(null);
  });

  return (
    <div className="settings-page">
      <div className="page-head">
        <h1>Severities</h1>
        {canEdit && editing === null ? (
          <button type="button" className="btn btn-primary btn-small" onClick={() => { setEditing('new'); setConfirming(null); }}>
            New level
          </button>
        ) : null}
      </div>
      <p className="muted">
        Most severe first. Targets are judged from detection; the update cadence reminds the commander to post an update.{' '}
        <a href="/checklists" onClick={linkClick}>Checklist templates</a>
      </p>
      {managed ? <p className="muted">The ladder is declared in firebreak.yaml: change it there.</p> : null}
      <ErrorBanner error={action.error} onDismiss={() => action.setError(null)} />
      {editing === 'new' ? (
        <section className="card" aria-labelledby="new-level-h">
          <h2 id="new-level-h">New level</h2>
          <LevelForm level={null} count={levels?.length ?? 0} onCancel={() => setEditing(null)} onSaved={async (items) => { setLevels(items); setEditing(null); await refresh(); }} />
        </section>
      ) : null}
      <ol className="severity-ladder" data-testid="severity-ladder">
        {levels?.map((l, i) => (
          <li key={l.key} className="card severity-level" data-key={l.key}>
            {editing === l.key ? (
              <LevelForm level={l} count={levels.length} onCancel={() => setEditing(null)} onSaved={async (items) => { setLevels(items); setEditing(null); await refresh(); }} />
            ) : (
              <>
                <div className="severity-head">
                  <strong className="severity-key">{l.key}</strong> <span>{l.name}</span>
                  {l.postmortemRequired ? <span className="tag">post-mortem required</span> : null}
                </div>
                {l.description ? <p className="muted severity-description">{l.description}</p> : null}
                <dl className="severity-targets">
                  <div><dt>Acknowledge</dt><dd>{l.ackTargetSeconds === null ? 'no target' : secondsText(l.ackTargetSeconds)}</dd></div>
                  <div><dt>Resolve</dt><dd>{l.resolveTargetSeconds === null ? 'no target' : secondsText(l.resolveTargetSeconds)}</dd></div>
                  <div><dt>Updates every</dt><dd>{l.updateCadenceSeconds === null ? 'no cadence' : secondsText(l.updateCadenceSeconds)}</dd></div>
                </dl>
                {canEdit ? (
                  <div className="form-actions">
                    <button type="button" className="btn btn-small" onClick={() => { setEditing(l.key); setConfirming(null); }} aria-label={`Edit ${l.key}`}>
                      Edit
                    </button>
                    <button type="button" className="btn btn-quiet btn-small" onClick={() => void move(l, -1)} disabled={i === 0 || action.busy !== null} aria-label={`Move ${l.key} up`}>
                      ↑
                    </button>
                    <button type="button" className="btn btn-quiet btn-small" onClick={() => void move(l, 1)} disabled={i === levels.length - 1 || action.busy !== null} aria-label={`Move ${l.key} down`}>
                      ↓
                    </button>
                    {confirming === l.key ? (
                      <>
                        <button type="button" className="btn btn-danger btn-small" onClick={() => void remove(l)} disabled={action.busy !== null}>
                          Delete {l.key}
                        </button>
                        <button type="button" className="btn btn-quiet btn-small" onClick={() => setConfirming(null)}>
                          Cancel
                        </button>
                      </>
                    ) : (
                      <button type="button" className="btn btn-quiet btn-small" onClick={() => setConfirming(l.key)} aria-label={`Delete ${l.key}…`}>
                        Delete
                      </button>
                    )}
                  </div>
                ) : null}
              </>
            )}
          </li>
        ))}
      </ol>
    </div>
  );
}

function LevelForm({ level, count, onCancel, onSaved }: { level: SeverityLevel | null; count: number; onCancel: () => void; onSaved: (items: SeverityLevel[]) => Promise<void> }) {
  const [key, setKey] = useState(level?.key ?? '');
  const [name, setName] = useState(level?.name ?? '');
  const [description, setDescription] = useState(level?.description ?? '');
  const [ack, setAck] = useState(toMinutes(level?.ackTargetSeconds ?? null));
  const [resolve, setResolve] = useState(toMinutes(level?.resolveTargetSeconds ?? null));
  const [cadence, setCadence] = useState(toMinutes(level?.updateCadenceSeconds ?? null));
  const [position, setPosition] = useState(String(level ? level.rank : count));
  const save = useAction();

  async function submit(event: FormEvent) {
    event.preventDefault();
    await save.run('save', async () => {
      const body = {
        key, name, description, ackTargetSeconds: toSeconds(ack), resolveTargetSeconds: toSeconds(resolve), updateCadenceSeconds: toSeconds(cadence), position: Number(position),
      };
      const res = level
        ? await api.patch('/api/v1/severities/{key}', { params: { path: { key: level.key } }, body: body })
        : await api.post('/api/v1/severities', { body: body });
      await onSaved(res.items);
    });
  }
  const err = (field: string) => fieldError(save.error, field);
  const positions = Array.from({ length: level ? count : count + 1 }, (_, i) => i);
  const minutes = (label: string, field: string, value: string, set: (v: string) => void) => (
    <label className="field">
      <span>{label}</span>
      <input type="number" min={1} step={1} inputMode="numeric" value={value} onChange={(e) => set(e.target.value)} aria-label={label} placeholder="none" aria-invalid={err(field) ? true : undefined} />
      {err(field) ? <small className="field-error">{err(field)}</small> : null}
    </label>
  );
  return (
    <form className="form level-form" onSubmit={(e) => void submit(e)} aria-label={level ? `Edit ${level.key}` : 'New severity level'}>
      <ErrorBanner error={save.error} onDismiss={() => save.setError(null)} />
      <div className="level-grid">
        <label className="field">
          <span>Key</span>
          <input value={key} onChange={(e) => setKey(e.target.value)} aria-label="Severity key" placeholder="SEV1" aria-invalid={err('key') ? true : undefined} />
          {err('key') ? <small className="field-error">{err('key')}</small> : null}
        </label>
        <label className="field">
          <span>Name</span>
          <input value={name} onChange={(e) => setName(e.target.value)} aria-label="Severity name" placeholder="Critical" aria-invalid={err('name') ? true : undefined} />
          {err('name') ? <small className="field-error">{err('name')}</small> : null}
        </label>
        {minutes('Acknowledge target (minutes)', 'ackTargetSeconds', ack, setAck)}
        {minutes('Resolve target (minutes)', 'resolveTargetSeconds', resolve, setResolve)}
        {minutes('Update cadence (minutes)', 'updateCadenceSeconds', cadence, setCadence)}
        <label className="field">
          <span>Place on the ladder</span>
          <select value={position} onChange={(e) => setPosition(e.target.value)} aria-label="Place on the ladder">
            {positions.map((p) => (
              <option key={p} value={p}>{p === 0 ? '1 (most severe)' : String(p + 1)}</option>
            ))}
          </select>
        </label>
      </div>
      <label className="field">
        <span>Description</span>
        <textarea value={description} onChange={(e) => setDescription(e.target.value)} rows={2} aria-label="Severity description" />
      </label>
      <div className="form-actions">
        <button type="submit" className="btn btn-primary btn-small" disabled={save.busy !== null}>
          {save.busy ? 'Saving…' : 'Save level'}
        </button>
        <button type="button" className="btn btn-quiet btn-small" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}
