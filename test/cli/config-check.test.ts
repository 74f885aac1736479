import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { checkConfigFile } from '../../src/cli/commands/config-check.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const EXAMPLE = join(ROOT, 'examples/firebreak.yaml');

describe('firebreak config check', () => {
  it('passes the shipped example with a summary', () => {
    expect(checkConfigFile(EXAMPLE)).toEqual({ exitCode: 0, output: `${EXAMPLE} is valid: 2 teams, 5 users, 3 services, 4 severities, 2 checklists, 4 routes, 2 updateTemplates, 1 postmortemTemplates, 2 reports, 1 incidentRoles\n` });
    expect(JSON.parse(checkConfigFile(EXAMPLE, { json: true }).output)).toMatchObject({ ok: true, summary: { teams: 2, services: 3 } });
  });

  it('lists every problem with its location and exits 78', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'firebreak-check-')), 'firebreak.yaml');
    writeFileSync(file, 'teams:\n  - { slug: ops, name: Ops, colour: red }\nservices:\n  - { slug: api, name: API, team: 7 }\n');
    const outcome = checkConfigFile(file);
    expect(outcome.exitCode).toBe(78);
    expect(outcome.output).toBe([
      `${file}:2:29 teams.0.colour: unknown key (expected one of: slug, name, members)`,
      `${file}:4:35 services.0.team: Invalid input: expected string, received number`,
      `2 problems in ${file}`,
      '',
    ].join('\n'));
    const json = JSON.parse(checkConfigFile(file, { json: true }).output);
    expect(json.problems).toHaveLength(2);
    expect(json.problems[0]).toEqual({ file, line: 2, col: 29, path: 'teams.0.colour', message: 'unknown key (expected one of: slug, name, members)' });
  });

  it('runs as a command: exit 0 for the example, 78 for a broken file', async () => {
    const run = promisify(execFile);
    const cli = [join(ROOT, 'node_modules/tsx/dist/cli.mjs'), join(ROOT, 'src/cli/main.ts'), 'config', 'check'];
    const ok = await run(process.execPath, [...cli, EXAMPLE]);
    expect(ok.stdout).toContain('is valid');
    const error = await run(process.execPath, [...cli, '/nonexistent/firebreak.yaml']).catch((e: { code: number; stderr: string }) => e);
    expect(error).toMatchObject({ code: 78 });
    expect((error as { stderr: string }).stderr).toContain('/nonexistent/firebreak.yaml: cannot read the file (ENOENT)');
  });
});
