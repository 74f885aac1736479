import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface ExecutionLimits {
  timeoutSeconds: number;
  outputLimitBytes: number;
}

export interface ExecutionResult {
  exitCode: number | null;
  timedOut: boolean;
  truncated: boolean;
  /** Why it could not start (e.g. the program does not exist). */
  error?: string;
}

/**
 * Runs argv directly (no shell) in a fresh temporary directory with a minimal environment,
 * streaming output to `onOutput`. The whole process group is killed on timeout or when the
 * output passes the cap, so a runaway command cannot outlive its job.
 */
export async function executeCommand(argv: readonly string[], limits: ExecutionLimits, onOutput: (chunk: string) => void): Promise<ExecutionResult> {
  const dir = await mkdtemp(join(tmpdir(), 'firebreak-job-'));
  try {
    return await new Promise<ExecutionResult>((resolve) => {
      let produced = 0;
      let truncated = false;
      let timedOut = false;
      let settled = false;
      const child = spawn(argv[0]!, argv.slice(1), {
        cwd: dir,
        env: { PATH: process.env.PATH ?? '/usr/local/bin:/usr/bin:/bin', HOME: dir, LANG: 'C.UTF-8', TMPDIR: dir },
        stdio: ['ignore', 'pipe', 'pipe'],
        detached: true,
        shell: false,
      });
      const kill = () => {
        try {
          if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
        } catch {
          child.kill('SIGKILL');
        }
      };
      const timer = setTimeout(() => {
        timedOut = true;
        kill();
      }, limits.timeoutSeconds * 1000);
      const take = (data: Buffer) => {
        if (truncated) return;
        const room = limits.outputLimitBytes - produced;
        if (data.length > room) {
          truncated = true;
          if (room > 0) onOutput(data.subarray(0, room).toString('utf8'));
          produced = limits.outputLimitBytes;
          kill();
          return;
        }
        produced += data.length;
        onOutput(data.toString('utf8'));
      };
      child.stdout.on('data', take);
      child.stderr.on('data', take);
      const finish = (result: ExecutionResult) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        resolve(result);
      };
      child.on('error', (error) => finish({ exitCode: 127, timedOut: false, truncated: false, error: (error as NodeJS.ErrnoException).code === 'ENOENT' ? `${argv[0]}: command not found` : error.message }));
      child.on('close', (code, signal) => finish({ exitCode: code ?? (signal ? 128 + 9 : null), timedOut, truncated }));
    });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
