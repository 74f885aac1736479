import type { StatusPage } from './status-pages-page.js';

type SavedComponent = StatusPage['components'][number];

/** A component or group as the editor holds it until "Save page". */
export interface DraftComponent {
  /** Stable while editing: the saved id, or `new-<n>` for one added in this draft. */
  key: string;
  /** As saved (null: new, added on save). */
  saved: SavedComponent | null;
  name: string;
  /** The key of its group; a removed group's members are at the top level (see groupOf). */
  group: string | null;
  isGroup: boolean;
  services: string[];
  /** Saved and marked for removal on save; undoable until then. */
  removed: boolean;
}

export interface PatchBody {
  name?: string;
  group?: string | null;
  services?: string[];
  position?: number;
}

export interface SavePlan {
  /** Ids to DELETE, first. */
  removals: string[];
  /** Saved ones to PATCH, in an order that yields the final order (see planSave). */
  changes: { id: string; body: PatchBody }[];
  /** New ones to POST last; a group before its members. */
  additions: { name: string; isGroup: boolean; group: string | null; services: string[] }[];
}

/** The page's components in position order, as a draft. */
export function draftFrom(page: StatusPage): DraftComponent[] {
  return page.components.map((c) => ({ key: c.id, saved: c, name: c.name, group: c.groupId, isGroup: c.group, services: c.services, removed: false }));
}

/** The name it shows (a field being cleared shows its saved name). */
export function shownName(c: DraftComponent): string {
  return c.name.trim() || c.saved?.name || '';
}

/** The key of the group it is in, in the draft: none for a group, or when its group is removed. */
export function groupOf(list: readonly DraftComponent[], c: DraftComponent): string | null {
  if (c.isGroup || c.group === null) return null;
  const g = list.find((x) => x.key === c.group);
  return g && g.isGroup && !g.removed ? g.key : null;
}

/** The components of one level (a group's key, or null: the top level): saved ones in draft order, then new ones. */
export function level(list: readonly DraftComponent[], group: string | null): DraftComponent[] {
  const at = list.filter((c) => groupOf(list, c) === group);
  return [...at.filter((c) => c.saved), ...at.filter((c) => !c.saved)];
}

/** The top level, each group with its members, as the list and the public page show them. */
export function tree(list: readonly DraftComponent[]): { item: DraftComponent; members: DraftComponent[] }[] {
  return level(list, null).map((item) => ({ item, members: item.isGroup && !item.removed ? level(list, item.key) : [] }));
}

const ordered = (list: readonly DraftComponent[]) => tree(list).flatMap(({ item, members }) => [item, ...members]);

/** Saved, kept components beside `c` (what "move up/down" moves it among). */
function siblings(list: readonly DraftComponent[], c: DraftComponent): DraftComponent[] {
  return level(list, groupOf(list, c)).filter((x) => x.saved && !x.removed);
}

/** Where `c` can move: -1 (up), 1 (down). */
export function canMove(list: readonly DraftComponent[], c: DraftComponent, by: -1 | 1): boolean {
  const s = siblings(list, c);
  const i = s.indexOf(c);
  return i >= 0 && s[i + by] !== undefined;
}

/** `c` swapped with its previous (-1) or next (1) sibling. */
export function move(list: readonly DraftComponent[], key: string, by: -1 | 1): DraftComponent[] {
  const c = list.find((x) => x.key === key);
  if (!c) return [...list];
  const s = siblings(list, c);
  const other = s[s.indexOf(c) + by];
  if (!other) return [...list];
  const next = [...list];
  next[list.indexOf(c)] = other;
  next[list.indexOf(other)] = c;
  return next;
}

export function update(list: readonly DraftComponent[], key: string, change: Partial<Pick<DraftComponent, 'name' | 'services'>>): DraftComponent[] {
  return list.map((c) => (c.key === key ? { ...c, ...change } : c));
}

/** Into another group (or the top level): last among the saved ones there. */
export function regroup(list: readonly DraftComponent[], key: string, group: string | null): DraftComponent[] {
  const c = list.find((x) => x.key === key);
  if (!c) return [...list];
  return [...list.filter((x) => x !== c), { ...c, group }];
}

/**
 * A saved one marked for removal (a new one is dropped at once). A removed group's members show at
 * the top level where it was, as the server puts them; undoing puts them back in it.
 */
