import type { Command } from 'commander';

export interface CommandOutcome {
  exitCode: number;
  output: string;
}

export function registerConfigCommands(program: Command): void {
  const config = program.command('config').description('Work with firebreak.yaml (configuration as code).');
  config
    .command('check [file]')
    .description('Validate firebreak.yaml (default $FIREBREAK_CONFIG or ./firebreak.yaml); exit 78 listing every problem.')
    .option('--json', 'machine-readable output')
    .action(async (file: string | undefined, opts: { json?: boolean }) => {
      // Loaded on use: zod and yaml are not needed by every other command.
      const { checkConfigFile } = await import('./config-check.js');
      const outcome = checkConfigFile(file ?? process.env.FIREBREAK_CONFIG ?? 'firebreak.yaml', opts);
      (outcome.exitCode === 0 || opts.json ? process.stdout : process.stderr).write(outcome.output);
      process.exitCode = outcome.exitCode;
    });
}
