import { useEffect, useState } from 'react';
import { api } from '../api/client.js';
import { ErrorBanner } from '../components/error-banner.js';
import { Markdown } from '../components/markdown.js';
import { linkClick } from '../lib/router.js';
import { useAction } from '../lib/use-action.js';
import { STATUS_TEXT, type Postmortem } from './types.js';

/**
 * The post-mortem editor: Markdown in a textarea with a live preview (markdown-it + DOMPurify,
 * the same renderer as everywhere), the public text for the status page, and the lifecycle
 * buttons. Saves are conditional on the version loaded (409 if someone else saved first).
 */
export function PostmortemEditorPage({ id }: { id: string }) {
  const action = useAction();
  const [pm, setPm] = useState<Postmortem | null>(null);
  const [body, setBody] = useState('');
  const [publicBody, setPublicBody] = useState('');
  const [loadError, setLoadError] = useState<unknown>(null);

  const take = (p: Postmortem) => {
    setPm(p);
    setBody(p.body);
    setPublicBody(p.publicBody);
  };
  useEffect(() => {
    api.get('/api/v1/postmortems/{postmortem}', { params: { path: { postmortem: id } } }).then(take, setLoadError);
  }, [id]);
  useEffect(() => {
    document.title = pm ? `${pm.title} · Firebreak` : 'Firebreak';
  }, [pm]);

  if (loadError) return <div className="narrow"><ErrorBanner error={loadError} /></div>;
  if (!pm) return <div className="empty muted">Loading post-mortem…</div>;

  const dirty = body !== pm.body || publicBody !== pm.publicBody;
  const at = { params: { path: { postmortem: pm.id } } };
  const save = () => action.run('save', async () => take(await api.patch('/api/v1/postmortems/{postmortem}', { ...at, body: { version: pm.version, body, publicBody } })));
  const move = (to: 'submit' | 'publish' | 'return') => action.run(to, async () => {
    if (dirty) take(await api.patch('/api/v1/postmortems/{postmortem}', { ...at, body: { version: pm.version, body, publicBody } }));
    take(await api.post(`/api/v1/postmortems/{postmortem}/${to}`, at));
  });
  const locked = pm.status === 'published';
  const first = pm.incidents[0];

  return (
    <article className="postmortem">
      <a href="/postmortems" className="back" onClick={linkClick}>← Post-mortems</a>
      <header className="pm-head">
        <h1>{pm.title}</h1>
        <p>
          <span className={`pm-status pm-${pm.status}`} data-testid="pm-status">{STATUS_TEXT[pm.status]}</span>
          {' · '}
          {pm.incidents.map((i, n) => (
            <span key={i.id}>{n ? ', ' : ''}<a href={`/incidents/${i.number}`} onClick={linkClick}>#{i.number} {i.title}</a></span>
          ))}
          {' · owner '}{pm.owner?.name ?? 'none'}
          {pm.reviewers.length ? ` · reviewers ${pm.reviewers.map((r) => r.name).join(', ')}` : ''}
          {pm.dueAt && !locked ? <span className={pm.overdue ? 'warn-text' : ''}> · due {new Date(pm.dueAt).toLocaleString()}</span> : null}
        </p>
        <div className="pm-actions">
          {!locked ? <button type="button" disabled={!dirty || action.busy !== null} onClick={() => void save()}>{action.busy === 'save' ? 'Saving…' : dirty ? 'Save' : 'Saved'}</button> : null}
          {pm.status === 'draft' ? <button type="button" className="primary" disabled={action.busy !== null} onClick={() => void move('submit')}>Submit for review</button> : null}
          {pm.status === 'in_review' ? <button type="button" className="primary" disabled={action.busy !== null} onClick={() => void move('publish')}>Publish</button> : null}
          {pm.status !== 'draft' ? <button type="button" disabled={action.busy !== null} onClick={() => void move('return')}>Return to draft</button> : null}
          <a className="button" href={first ? `/api/v1/incidents/${first.number}/postmortem.md` : '#'} download>Export Markdown</a>
        </div>
      </header>
      <ErrorBanner error={action.error} onDismiss={() => action.setError(null)} />
      <div className="pm-editor">
        <section aria-labelledby="pm-src-h">
          <h2 id="pm-src-h">Markdown</h2>
          <textarea aria-label="Post-mortem Markdown" value={body} readOnly={locked} onChange={(e) => setBody(e.target.value)} spellCheck rows={30} />
        </section>
        <section aria-labelledby="pm-preview-h">
          <h2 id="pm-preview-h">Preview</h2>
          <div className="pm-preview" data-testid="pm-preview"><Markdown source={body} headingOffset={1} /></div>
        </section>
      </div>
      <section className="card" aria-labelledby="pm-public-h">
        <h2 id="pm-public-h">Public text</h2>
        <p className="muted">Shown on the status page's public incident once published (Statuspage's <code>postmortem_body</code>). Leave empty to keep the post-mortem internal.</p>
        <textarea aria-label="Public post-mortem text" value={publicBody} onChange={(e) => setPublicBody(e.target.value)} rows={6} />
      </section>
    </article>
  );
}