export function remove(list: readonly DraftComponent[], key: string): DraftComponent[] {
  const c = list.find((x) => x.key === key);
  if (!c) return [...list];
  if (!c.saved) return list.filter((x) => x !== c);
  const members = c.isGroup ? list.filter((x) => x.group === key && !x.isGroup) : [];
  const rest = list.filter((x) => !members.includes(x));
  const at = rest.indexOf(c);
  return [...rest.slice(0, at), { ...c, removed: true }, ...members, ...rest.slice(at + 1)];
}

export function undoRemove(list: readonly DraftComponent[], key: string): DraftComponent[] {
  return list.map((c) => (c.key === key ? { ...c, removed: false } : c));
}

/** What POST /status-pages/preview renders: the kept ones in page order, groups referred to by their draft names. */
export function previewComponents(list: readonly DraftComponent[]): { name: string; group: string | null; isGroup: boolean; services: string[] }[] {
  const byKey = new Map(list.map((c) => [c.key, c]));
  return ordered(list).filter((c) => !c.removed).map((c) => {
    const g = groupOf(list, c);
    return { name: shownName(c), group: g ? shownName(byKey.get(g)!) : null, isGroup: c.isGroup, services: c.isGroup ? [] : c.services };
  });
}

/** Names that more than one kept component would have (the server refuses them). */
export function duplicateNames(list: readonly DraftComponent[]): string[] {
  const names = list.filter((c) => !c.removed).map(shownName);
  return [...new Set(names.filter((n, i) => names.indexOf(n) !== i))];
}

const sameSet = (a: readonly string[], b: readonly string[]) => a.length === b.length && [...a].sort().join('\n') === [...b].sort().join('\n');

/**
 * The requests that turn the saved page into the draft. Removals go first (a removed group's
 * members are then at the top level, in page position order). Then, level by level in final order,
 * each changed saved component gets one PATCH with only what changed; a level whose order differs
 * from what the server would have without positions (its remaining ones, then newcomers appended)
 * sends `position` for every sibling, first to last, so each lands at its index in turn. New ones are
 * POSTed last, appended to their level as the draft shows them.
 */
export function planSave(list: readonly DraftComponent[]): SavePlan {
  const removals = list.filter((c) => c.saved && c.removed).map((c) => c.saved!.id);
  const gone = new Set(removals);
  const kept = list.filter((c) => c.saved && !c.removed);
  // Where the server has each saved one after the removals (a removed group's members: top level).
  const serverGroup = (s: SavedComponent) => (s.groupId && !gone.has(s.groupId) ? s.groupId : null);
  const byKey = new Map(list.map((c) => [c.key, c]));
  const changes: SavePlan['changes'] = [];
  const levels = [null, ...level(list, null).filter((c) => c.isGroup && !c.removed).map((c) => c.key)];
  for (const key of levels) {
    const finalLevel = level(list, key).filter((c) => c.saved && !c.removed);
    const groupId = key === null ? null : byKey.get(key)?.saved?.id ?? null;
    const before = kept.filter((c) => serverGroup(c.saved!) === groupId).sort((a, b) => a.saved!.position - b.saved!.position);
    const staying = before.filter((c) => finalLevel.includes(c));
    const expected = [...staying, ...finalLevel.filter((c) => !staying.includes(c))];
    const reordered = expected.some((c, i) => finalLevel[i] !== c);
    for (const [i, c] of finalLevel.entries()) {
      const s = c.saved!;
      const body: PatchBody = {};
      const name = shownName(c);
      if (name !== s.name) body.name = name;
      if (!c.isGroup && serverGroup(s) !== groupId) body.group = groupId;
      if (!c.isGroup && !sameSet(c.services, s.services)) body.services = c.services;
      if (reordered) body.position = i + 1;
      if (Object.keys(body).length > 0) changes.push({ id: s.id, body });
    }
  }
  const additions = ordered(list).filter((c) => !c.saved).map((c) => {
    const g = groupOf(list, c);
    const group = g ? byKey.get(g)! : null;
    return { name: shownName(c), isGroup: c.isGroup, group: group ? group.saved?.id ?? shownName(group) : null, services: c.isGroup ? [] : c.services };
  });
  return { removals, changes, additions };
}
