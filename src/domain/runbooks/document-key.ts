/** `runbooks/storage.md` → `storage`: the document part of a namespaced slug, and of an import plan's slugs. */
export function documentKey(sourceName: string): string {
  const base = sourceName.split(/[\\/]/).pop() ?? sourceName;
  const key = base.replace(/\.(md|markdown|txt)$/i, '').toLowerCase().normalize('NFKD').replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 60).replace(/-+$/, '');
  return key || 'document';
}
