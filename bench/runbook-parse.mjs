// Runbook parsing benchmark (issue 11): pathological Markdown documents, read by Firebreak's
// importer from dist/. For each document: the time to prepare it inline (what the event loop
// would be blocked for), then through lintDocumentOffLoop (the worker thread the API uses for
// documents above INLINE_MAX_CHARS) with the event loop's delay measured meanwhile
// (monitorEventLoopDelay, 1 ms resolution: max and p99 of the main thread's stalls).
// Env: FB_ROOT (a Firebreak build other than dist/), BENCH_RUNBOOK_REPEAT (default 3, best of),
// BENCH_RUNBOOK_ONLY (run only the documents whose name contains it).
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
  // Issue 14: a large real-shaped document, and inputs aimed at the newer recognisers.
  '2 MB handbook (450 scenarios)': handbook(2 * 1024 * 1024),
  '100,000 find … -delete': `${heading}## Steps\n\n\`\`\`bash\n${'find '.repeat(100_000)}-delete\n\`\`\`\n`,
  '50,000 inline commands': `${heading}## Steps\n\n${'- Command: `kubectl get pods`\n'.repeat(50_000)}`,
  '40,000 severity leads': `# Doc\n\n## How bad\n\n${'**P1 (Critical)** respond within 5 minutes. '.repeat(40_000)}\n`,
  '100,000 arrows': `# Doc\n\n## Escalation\n\n- ${'on-call (5 min) → '.repeat(100_000)}CTO\n`,
  '20,000 ladder levels': `# Doc\n\n## Who\n\n${Array.from({ length: 20_000 }, (_, i) => `- L${i % 9 + 1}: lead ${i}, if not resolved within ${i} minutes`).join('\n')}\n`,
  '100,000 "respond within"': `${heading}## Steps\n\n1. x\n\n${'respond within '.repeat(100_000)}\n`,
};

/** Scenarios in every layout the importer reads, repeated to `size` characters (at most 450 runbooks). */
function handbook(size) {
  const head = `# Handbook\n\n## Severity\n\n| Level | Meaning | Acknowledge | Resolve |\n|---|---|---|---|\n| SEV-1 | down | 5 min | 1 hour |\n| SEV-2 | slow | 15 min | 4 hours |\n\n## Escalation\n\n- L1: on-call\n- L2: lead, if not acknowledged within 10 minutes\n\n`;
  const count = 450;
  const per = Math.floor((size - head.length) / count);
  const parts = [head];
  for (let i = 0; i < count; i++) {
    let body = `## Scenario ${i}: Service ${i} down\n\n### MTTR Target: 30 minutes\n\n### Symptoms\n\n- errors above 2%\n\n### Immediate Actions (0-5 minutes)\n\n- Command: \`kubectl -n s${i} get pods\`\n- Look at the logs:\n\n  \`\`\`bash\n  kubectl -n s${i} logs deploy/api --tail=100\n  \`\`\`\n\n### Mitigation\n\n1. Roll back\n   \`\`\`bash\n   kubectl rollout undo deployment/api -n s${i}\n   kubectl -n s${i} delete pod -l app=api\n   \`\`\`\n\n### Verification\n\n- [ ] error rate below 0.5%\n\nRespond within 5 minutes and restore service within 30 minutes.\n\n`;
    while (body.length < per) body += `Background note ${body.length}: the service keeps its state in a replicated store; see the design document.\n\n`;
    parts.push(body.slice(0, Math.max(per, 400)));
  }
  return parts.join('');
}

const options = { sourceName: 'bench.md', now: Date.now() };
const fmt = (ms) => `${ms.toFixed(1).padStart(8)} ms`;
console.log(`node ${process.version}, load average ${loadavg().map((l) => l.toFixed(1)).join(' ')}; best of ${REPEAT}`);
console.log(`${'document'.padEnd(34)} ${'size'.padStart(9)}  ${'inline'.padStart(11)}  ${'off-loop'.padStart(11)}  ${'loop max'.padStart(11)}  ${'loop p99'.padStart(11)}`);
// The worker's start-up is not what is measured.
await lintDocumentOffLoop(`# Warm-up\n\n${'x'.repeat(100_000)}`, options);
let worstLoopMax = 0;
const only = process.env.BENCH_RUNBOOK_ONLY;
for (const [name, markdown] of Object.entries(documents)) {
  if (only && !name.includes(only)) continue;
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
