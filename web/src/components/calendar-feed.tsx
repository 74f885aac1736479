import { useEffect, useState } from 'react';
import { api } from '../api/client.js';
import { ErrorBanner } from './error-banner.js';

/**
 * A subscribable iCalendar URL (a schedule's, or a user's shifts across schedules), with copy and
 * webcal: subscribe. The URL carries a token, so it is fetched (and shown) only for signed-in
 * readers. `path` is the API path that answers `{ url }`.
 */
export function CalendarFeed({ path, label }: { path: string; label: string }) {
  const [url, setUrl] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [copied, setCopied] = useState(false);
  useEffect(() => {
    let stale = false;
    api.get<{ url: string }>(path).then((r) => !stale && setUrl(r.url), (e: unknown) => !stale && setError(e));
    return () => {
      stale = true;
    };
  }, [path]);
  if (error) return <ErrorBanner error={error} />;
  if (!url) return null;
  return (
    <div className="oncall-feed">
      <label className="field">
        <span>{label}</span>
        <input type="text" readOnly value={url} onFocus={(e) => e.currentTarget.select()} />
      </label>
      <div className="form-actions">
        <button
          type="button"
          className="btn btn-small"
          onClick={() => {
            void navigator.clipboard?.writeText(url).then(() => setCopied(true), () => setCopied(false));
          }}
        >
          {copied ? 'Copied' : 'Copy URL'}
        </button>
        <a className="btn btn-small btn-quiet" href={url.replace(/^https?:/, 'webcal:')}>
          Subscribe
        </a>
      </div>
    </div>
  );
}
