import { useEffect, useState, type ReactNode } from 'react';
import { api } from '../api/client.js';
import { actorRole } from '../api/types.js';
import { ErrorBanner } from '../components/error-banner.js';
import { TimeAgo } from '../components/time-ago.js';
import { useApp } from '../lib/app-context.js';
import { linkClick, navigate } from '../lib/router.js';
import { useAction } from '../lib/use-action.js';
import { IntegrationBadges } from './integration-list.js';
import { KeyOnce, SenderConfigView } from './sender-config.js';
import { formatLabel, type Integration, type IntegrationWithKey } from './types.js';
import './integrations.css';

/** One integration: its URL and snippet, and (for admins) rotate, disable/enable and delete. */
export function IntegrationPage({ id }: { id: string }) {
  const isAdmin = actorRole(useApp().session.actor) === 'admin';
  const [integration, setIntegration] = useState<Integration | null>(null);
  const [loadError, setLoadError] = useState<unknown>(null);
  // The key from the last rotation, shown until the user leaves the page: never fetched again.
  const [freshKey, setFreshKey] = useState<IntegrationWithKey | null>(null);
  const [confirming, setConfirming] = useState<'rotate' | 'delete' | null>(null);
  const action = useAction();

  useEffect(() => {
    let stale = false;
    api.get('/api/v1/integrations/{id}', { params: { path: { id } } }).then(
      (r) => {
        if (stale) return;
        setIntegration(r);
        document.title = `${r.name} · Integrations · Firebreak`;
      },
      (e: unknown) => !stale && setLoadError(e),
    );
    return () => {
      stale = true;
    };
  }, [id]);

  if (loadError) {
    return (
      <div className="integrations">
        <a href="/integrations" className="back" onClick={linkClick}>← Integrations</a>
        <ErrorBanner error={loadError} />
      </div>
    );
  }
  if (!integration) return <p className="muted">Loading integration…</p>;

  const managed = integration.managedBy !== null;
  const path = { params: { path: { id: integration.id } } };

  const setDisabled = (disabled: boolean) =>
    action.run(disabled ? 'disable' : 'enable', async () => setIntegration(await api.patch('/api/v1/integrations/{id}', { ...path, body: { disabled } })));
  const rotate = () =>
    action.run('rotate', async () => {
      const rotated = await api.post('/api/v1/integrations/{id}/rotate-key', path);
      setIntegration(rotated);
      setFreshKey(rotated);
      setConfirming(null);
    });
  const remove = () =>
    action.run('delete', async () => {
      await api.delete('/api/v1/integrations/{id}', path);
      navigate('/integrations');
    });

  return (
    <article className="integrations int-page">
      <a href="/integrations" className="back" onClick={linkClick}>← Integrations</a>
      <div className="int-row-head">
        <h1 className="int-title">{integration.name}</h1>
        <IntegrationBadges integration={integration} />
      </div>
      <div className="int-meta muted">
        <span>{formatLabel(integration.format)}</span>
        <span>service: {integration.service ? integration.service.name : 'none (routing rules decide)'}</span>
        <span>key {integration.keyHint}</span>
        <span>
          created <TimeAgo iso={integration.createdAt} />
        </span>
        {integration.format === 'heartbeat' ? (
          <span>last ping {integration.lastHeartbeatAt ? <TimeAgo iso={integration.lastHeartbeatAt} /> : 'never'}</span>
        ) : null}
      </div>
      {integration.disabled ? <p className="warn-text">Disabled: the sender gets 401 until it is enabled again.</p> : null}

      <section className="card" aria-labelledby="int-sender-h">
        <h2 id="int-sender-h">Connect the sender</h2>
        {freshKey ? <KeyOnce keyValue={freshKey.key} /> : null}
        <SenderConfigView format={integration.format} sender={freshKey ? freshKey.sender : integration.sender} withKey={freshKey !== null} />
      </section>

      {isAdmin ? (
        <section className="card int-actions" aria-labelledby="int-actions-h">
          <h2 id="int-actions-h">Manage</h2>
          <ErrorBanner error={action.error} onDismiss={() => action.setError(null)} />
          {managed ? (
            <p className="muted">Declared in firebreak.yaml: rename, rotate and delete it there (its key comes from the file’s keyFile or keyEnv). Disabling works here, at once.</p>
          ) : null}
          <div className="form-actions">
            {integration.disabled ? (
              <button type="button" className="btn" disabled={action.busy !== null} onClick={() => void setDisabled(false)}>
                {action.busy === 'enable' ? 'Enabling…' : 'Enable'}
              </button>
            ) : (
              <button type="button" className="btn" disabled={action.busy !== null} onClick={() => void setDisabled(true)}>
                {action.busy === 'disable' ? 'Disabling…' : 'Disable'}
              </button>
            )}
            {!managed && confirming === null ? (
              <>
                <button type="button" className="btn" disabled={action.busy !== null} onClick={() => setConfirming('rotate')}>
                  Rotate key
                </button>
                <button type="button" className="btn btn-danger" disabled={action.busy !== null} onClick={() => setConfirming('delete')}>
                  Delete
                </button>
              </>
            ) : null}
          </div>
          {confirming === 'rotate' ? (
            <ConfirmPanel
              label="Confirm key rotation"
              confirm={action.busy === 'rotate' ? 'Rotating…' : 'Rotate now'}
              tone="btn-primary"
              busy={action.busy !== null}
              onConfirm={() => void rotate()}
              onCancel={() => setConfirming(null)}
            >
              The current key stops working at once: every sender using it gets 401 until you paste the new one.
            </ConfirmPanel>
          ) : null}
          {confirming === 'delete' ? (
            <ConfirmPanel
              label="Confirm delete"
              confirm={action.busy === 'delete' ? 'Deleting…' : 'Delete integration'}
              tone="btn-danger"
              busy={action.busy !== null}
              onConfirm={() => void remove()}
              onCancel={() => setConfirming(null)}
            >
              Delete <strong>{integration.name}</strong>? Its key stops working at once; the alerts it received stay.
            </ConfirmPanel>
          ) : null}
        </section>
      ) : null}
    </article>
  );
}

/** A destructive action's second step: what will happen, then confirm or cancel. */
function ConfirmPanel(props: {
  label: string;
  confirm: string;
  tone: 'btn-primary' | 'btn-danger';
  busy: boolean;
  onConfirm(): void;
  onCancel(): void;
  children: ReactNode;
}) {
  return (
    <div className="int-confirm" role="group" aria-label={props.label}>
      <p>{props.children}</p>
      <div className="form-actions">
        <button type="button" className={`btn ${props.tone}`} disabled={props.busy} onClick={props.onConfirm}>
          {props.confirm}
        </button>
        <button type="button" className="btn btn-quiet" onClick={props.onCancel}>
          Cancel
        </button>
      </div>
    </div>
  );
}
