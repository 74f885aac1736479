// Runbook parsing benchmark (issue 11): pathological Markdown documents, read by Firebreak's
// importer from dist/. For each document: the time to prepare it inline (what the event loop
// would be blocked for), then through lintDocumentOffLoop (the worker thread the API uses for
// documents above INLINE_MAX_CHARS) with the event loop's delay measured meanwhile
// (monitorEventLoopDelay, 1 ms resolution: max and p99 of the main thread's stalls).
// Env: FB_ROOT (a Firebreak build other than dist/), BENCH_RUNBOOK_REPEAT (default 3, best of).
import { existsSync } from 'node:fs';
import { loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { monitorEventLoopDelay } from 'node:perf_hooks';

const here = dirname(fileURLToPath(import.meta.url));
const root = process.env.FB_ROOT ?? join(here, '..', 'dist');
const REPEAT = Number(process.env.BENCH_RUNBOOK_REPEAT ?? 3);
if (!existsSync(join(root, 'domain', 'runbooks', 'import-off-loop.js'))) {
  console.error('dist/ is missing: run `npm run build` first');
  process.exit(1);
}
// Bounded: a regression back to quadratic parsing fails the bench instead of hanging it.
const watchdog = setTimeout(() => { console.error('runbook-parse: timed out after 5 minutes'); process.exit(1); }, 300_000);
watchdog.unref();

const { prepareImport } = await import(pathToFileURL(join(root, 'domain', 'runbooks', 'prepare-import.js')).href);
const { lintDocumentOffLoop } = await import(pathToFileURL(join(root, 'domain', 'runbooks', 'import-off-loop.js')).href);

const heading = '# Pathological\n\n';
const documents = {
  '100,000 [': heading + '['.repeat(100_000),
  '100,000 [ in a step': `${heading}## Steps\n\n1. ${'['.repeat(100_000)}`,
  '25,000 [a](': `${heading}## Steps\n\n1. ${'[a]('.repeat(25_000)}`,
  '10,000-level list, one line': `${heading}## Steps\n\n${'- '.repeat(10_000)}x`,
  '1,400-level indented list (2 MB)': `${heading}## Steps\n\n${Array.from({ length: 1_400 }, (_, i) => `${' '.repeat(i * 2)}- x`).join('\n')}`,
  '1 MB single line': heading + 'word '.repeat(200_000),
  '100,000 `': heading + '`'.repeat(100_000),
  '100,000 *': heading + '*'.repeat(100_000),
  '100,000 _': heading + '_'.repeat(100_000),
  '100,000 capitals in a step': `${heading}## Steps\n\n1. Ab${'A'.repeat(100_000)} x`,
  '40,000 steps (1 MB)': `${heading}## Steps\n\n${Array.from({ length: 40_000 }, (_, i) => `${i + 1}. step [x](y) \`c\``).join('\n')}`,
};

const options = { sourceName: 'bench.md', now: Date.now() };
const fmt = (ms) => `${ms.toFixed(1).padStart(8)} ms`;
console.log(`node ${process.version}, load average ${loadavg().map((l) => l.toFixed(1)).join(' ')}; best of ${REPEAT}`);
console.log(`${'document'.padEnd(34)} ${'size'.padStart(9)}  ${'inline'.padStart(11)}  ${'off-loop'.padStart(11)}  ${'loop max'.padStart(11)}  ${'loop p99'.padStart(11)}`);
// The worker's start-up is not what is measured.
await lintDocumentOffLoop(`# Warm-up\n\n${'x'.repeat(100_000)}`, options);
let worstLoopMax = 0;
for (const [name, markdown] of Object.entries(documents)) {
  let inline = Infinity;
  let offLoop = Infinity;
  let loopMax = Infinity;
  let loopP99 = Infinity;
  for (let i = 0; i < REPEAT; i++) {
    let started = performance.now();
    prepareImport(markdown, options);
    inline = Math.min(inline, performance.now() - started);
    const delay = monitorEventLoopDelay({ resolution: 1 });
    delay.enable();
    started = performance.now();
    await lintDocumentOffLoop(markdown, options);
    offLoop = Math.min(offLoop, performance.now() - started);
    delay.disable();
    loopMax = Math.min(loopMax, delay.max / 1e6);
    loopP99 = Math.min(loopP99, delay.percentile(99) / 1e6);
  }
  worstLoopMax = Math.max(worstLoopMax, loopMax);
  console.log(`${name.padEnd(34)} ${String(markdown.length).padStart(9)}  ${fmt(inline)}  ${fmt(offLoop)}  ${fmt(loopMax)}  ${fmt(loopP99)}`);
}
console.log(`worst event-loop stall while a document was read off the loop: ${worstLoopMax.toFixed(1)} ms`);
process.exit(0);
