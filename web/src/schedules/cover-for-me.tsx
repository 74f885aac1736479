import { useCallback, useEffect, useState } from 'react';
import { api, call, client } from '../api/client.js';
import { ErrorBanner } from '../components/error-banner.js';
import { linkClick } from '../lib/router.js';
import { OverrideForm, OverrideList } from './overrides.js';
import type { Schedule } from './types.js';
import './schedules.css';

/**
 * "Cover for me" on a person's own page: pick a schedule you are on, who covers you and when;
 * your current overrides (covering or covered) are listed with a Remove button.
 */
export function CoverForMe({ userId }: { userId: string }) {
  const [schedules, setSchedules] = useState<Schedule[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const load = useCallback(async () => {
    try {
      setSchedules((await api.get('/api/v1/schedules')).items);
    } catch (e) {
      setError(e);
    }
  }, []);
  useEffect(() => void load(), [load]);
  if (error) return <ErrorBanner error={error} />;
  if (!schedules) return null;
  const mine = schedules.filter((s) => s.layers.some((l) => l.rotation.members.includes(userId)));
  const overrides = schedules.flatMap((s) => s.overrides.filter((o) => o.userId === userId || o.replacesUserId === userId).map((o) => ({ ...o, scheduleId: s.id, scheduleName: s.name })));
  return (
    <section className="cover-for-me">
      <h2>Cover for me</h2>
      {mine.length ? (
        <OverrideForm key={mine.map((s) => s.id).join()} schedules={mine} forUser={userId} title="Ask someone to cover your shifts" onAdded={load} />
      ) : (
        <p className="muted">
          You are on no schedule's rotation. <a href="/schedules" onClick={linkClick}>Schedules</a>
        </p>
      )}
      <h3>My overrides</h3>
      <OverrideList items={overrides} onRemoved={load} />
    </section>
  );
}
