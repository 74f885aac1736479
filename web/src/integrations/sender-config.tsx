import { useState } from 'react';
import type { IntegrationFormat, SenderConfig } from './types.js';

/** Where the sender puts the key, per format (docs/alerts.md has the same table). */
const CREDENTIAL: Record<IntegrationFormat, string> = {
  'alertmanager-webhook': 'The key is part of the URL.',
  'grafana-webhook': 'The key is part of the URL.',
  'generic-webhook': 'The key is part of the URL.',
  heartbeat: 'The key is part of the URL.',
  'pagerduty-events-v2': 'The key goes in each event as routing_key (the integration key of a PagerDuty service).',
  opsgenie: 'The key goes in the header Authorization: GenieKey <key> (the api_key of opsgenie_configs).',
  'alertmanager-api': 'The key goes in the header Authorization: Bearer <key>, or as the Basic password, or in X-Api-Key.',
};

/**
 * Copies to the clipboard. The Clipboard API exists only on secure origins (https, localhost);
 * elsewhere the button says so and the text stays selectable in its box.
 */
export function CopyButton({ text, what }: { text: string; what: string }) {
  const [state, setState] = useState<'idle' | 'copied' | 'failed'>('idle');
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(text);
      setState('copied');
    } catch {
      setState('failed');
    }
    setTimeout(() => setState('idle'), 2000);
  };
  return (
    <button type="button" className="btn btn-small int-copy" onClick={() => void copy()} aria-label={`Copy ${what}`}>
      {state === 'copied' ? 'Copied' : state === 'failed' ? 'Select and copy by hand' : 'Copy'}
    </button>
  );
}

/** The URL to paste into the sender and its ready config snippet. */
export function SenderConfigView({ format, sender, withKey }: { format: IntegrationFormat; sender: SenderConfig; withKey: boolean }) {
  return (
    <div className="int-sender">
      <div className="int-copy-row">
        <div className="int-copy-label">
          <strong>URL for the sender</strong>
          <code className="int-url" data-testid="sender-url">{sender.url}</code>
        </div>
        <CopyButton text={sender.url} what="URL" />
      </div>
      <p className="muted int-credential">
        {CREDENTIAL[format]}
        {withKey ? null : ' The snippet shows a placeholder: the key itself is shown only when the integration is created or its key rotated.'}
      </p>
      <div className="int-copy-row">
        <strong>Config snippet</strong>
        <CopyButton text={sender.snippet} what="config snippet" />
      </div>
      <pre className="int-snippet" data-testid="sender-snippet">
        <code>{sender.snippet}</code>
      </pre>
    </div>
  );
}

/** The key, once: after a create or a rotation; the server never returns it again. */
export function KeyOnce({ keyValue }: { keyValue: string }) {
  return (
    <div className="int-key-once" role="status">
      <p className="int-key-warning">
        <strong>Copy the key now.</strong> It is shown only this once; Firebreak keeps only its hash. If it is lost, rotate the key.
      </p>
      <div className="int-copy-row">
        <code className="int-key" data-testid="integration-key">{keyValue}</code>
        <CopyButton text={keyValue} what="key" />
      </div>
    </div>
  );
}
