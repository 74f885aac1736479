import { Command } from 'commander';
import { VERSION } from '../app/version.js';
import { registerServeCommands } from './commands/serve.js';

export function buildProgram(): Command {
  const program = new Command('firebreak')
    .description('Self-hosted incident response: alerts, paging, runbooks, status pages, post-mortems.')
    .version(VERSION)
    .showHelpAfterError();
  registerServeCommands(program);
  return program;
}
