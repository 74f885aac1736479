import { absoluteTime, relativeTime } from '../lib/time.js';
import { useNow } from '../lib/use-now.js';

/** Relative time in the text, the exact local time on hover (and for screen readers). */
export function TimeAgo({ iso, prefix }: { iso: string; prefix?: string }) {
  const now = useNow();
  const absolute = absoluteTime(iso);
  return (
    <time dateTime={iso} title={absolute} aria-label={`${prefix ? `${prefix} ` : ''}${absolute}`}>
      {prefix ? `${prefix} ` : ''}
      {relativeTime(iso, now)}
    </time>
  );
}
