import type { Command } from 'commander';
import type { Store } from '../../store/index.js';
import type { CommandOutcome } from './config.js';

/** Exit status when the chain does not verify. */
export const EXIT_AUDIT_TAMPERED = 1;

/**
 * Reads the audit log straight from the database (no server needed) and checks the hash chain.
 * The printed head is what to store somewhere the database's admins cannot write, to catch a
 * truncated tail on the next run with --expect-head.
 */
export async function verifyAuditCommand(store: Store, options: { expectHead?: string; json?: boolean } = {}): Promise<CommandOutcome> {
  // Loaded here, not at the top: every CLI call would otherwise pay for the store's drivers.
  const { formatAuditHead, parseAuditHead, verifyAuditLog } = await import('../../domain/audit/verify-audit.js');
  const expected = options.expectHead ? parseAuditHead(options.expectHead, '--expect-head') : undefined;
  const result = await verifyAuditLog(store.db, expected);
  const head = formatAuditHead({ seq: result.headSeq, hash: result.headHash });
  const exitCode = result.ok ? 0 : EXIT_AUDIT_TAMPERED;
  if (options.json) return { exitCode, output: JSON.stringify({ ...result, head }) + '\n' };
  const lines = [
    `checked ${result.entries} audit entr${result.entries === 1 ? 'y' : 'ies'}`,
    `head ${head}`,
    `  (keep this line elsewhere; pass it later as --expect-head to detect a truncated log)`,
  ];
  if (result.ok) lines.push('OK: the hash chain is intact');
  else {
    lines.push(`TAMPERED: ${result.problems.length} problem${result.problems.length === 1 ? '' : 's'}`);
    for (const p of result.problems) lines.push(`  entry ${p.seq}: ${p.problem}`);
  }
  return { exitCode, output: lines.join('\n') + '\n' };
}

export function registerAuditCommands(program: Command): void {
  const audit = program.command('audit').description('The tamper-evident audit log.');
  audit
    .command('verify')
    .description('Check the audit log hash chain; exit 1 if an entry was edited, deleted, reordered or the tail removed.')
    .option('--database <url>', 'sqlite:PATH or postgres://… (env DATABASE_URL)')
    .option('--expect-head <seq:hash>', 'a head printed by an earlier run; fails if the log no longer contains it')
    .option('--json', 'machine-readable output')
    .action(async (opts: { database?: string; expectHead?: string; json?: boolean }) => {
      const { loadEnvConfig } = await import('../../config/env-config.js');
      const { openStore } = await import('../../store/index.js');
      const config = loadEnvConfig(process.env, { DATABASE_URL: opts.database });
      const store = openStore(config.DATABASE_URL, { poolSize: 1 });
      try {
        const outcome = await verifyAuditCommand(store, opts);
        process.stdout.write(outcome.output);
        process.exitCode = outcome.exitCode;
      } finally {
        await store.close();
      }
    });
}
