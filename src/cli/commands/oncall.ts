import type { Command } from 'commander';
import { addCommonOptions, connect, withExamples, type CommonOptions } from '../command-kit.js';
import { table } from '../output.js';

interface OnCallAnswer {
  at: string;
  schedules: { id: string; name: string; users: { id: string; name: string }[]; reason: string }[];
}

/** `firebreak oncall`: who is on call now (or at --at), on one schedule or all, and why. */
export function registerOnCallCommands(program: Command): void {
  const cmd = withExamples(program.command('oncall').description('Who is on call now or at a time, and which layer or override decided.'), [
    'firebreak oncall',
    'firebreak oncall --schedule "Payments primary" --at 2026-03-08T03:00:00+01:00',
    'firebreak oncall --json | jq ".schedules[].users[].name"',
  ])
    .option('--schedule <schedule>', 'schedule id or name (default: every schedule)')
    .option('--at <time>', 'ISO 8601 time or epoch ms (default: now)')
    .action(async (opts: CommonOptions & { schedule?: string; at?: string }) => {
      const { client, out } = connect(opts);
      const path = opts.schedule ? `/api/v1/schedules/${encodeURIComponent(opts.schedule)}/oncall` : '/api/v1/oncall';
      const answer = await client.get<OnCallAnswer>(path, { at: opts.at });
      out.emit(answer, () =>
        answer.schedules.length === 0
          ? 'No schedules yet.'
          : `On call at ${answer.at}\n` +
            table(['SCHEDULE', 'ON CALL', 'WHY'], answer.schedules.map((s) => [s.name, s.users.map((u) => u.name).join(', ') || out.style.red('nobody'), s.reason]), out.style),
      );
    });
  // A leaf directly under the program: give it the common options itself.
  addCommonOptions({ commands: [cmd] } as unknown as Command);
}
