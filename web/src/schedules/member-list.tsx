import { useState } from 'react';
import { usePeople } from './people.js';

/**
 * A rotation's members in order: drag a row to reorder, or use its up/down buttons (keyboard and
 * screen-reader users, and phones where dragging fights scrolling). A person may appear twice.
 */
export function MemberList({ members, onChange, label }: { members: string[]; onChange: (next: string[]) => void; label: string }) {
  const { users, name } = usePeople();
  const [dragging, setDragging] = useState<number | null>(null);
  const [adding, setAdding] = useState('');
  const move = (from: number, to: number) => {
    if (to < 0 || to >= members.length || from === to) return;
    const next = [...members];
    const [m] = next.splice(from, 1);
    next.splice(to, 0, m!);
    onChange(next);
  };
  return (
    <div className="members">
      <ol className="member-list" aria-label={`${label} members in rotation order`}>
        {members.map((id, i) => (
          <li
            key={`${id}-${i}`}
            className={dragging === i ? 'member dragging' : 'member'}
            draggable
            data-member={id}
            onDragStart={(e) => {
              setDragging(i);
              e.dataTransfer.effectAllowed = 'move';
              e.dataTransfer.setData('text/plain', String(i));
            }}
            onDragEnd={() => setDragging(null)}
            onDragOver={(e) => e.preventDefault()}
            onDrop={(e) => {
              e.preventDefault();
              const from = Number(e.dataTransfer.getData('text/plain'));
              if (Number.isInteger(from)) move(from, i);
              setDragging(null);
            }}
          >
            <span className="member-grip" aria-hidden="true">⋮⋮</span>
            <span className="member-turn">{i + 1}.</span>
            <span className="member-name">{name(id)}</span>
            <span className="member-actions">
              <button type="button" className="btn-icon" aria-label={`Move ${name(id)} up`} disabled={i === 0} onClick={() => move(i, i - 1)}>
                ↑
              </button>
              <button type="button" className="btn-icon" aria-label={`Move ${name(id)} down`} disabled={i === members.length - 1} onClick={() => move(i, i + 1)}>
                ↓
              </button>
              <button type="button" className="btn-icon" aria-label={`Remove ${name(id)}`} onClick={() => onChange(members.filter((_, j) => j !== i))}>
                ×
              </button>
            </span>
          </li>
        ))}
      </ol>
      {members.length === 0 ? <p className="warn-text">No members yet: a rotation needs at least one.</p> : null}
      <div className="member-add">
        <label className="field">
          <span>Add a member</span>
          <select value={adding} onChange={(e) => setAdding(e.target.value)} aria-label={`Add a member to ${label}`}>
            <option value="">Choose a person…</option>
            {users.map((u) => (
              <option key={u.id} value={u.id}>
                {u.name || u.email} ({u.email})
              </option>
            ))}
          </select>
        </label>
        <button
          type="button"
          className="btn btn-small"
          disabled={!adding}
          onClick={() => {
            onChange([...members, adding]);
            setAdding('');
          }}
        >
          Add member
        </button>
      </div>
    </div>
  );
}
