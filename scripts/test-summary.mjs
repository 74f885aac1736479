// Prints the closing line CI reads, from vitest's JSON report. No report means the run broke
// before testing (a build error, say): that is a failure, never "0 failed".
import { readFileSync } from 'node:fs';

const file = process.argv[2] ?? 'test-results/vitest.json';
try {
  const r = JSON.parse(readFileSync(file, 'utf8'));
  const skipped = (r.numPendingTests ?? 0) + (r.numTodoTests ?? 0);
  const failed = (r.numFailedTests ?? 0) + (r.numRuntimeErrorTestSuites ?? 0) + (r.numFailedTestSuites && !r.numFailedTests ? r.numFailedTestSuites : 0);
  console.log(`${r.numPassedTests ?? 0} passed, ${failed} failed, ${skipped} skipped`);
} catch {
  console.log('0 passed, 1 failed, 0 skipped');
}
