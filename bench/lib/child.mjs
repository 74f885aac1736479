// Child processes of the benchmarks, started so that a bench fails fast and says why: a child
// that cannot be spawned, exits, or is not ready within its start timeout rejects the start with
// the end of its stderr; a child that exits later, while the bench still uses it, ends the bench
// (exit 1) with the same. Every tracked child is killed when the bench process exits.

const STDERR_KEPT = 4096;
const children = new Set();

process.on('exit', () => { for (const c of children) c.kill('SIGKILL'); });
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.once(signal, () => { for (const c of children) c.kill('SIGKILL'); process.exit(1); });
}

/**
 * Tracks `child` (spawned with stderr 'pipe' to keep its last lines; they are still printed) and
 * resolves with what `ready(child, resolve)` resolves with: a JSON line on stdout, an IPC message.
 * Returns `{ value, child, exited, stop(signal), expectExit() }`: only after `stop` or
 * `expectExit` (a child that ends itself when told, e.g. on an IPC 'stop') may it exit without
 * failing the bench.
 */
export function startChild(child, { name, ready, timeoutMs = 30_000 }) {
  children.add(child);
  let tail = '';
  let stopping = false;
  child.stderr?.on('data', (d) => {
    process.stderr.write(d);
    tail = (tail + d).slice(-STDERR_KEPT);
  });
  const why = (what) => `${name} ${what}${tail.trim() ? `; its stderr ends with:\n${tail.trimEnd()}` : ' (nothing on stderr)'}`;
  const exited = new Promise((resolve) => child.once('exit', (code, signal) => { children.delete(child); resolve({ code, signal }); }));
  const started = new Promise((resolve, reject) => {
    const timer = setTimeout(() => { child.kill('SIGKILL'); reject(new Error(why(`was not ready within ${timeoutMs / 1000} s`))); }, timeoutMs);
    child.once('error', (error) => { clearTimeout(timer); reject(new Error(why(`could not start: ${error.message}`))); });
    void exited.then(({ code, signal }) => { clearTimeout(timer); reject(new Error(why(`exited (${signal ?? `code ${code}`}) before it was ready`))); });
    ready(child, (value) => { clearTimeout(timer); resolve(value); });
  });
  return started.then((value) => {
    void exited.then(({ code, signal }) => {
      if (stopping) return;
      console.error(`\nbench: ${why(`exited (${signal ?? `code ${code}`}) while the bench was using it`)}`);
      process.exit(1);
    });
    return {
      value,
      child,
      exited,
      stop: (signal = 'SIGTERM') => { stopping = true; child.kill(signal); return exited; },
      expectExit: () => { stopping = true; },
    };
  });
}

/** `ready` for children that print one JSON line (`{"url",…}`) on stdout when they listen. */
export const jsonLine = (child, resolve) => {
  let buf = '';
  child.stdout.on('data', (d) => {
    buf += d;
    const complete = buf.split('\n').slice(0, -1);
    const line = complete.find((l) => l.startsWith('{'));
    if (line) resolve(JSON.parse(line));
  });
};

/** `ready` for forked children whose first IPC message of `type` says they are ready. */
export const message = (type) => (child, resolve) => {
  const on = (m) => { if (type === undefined || m?.type === type) { child.off('message', on); resolve(m); } };
  child.on('message', on);
};

/** `ready` that polls `url` until it answers 2xx (e.g. Alertmanager's `/-/ready`). */
export const httpReady = (url, everyMs = 100) => (child, resolve) => {
  let done = false;
  child.once('exit', () => { done = true; });
  const poll = async () => {
    while (!done) {
      try {
        if ((await fetch(url)).ok) { done = true; resolve(undefined); return; }
      } catch { /* not yet */ }
      await new Promise((r) => setTimeout(r, everyMs));
    }
  };
  void poll();
};
