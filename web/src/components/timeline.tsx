import { memo, useState } from 'react';
import type { TimelineEvent } from '../api/types.js';
import { Markdown } from './markdown.js';
import { TimeAgo } from './time-ago.js';

const KIND_LABEL: Record<string, string> = {
  declared: 'Declared',
  status_changed: 'Status',
  severity_changed: 'Severity',
  note: 'Note',
  role_assigned: 'Role',
  role_unassigned: 'Role',
  handoff: 'Handoff',
  task_added: 'Task',
  task_completed: 'Task',
  task_reopened: 'Task',
  title_changed: 'Title',
  summary_changed: 'Summary',
  service_changed: 'Service',
  change: 'Change',
  escalation_started: 'Paging',
  escalation_advanced: 'Paging',
  escalation_skipped: 'Skipped',
  escalation_exhausted: 'Paging',
  paged: 'Paged',
  reassigned: 'Re-assigned',
  update_posted: 'Update',
  update_deadline_kept: 'Update on time',
  update_posted_late: 'Update late',
  update_deadline_missed: 'Update overdue',
  update_reminder_escalated: 'Update overdue',
};

function actorLabel(actor: TimelineEvent['actor']): string {
  if (actor.type === 'apiKey') return `${actor.name} (API key)`;
  if (actor.type === 'system') return actor.name === 'firebreak' ? 'Firebreak' : actor.name;
  return actor.name;
}

/** Key moments a responder can star an event as (the post-mortem's curated timeline). */
export const STAR_TAGS = ['detection', 'diagnosis', 'mitigation', 'repair', 'other'] as const;
export type StarTag = (typeof STAR_TAGS)[number];

/** Star (with a tag) or unstar one event; shown only when `onStar` is given. */
function StarControl({ tag, onStar }: { tag: string | undefined; onStar: (tag: StarTag | null) => void }) {
  const [picking, setPicking] = useState(false);
  if (tag) {
    return (
      <button type="button" className="tl-star starred" aria-pressed="true" title="Unstar this key moment" onClick={() => onStar(null)}>
        ★ {tag}
      </button>
    );
  }
  if (!picking) {
    return (
      <button type="button" className="tl-star" aria-pressed="false" title="Star as a key moment for the post-mortem" onClick={() => setPicking(true)}>
        ☆ Star
      </button>
    );
  }
  return (
    <span className="tl-star-tags" role="group" aria-label="Star as">
      {STAR_TAGS.map((t) => (
        <button key={t} type="button" className="tl-star-tag" onClick={() => { setPicking(false); onStar(t); }}>
          {t}
        </button>
      ))}
      <button type="button" className="link" onClick={() => setPicking(false)} aria-label="Cancel">×</button>
    </span>
  );
}

/**
 * Newest first, so a live update lands at the top, next to the note box. With `onStar`, each
 * event has a star button; `stars` maps starred event ids to their tag.
 */
export const Timeline = memo(function Timeline({ events, stars, onStar }: { events: TimelineEvent[]; stars?: Record<string, string>; onStar?: (eventId: string, tag: StarTag | null) => void }) {
  const newestFirst = [...events].reverse();
  if (newestFirst.length === 0) return <p className="muted">Nothing on the timeline yet.</p>;
  return (
    <ol className="timeline" aria-label="Timeline">
      {newestFirst.map((event) => {
        const to = typeof event.data.to === 'string' ? event.data.to : '';
        return (
          <li key={event.id} className={`tl-item tl-${event.kind} ${event.kind === 'status_changed' ? `tl-to-${to}` : ''}`} data-kind={event.kind}>
            <div className="tl-marker" aria-hidden="true" />
            <div className="tl-body">
              <div className="tl-head">
                <span className="tl-kind">{KIND_LABEL[event.kind] ?? event.kind.replace(/_/g, ' ')}</span>
                <span className="tl-actor">{actorLabel(event.actor)}</span>
                <span className="tl-time">
                  <TimeAgo iso={event.at} />
                </span>
                {onStar ? <StarControl tag={stars?.[event.id]} onStar={(tag) => onStar(event.id, tag)} /> : null}
              </div>
              <Markdown source={event.body} className={event.kind === 'note' ? 'tl-note' : 'tl-text'} />
            </div>
          </li>
        );
      })}
    </ol>
  );
});
