#!/usr/bin/env node
// `npm run bench`: runs every bench/*.mjs file in turn (each prints its own report).
// Add a benchmark by dropping a new .mjs file here; `npm run bench -- ingest` runs only matching ones.
// A bench that fails, or runs longer than BENCH_TIMEOUT_MINUTES (default 45), is named at the end
// and the run exits 1; each bench kills its own child processes when it ends (bench/lib/child.mjs).
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const only = process.argv.slice(2);
const timeoutMs = Number(process.env.BENCH_TIMEOUT_MINUTES ?? 45) * 60_000;
const files = readdirSync(here).filter((f) => f.endsWith('.mjs')).filter((f) => only.length === 0 || only.some((o) => f.includes(o))).sort();
if (files.length === 0) {
  console.error(`no bench/*.mjs matches ${only.join(', ')}`);
  process.exit(1);
}
const failed = [];
for (const file of files) {
  process.stdout.write(`\n=== bench/${file} ===\n`);
  const result = spawnSync(process.execPath, [join(here, file)], { stdio: 'inherit', timeout: timeoutMs, killSignal: 'SIGTERM' });
  if (result.error?.code === 'ETIMEDOUT') failed.push(`bench/${file}: stopped after ${timeoutMs / 60_000} minutes (BENCH_TIMEOUT_MINUTES)`);
  else if (result.error) failed.push(`bench/${file}: could not run: ${result.error.message}`);
  else if (result.status !== 0) failed.push(`bench/${file}: exited ${result.signal ?? `with code ${result.status}`} (its reason is printed above)`);
}
if (failed.length) console.error(`\nfailed:\n  ${failed.join('\n  ')}`);
process.exit(failed.length ? 1 : 0);
