import { useCallback, useEffect, useRef, useState } from 'react';
import { api } from '../api/client.js';
import { CoverForMe } from '../schedules/cover-for-me.js';
import { CalendarFeed } from '../components/calendar-feed.js';
import { ErrorBanner, fieldError } from '../components/error-banner.js';
import { useApp } from '../lib/app-context.js';
import { useAction } from '../lib/use-action.js';
import type { ContactKind, ContactList, ContactMethod, Delivery } from './types.js';
import './oncall.css';

const KINDS: { kind: ContactKind; name: string; placeholder: string }[] = [
  { kind: 'webhook', name: 'Webhook', placeholder: 'https://hooks.example.com/firebreak' },
  { kind: 'slack', name: 'Slack incoming webhook', placeholder: 'https://hooks.slack.com/services/…' },
  { kind: 'email', name: 'Email', placeholder: 'you@example.com' },
  { kind: 'ntfy', name: 'ntfy push', placeholder: 'https://ntfy.example.com/your-topic' },
];

/** How long "Send test" waits for the worker's verdict before saying it is still queued. */
const TEST_WAIT_MS = 60_000;
const POLL_MS = 500;

/** Same rule as `firebreak contact test`: a result exists once an attempt finished (sent, failed, or failed and queued to retry). */
const settled = (d: Delivery): boolean => d.status === 'sent' || d.status === 'failed' || d.status === 'cancelled' || (d.status === 'pending' && d.attempts > 0);

function describeDelivery(d: Delivery): string {
  const code = d.lastStatusCode !== null ? `HTTP ${d.lastStatusCode}` : null;
  const latency = d.latencyMs !== null ? `${d.latencyMs} ms` : null;
  if (d.status === 'sent') return `Delivered${code || latency ? ` (${[code, latency].filter(Boolean).join(', ')})` : ''}`;
  const retry = d.status === 'pending' ? '; it will be retried' : '';
  // The error often already starts with the status ("HTTP 500 …"); say it once.
  const parts = d.lastError && code && d.lastError.includes(code) ? [d.lastError] : [code, d.lastError];
  return `Not delivered: ${parts.filter(Boolean).join(' — ') || d.status}${retry}`;
}

type TestResult = { state: 'sending' } | { state: 'done'; ok: boolean; text: string; deliveryId: string };

/** The signed-in user's contact methods and notification rules: add, remove, test-send. */
export function ContactMethodsPage() {
  const { session } = useApp();
  const userId = session.actor.type === 'user' ? (session.actor.id ?? null) : null;
  const [list, setList] = useState<ContactList | null>(null);
  const [loadError, setLoadError] = useState<unknown>(null);

  const load = useCallback(async () => {
    try {
      setList(await api.get('/api/v1/contact-methods'));
      setLoadError(null);
    } catch (e) {
      setLoadError(e);
    }
  }, []);

  useEffect(() => {
    document.title = 'My contact methods · Firebreak';
    void load();
  }, [load]);

  return (
    <div className="contacts-page">
      <h1>My contact methods</h1>
      <p className="muted">
        Where Firebreak pages you. Notification rules say when each method is used after a page (for example push at 0 s, email after 120 s); with no
        rules at all, every method is used at once.
      </p>
      <ErrorBanner error={loadError} />
      {list === null && !loadError ? <p className="muted">Loading…</p> : null}
      {list?.items.length === 0 ? <p className="warn-text">You have no contact methods, so you cannot be paged. Add one below.</p> : null}
      <ul className="contact-list">
        {list?.items.map((cm) => (
          <ContactCard key={cm.id} cm={cm} list={list} reload={load} />
        ))}
      </ul>
      <AddContactMethod onAdded={load} />
      {userId ? (
        <section className="contacts-feed">
          <h2>My shifts in my calendar</h2>
          <p className="muted">Every shift you have on any schedule, 30 days back and 90 ahead, kept current by your calendar app.</p>
          <CalendarFeed feed={{ user: userId }} label="My on-call shifts (iCalendar)" />
        </section>
      ) : null}
      {userId ? <CoverForMe userId={userId} /> : null}
    </div>
  );
}

