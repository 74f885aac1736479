import { canMove, groupOf, move, regroup, remove, shownName, tree, undoRemove, update, type DraftComponent } from './component-draft.js';

/** Controls sized to their content (the global style makes them full width). */
const fit = { width: 'auto', minWidth: 0, maxWidth: '100%' } as const;

interface Props {
  components: DraftComponent[];
  services: { id: string; name: string }[];
  onChange: (next: DraftComponent[]) => void;
}

/**
 * The draft's components, as the page will show them: the top level, each group with its members.
 * Saved ones can be renamed, regrouped, remapped, moved among their siblings and marked for
 * removal (with an Undo until Save); new ones can be dropped.
 */
export function ComponentDraftList({ components, services, onChange }: Props) {
  const row = (c: DraftComponent) => <DraftRow key={c.key} c={c} components={components} services={services} onChange={onChange} />;
  return (
    <ul data-testid="sp-editor-components" aria-label="Components of the page" className="sp-draft-components">
      {tree(components).map(({ item, members }) => (
        <li key={item.key}>
          {row(item)}
          {members.length > 0 ? <ul aria-label={`In ${shownName(item)}`}>{members.map((m) => <li key={m.key}>{row(m)}</li>)}</ul> : null}
        </li>
      ))}
    </ul>
  );
}

function DraftRow({ c, components, services, onChange }: { c: DraftComponent } & Props) {
  const label = shownName(c);
  if (!c.saved) {
    return (
      <span>
        {label}
        {c.isGroup ? ' (group)' : ''} <em>(unsaved)</em>{' '}
        <button type="button" className="btn btn-small" aria-label={`Remove ${label}`} onClick={() => onChange(remove(components, c.key))}>Remove</button>
      </span>
    );
  }
  if (c.removed) {
    return (
      <span>
        <s>{label}</s>
        {c.isGroup ? ' (group)' : ''} <em>(removed on save)</em>{' '}
        <button type="button" className="btn btn-small" aria-label={`Undo removing ${label}`} onClick={() => onChange(undoRemove(components, c.key))}>Undo</button>
      </span>
    );
  }
  // Only saved groups: a saved component is moved by PATCH, before new groups are added.
  const groups = components.filter((g) => g.isGroup && g.saved && !g.removed);
  return (
    <span style={{ display: 'inline-flex', gap: '0.35rem', flexWrap: 'wrap', alignItems: 'center' }}>
      <input aria-label={`Name of ${label}`} value={c.name} required size={Math.max(8, Math.min(24, c.name.length + 2))} style={fit} onChange={(e) => onChange(update(components, c.key, { name: e.target.value }))} />
      {c.isGroup ? (
        <span>(group)</span>
      ) : (
        <>
          <select aria-label={`Group of ${label}`} style={fit} value={groupOf(components, c) ?? ''} onChange={(e) => onChange(regroup(components, c.key, e.target.value || null))}>
            <option value="">no group</option>
            {groups.map((g) => <option key={g.key} value={g.key}>{shownName(g)}</option>)}
          </select>
          <select multiple aria-label={`Services of ${label}`} size={Math.max(2, Math.min(3, services.length))} style={fit} value={c.services} onChange={(e) => onChange(update(components, c.key, { services: [...e.target.selectedOptions].map((o) => o.value) }))}>
            {services.map((s) => <option key={s.id} value={s.id}>{s.name}</option>)}
          </select>
        </>
      )}
      <button type="button" className="btn btn-small" aria-label={`Move ${label} up`} disabled={!canMove(components, c, -1)} onClick={() => onChange(move(components, c.key, -1))}>↑</button>
      <button type="button" className="btn btn-small" aria-label={`Move ${label} down`} disabled={!canMove(components, c, 1)} onClick={() => onChange(move(components, c.key, 1))}>↓</button>
      <button type="button" className="btn btn-small" aria-label={`Remove ${label}`} onClick={() => onChange(remove(components, c.key))}>Remove</button>
    </span>
  );
}
