import { useEffect, useState } from 'react';
import { api } from '../api/client.js';
import { ErrorBanner } from './error-banner.js';

/**
 * A subscribable iCalendar URL (a schedule's, or a user's shifts across schedules), with copy and
 * webcal: subscribe. The URL carries a token, so it is fetched (and shown) only for signed-in
 * readers. `feed` names the schedule or the user.
 */
export function CalendarFeed({ feed, label }: { feed: { schedule: string } | { user: string }; label: string }) {
  const [url, setUrl] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [copied, setCopied] = useState(false);
  // The feed object is new on each render; what it names is what matters.
  const key = 'schedule' in feed ? `schedule:${feed.schedule}` : `user:${feed.user}`;
  useEffect(() => {
    let stale = false;
    const pending = 'schedule' in feed
      ? api.get('/api/v1/schedules/{schedule}/feed', { params: { path: { schedule: feed.schedule } } })
      : api.get('/api/v1/users/{user}/feed', { params: { path: { user: feed.user } } });
    pending.then((r) => !stale && setUrl(r.url), (e: unknown) => !stale && setError(e));
    return () => {
      stale = true;
    };
  }, [key]);
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
