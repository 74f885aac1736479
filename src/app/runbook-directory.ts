import { watch, type FSWatcher } from 'node:fs';
import { readdir, readFile, stat } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { systemActor } from '../core/actor.js';
import { isAppError } from '../core/errors.js';
import type { Ctx } from '../domain/context.js';
import { importRunbooks, MANAGED_BY_DIRECTORY } from '../domain/runbooks/index.js';

/** Markdown files under `root`, recursively, in a stable order. */
async function markdownFiles(root: string, depth = 0): Promise<string[]> {
  if (depth > 8) return [];
  const out: string[] = [];
  for (const entry of (await readdir(root, { withFileTypes: true })).sort((a, b) => a.name.localeCompare(b.name))) {
    if (entry.name.startsWith('.') || entry.name === 'node_modules') continue;
    const path = join(root, entry.name);
    if (entry.isDirectory()) out.push(...(await markdownFiles(path, depth + 1)));
    else if (/\.(md|markdown)$/i.test(entry.name)) out.push(path);
  }
  return out;
}

export interface RunbookDirectorySync {
  /** Imports every file now; resolves with the number of runbooks created or updated. */
  syncNow(): Promise<number>;
  stop(): void;
}

/**
 * The `runbooks.directory` of firebreak.yaml: every Markdown file in it is imported at start and
 * again when the directory changes (fs.watch, debounced), so runbooks can live in git. Runbooks
 * imported this way are managed by the directory: API imports of the same slug are refused.
 * A file that fails to import is logged and skipped; the others still import.
 */
export function startRunbookDirectory(base: Ctx, directory: string, options: { watch?: boolean; debounceMs?: number } = {}): RunbookDirectorySync {
  const ctx: Ctx = { ...base, actor: systemActor('runbook directory'), requestId: 'runbook-directory' };
  let timer: NodeJS.Timeout | null = null;
  let running: Promise<number> = Promise.resolve(0);
  let watcher: FSWatcher | null = null;

  const importAll = async (): Promise<number> => {
    let changed = 0;
    let files: string[];
    try {
      files = await markdownFiles(directory);
    } catch (error) {
      ctx.log.error('runbooks', 'cannot read the runbook directory', { directory, error: (error as Error).message });
      return 0;
    }
    for (const file of files) {
      try {
        if ((await stat(file)).size > 4 * 1024 * 1024) throw new Error('larger than 4 MB');
        const markdown = await readFile(file, 'utf8');
        const result = await importRunbooks({ ctx, input: { markdown, sourceName: relative(directory, file), managedBy: MANAGED_BY_DIRECTORY } });
        const touched = result.runbooks.filter((r) => r.action === 'created' || r.action === 'updated');
        changed += touched.length;
        if (touched.length) ctx.log.info('runbooks', 'imported', { file, runbooks: touched.map((r) => `${r.slug}@v${r.version}`) });
      } catch (error) {
        ctx.log.warn('runbooks', 'runbook file not imported', { file, error: isAppError(error) ? error.message : (error as Error).message });
      }
    }
    return changed;
  };

  const syncNow = () => (running = running.then(importAll, importAll));
  if (options.watch !== false) {
    try {
      watcher = watch(directory, { recursive: true }, () => {
        if (timer) clearTimeout(timer);
        timer = setTimeout(() => void syncNow(), options.debounceMs ?? 500);
      });
      watcher.on('error', (error) => ctx.log.warn('runbooks', 'watching the runbook directory failed', { directory, error: error.message }));
    } catch (error) {
      ctx.log.warn('runbooks', 'cannot watch the runbook directory; it is read at start only', { directory, error: (error as Error).message });
    }
  }
  return {
    syncNow,
    stop: () => {
      if (timer) clearTimeout(timer);
      watcher?.close();
    },
  };
}
