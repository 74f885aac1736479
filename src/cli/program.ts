import { Command } from 'commander';
import { VERSION } from '../app/version.js';
import { registerApiKeyCommands } from './commands/apikey.js';
import { registerAuditCommands } from './commands/audit.js';
import { registerConfigCommands } from './commands/config.js';
import { registerIncidentCommands } from './commands/incident.js';
import { registerServeCommands } from './commands/serve.js';
import { registerDrillCommands } from './commands/drill.js';
import { registerRunbookCommands } from './commands/runbook.js';
import { registerRunnerCommands } from './commands/runner.js';
import { registerAlertCommands } from './commands/alert.js';
import { registerIntegrationCommands } from './commands/integration.js';
import { registerSilenceCommands } from './commands/silence.js';
import { registerOnCallCommands } from './commands/oncall.js';
import { registerScheduleCommands } from './commands/schedule.js';
import { registerPolicyCommands } from './commands/policy.js';
import { registerContactCommands } from './commands/contact.js';
import { registerServiceCommands } from './commands/service.js';
import { registerReportCommands } from './commands/report.js';
import { registerReportScheduleCommands } from './commands/report-schedule.js';
import { registerUpdateCommands } from './commands/update.js';
import { registerActionCommands } from './commands/action.js';
import { registerChecklistCommands } from './commands/checklist.js';
import { registerRoleCommands } from './commands/role.js';
import { registerPostmortemCommands } from './commands/postmortem.js';
import { registerAudienceCommands } from './commands/audience.js';
import { registerStatusPageCommands } from './commands/statuspage.js';
import { registerTeamCommands } from './commands/team.js';
import { registerUserCommands } from './commands/user.js';
import { registerMaintenanceCommands } from './commands/maintenance.js';

/** The `firebreak` command. Each area registers its own subcommands, one line each below. */
export function buildProgram(): Command {
  const program = new Command('firebreak')
    .description('Self-hosted incident response: alerts, paging, runbooks, status pages, post-mortems.')
    .version(VERSION)
    .showHelpAfterError()
    // Usage errors reach main.ts as CommanderError, so they get exit code 2 like other bad input.
    .exitOverride();
  registerServeCommands(program);
  registerConfigCommands(program);
  registerAuditCommands(program);
  registerIncidentCommands(program);
  registerApiKeyCommands(program);
  registerRunbookCommands(program);
  registerDrillCommands(program);
  registerRunnerCommands(program);
  registerIntegrationCommands(program);
  registerAlertCommands(program);
  // Before silence commands: they add `maintenance add|delete` to this command.
  registerMaintenanceCommands(program);
  registerSilenceCommands(program);
  registerOnCallCommands(program);
  registerScheduleCommands(program);
  registerPolicyCommands(program);
  registerContactCommands(program);
  registerUserCommands(program);
  registerTeamCommands(program);
  registerServiceCommands(program);
  registerUpdateCommands(program);
  registerActionCommands(program);
  registerChecklistCommands(program);
  registerRoleCommands(program);
  registerPostmortemCommands(program);
  registerAudienceCommands(program);
  registerStatusPageCommands(program);
  registerReportCommands(program);
  registerReportScheduleCommands(program);
  return program;
}