function ContactCard({ cm, list, reload }: { cm: ContactMethod; list: ContactList; reload: () => Promise<void> }) {
  const { busy, error, setError, run } = useAction();
  const [test, setTest] = useState<TestResult | null>(null);
  const [delay, setDelay] = useState('');
  const mounted = useRef(true);
  useEffect(() => () => {
    mounted.current = false;
  }, []);
  const rules = list.rules.filter((r) => r.contactMethodId === cm.id).sort((a, b) => a.delaySeconds - b.delaySeconds);
  const kindName = KINDS.find((k) => k.kind === cm.kind)?.name ?? cm.kind;

  const sendTest = async () => {
    setTest({ state: 'sending' });
    const ok = await run('test', async () => {
      const { deliveryId } = await api.post('/api/v1/contact-methods/{id}/test', { params: { path: { id: cm.id } } });
      const until = Date.now() + TEST_WAIT_MS;
      for (;;) {
        const d = await api.get('/api/v1/deliveries/{id}', { params: { path: { id: deliveryId } } });
        if (!mounted.current) return;
        if (settled(d)) {
          setTest({ state: 'done', ok: d.status === 'sent', text: describeDelivery(d), deliveryId: d.id });
          return;
        }
        if (Date.now() > until) {
          setTest({ state: 'done', ok: false, text: `No result after ${TEST_WAIT_MS / 1000} s; the test is still queued (is a worker running?)`, deliveryId });
          return;
        }
        await new Promise((r) => setTimeout(r, POLL_MS));
      }
    });
    if (!ok && mounted.current) setTest(null);
  };

  return (
    <li className="card contact-card" data-contact={cm.id} data-kind={cm.kind}>
      <div className="contact-head">
        <span className="tag">{kindName}</span>
        <strong className="contact-label">{cm.label}</strong>
      </div>
      <div className="contact-address">{cm.address}</div>
      {cm.disabledReason ? <p className="warn-text">Disabled: {cm.disabledReason}</p> : null}
      <div className="contact-rules">
        <span className="muted">Notify after: </span>
        {rules.length ? (
          rules.map((r) => (
            <span key={r.id} className="contact-rule">
              {r.delaySeconds} s
              <button
                type="button"
                className="btn-icon"
                aria-label={`Remove the ${r.delaySeconds} s rule`}
                disabled={busy !== null}
                onClick={() => void run('rule', async () => {
                  await api.delete('/api/v1/notification-rules/{id}', { params: { path: { id: r.id } } });
                  await reload();
                })}
              >
                ×
              </button>
            </span>
          ))
        ) : (
          <span className="muted">{list.rules.length ? 'no rule: not used for pages' : 'at once (no rules yet)'}</span>
        )}
      </div>
      <form
        className="inline-form contact-rule-form"
        onSubmit={(e) => {
          e.preventDefault();
          void run('rule', async () => {
            await api.post('/api/v1/notification-rules', { body: { contactMethod: cm.id, delaySeconds: Number(delay) } });
            setDelay('');
            await reload();
          });
        }}
      >
        <label className="sr-only" htmlFor={`delay-${cm.id}`}>Delay in seconds for {cm.label}</label>
        <input id={`delay-${cm.id}`} type="number" min={0} max={86400} step={1} required placeholder="seconds after a page" value={delay} onChange={(e) => setDelay(e.target.value)} />
        <button type="submit" className="btn btn-small" disabled={busy !== null}>Add rule</button>
      </form>
      <div className="form-actions contact-actions">
        <button type="button" className="btn btn-small btn-primary" disabled={busy !== null || test?.state === 'sending'} onClick={() => void sendTest()}>
          {test?.state === 'sending' ? 'Sending…' : 'Send test'}
        </button>
        <button
          type="button"
          className="btn btn-small btn-quiet"
          disabled={busy !== null}
          onClick={() => {
            if (!window.confirm(`Remove ${cm.label}? You will no longer be paged there.`)) return;
            void run('remove', async () => {
              await api.delete('/api/v1/contact-methods/{id}', { params: { path: { id: cm.id } } });
              await reload();
            });
          }}
        >
          Remove
        </button>
      </div>
      <div className="contact-test" aria-live="polite">
        {test?.state === 'sending' ? <span className="muted">Sending a test…</span> : null}
        {test?.state === 'done' ? (
          <span className={test.ok ? 'contact-ok' : 'warn-text'} data-delivery={test.deliveryId}>
            {test.text}
          </span>
        ) : null}
      </div>
      <ErrorBanner error={error} onDismiss={() => setError(null)} />
    </li>
  );
}

