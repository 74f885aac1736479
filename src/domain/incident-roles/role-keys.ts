/**
 * How a role named in prose ("Incident Commander (IC)", "Comms Lead", "Security Lead") becomes
 * a catalogue key. Pure. The aliases map the usual names of the three roles Firebreak has always
 * had onto their keys, because the code reads those keys (the commander gets task reminders,
 * communications and commander the update reminders): `commander`, not `incident-commander`.
 */

const ALIASES: [RegExp, string][] = [
  [/^(incident-)?(commander|coordinator|captain)$|^incident-(manager|lead|leader|owner|command)$|^ic$|^im$/, 'commander'],
  [/^(incident-)?(comms?|communications?)(-(lead|leader|manager|officer|coordinator|liaison))?$|^cl$/, 'communications'],
  [/^(incident-)?(scribe|note-?taker|recorder|record-?keeper|historian)$/, 'scribe'],
];

/** A display name for the catalogue: trailing parenthesised abbreviation and emphasis removed. */
export function roleDisplayName(text: string): string {
  return text.replace(/[*_`]/g, '').replace(/\s*\([^)]*\)\s*$/, '').replace(/\s+/g, ' ').replace(/[:\s]+$/, '').trim().slice(0, 120);
}

/** `Security Lead` → `security-lead`, without the aliases. */
export function roleSlug(text: string): string {
  return roleDisplayName(text).toLowerCase().normalize('NFKD')
    .replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 60).replace(/-+$/, '');
}

/** Whether the name reaches its key through the alias table ("IC", "Comms lead"), not by spelling it. */
export function isAliasedRoleName(text: string): boolean {
  return roleKeyOf(text) !== roleSlug(text);
}

/** `Incident Commander (IC)` → `commander`; `Security Lead` → `security-lead`. Empty when nothing is left. */
export function roleKeyOf(text: string): string {
  const slug = roleSlug(text);
  for (const [re, key] of ALIASES) if (re.test(slug)) return key;
  // "Incident Commander (IC)" also matches through its abbreviation.
  const abbreviation = /\(([^)]{1,8})\)\s*$/.exec(text)?.[1]?.trim().toLowerCase();
  if (abbreviation) for (const [re, key] of ALIASES) if (re.test(abbreviation)) return key;
  return slug;
}