function AddContactMethod({ onAdded }: { onAdded: () => Promise<void> }) {
  const [kind, setKind] = useState<ContactKind>('webhook');
  const [label, setLabel] = useState('');
  const [address, setAddress] = useState('');
  const [secret, setSecret] = useState('');
  const [shownSecret, setShownSecret] = useState<string | null>(null);
  const { busy, error, setError, run } = useAction();
  const spec = KINDS.find((k) => k.kind === kind)!;
  const addressError = fieldError(error, 'address');

  return (
    <section className="card contact-add" aria-labelledby="contact-add-h">
      <h2 id="contact-add-h">Add a contact method</h2>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          setShownSecret(null);
          void run('add', async () => {
            const created = await api.post('/api/v1/contact-methods', { body: {
              kind,
              address: address.trim(),
              ...(label.trim() ? { label: label.trim() } : {}),
              ...(secret ? { secret } : {}),
            } });
            if (created.secret) setShownSecret(created.secret);
            setLabel('');
            setAddress('');
            setSecret('');
            await onAdded();
          });
        }}
      >
        <label className="field">
          <span>Channel</span>
          <select value={kind} onChange={(e) => setKind(e.target.value as ContactKind)}>
            {KINDS.map((k) => (
              <option key={k.kind} value={k.kind}>{k.name}</option>
            ))}
          </select>
        </label>
        <label className="field">
          <span>{kind === 'email' ? 'Email address' : 'URL'}</span>
          <input
            type={kind === 'email' ? 'email' : 'url'}
            required
            value={address}
            placeholder={spec.placeholder}
            aria-invalid={addressError ? true : undefined}
            onChange={(e) => setAddress(e.target.value)}
          />
          {addressError ? <small className="field-error">{addressError}</small> : null}
        </label>
        <label className="field">
          <span>Label (optional)</span>
          <input type="text" value={label} maxLength={100} onChange={(e) => setLabel(e.target.value)} />
        </label>
        {kind === 'webhook' || kind === 'ntfy' ? (
          <label className="field">
            <span>{kind === 'webhook' ? 'Signing secret (optional; generated if empty)' : 'Access token (optional)'}</span>
            <input type="password" autoComplete="off" value={secret} onChange={(e) => setSecret(e.target.value)} />
          </label>
        ) : null}
        <ErrorBanner error={error} onDismiss={() => setError(null)} />
        <div className="form-actions">
          <button type="submit" className="btn btn-primary" disabled={busy !== null}>
            {busy ? 'Adding…' : 'Add contact method'}
          </button>
        </div>
      </form>
      {shownSecret ? (
        <div className="contact-secret" role="status">
          <strong>Webhook signing secret — shown only once:</strong>
          <code className="contact-secret-value">{shownSecret}</code>
          <span className="muted">Your receiver verifies the <code>webhook-signature</code> header with it (Standard Webhooks).</span>
        </div>
      ) : null}
    </section>
  );
}
