import type { Command } from 'commander';
import type { IncidentRoleView } from '../../domain/incident-roles/role-definition.js';
import { addCommonOptions, connect, withExamples, type CommonOptions } from '../command-kit.js';
import { table } from '../output.js';

interface RoleOptions extends CommonOptions {
  name?: string;
  description?: string;
  position?: string;
}

const positionOf = (value: string | undefined): number | undefined => (value === undefined ? undefined : Number(value));

/** `firebreak role …`: the catalogue of incident roles the incident page offers. */
export function registerRoleCommands(program: Command): void {
  const role = program.command('role').alias('roles').description('Incident roles the incident page offers (commander, communications, scribe, your own); any other name still works on an incident.');
  const cmd = (spec: string, description: string, examples: string[]) => withExamples(role.command(spec).description(description), examples);

  cmd('list', 'The roles, in their order.', ['firebreak role list']).action(async (opts: CommonOptions) => {
    const { client, out } = connect(opts);
    const page = await client.get<{ items: IncidentRoleView[] }>('/api/v1/incident-roles');
    out.emit(page, () => table(
      ['KEY', 'NAME', 'MANAGED', 'DESCRIPTION'],
      page.items.map((r) => [r.key, r.name, r.managedBy ?? '-', (r.description ?? '').replace(/\s+/g, ' ').slice(0, 60)]),
      out.style,
    ));
  });

  cmd('add <key> <name>', 'Add a role; <key> is what incidents store (lower-case, digits, -).', [
    'firebreak role add security-lead "Security lead" --description "Owns containment and evidence"',
  ]).option('--description <text>', 'what the role does').option('--position <n>', 'order in the list (default: last)')
    .action(async (key: string, name: string, opts: RoleOptions) => {
      const { client, out } = connect(opts);
      const r = await client.post<IncidentRoleView>('/api/v1/incident-roles', {
        key, name, ...(opts.description !== undefined ? { description: opts.description } : {}), ...(opts.position !== undefined ? { position: positionOf(opts.position) } : {}),
      });
      out.emit(r, () => `Added role ${r.key} (${r.name})`);
    });

  cmd('edit <key>', 'Change a role\'s name, description or position; the key stays.', [
    'firebreak role edit scribe --name "Scribe / note-taker"',
    'firebreak role edit security-lead --description ""',
  ]).option('--name <name>', 'display name').option('--description <text>', 'what the role does ("" clears it)').option('--position <n>', 'order in the list')
    .action(async (key: string, opts: RoleOptions) => {
      const { client, out } = connect(opts);
      const body = {
        ...(opts.name !== undefined ? { name: opts.name } : {}),
        ...(opts.description !== undefined ? { description: opts.description === '' ? null : opts.description } : {}),
        ...(opts.position !== undefined ? { position: positionOf(opts.position) } : {}),
      };
      const r = await client.put<IncidentRoleView>(`/api/v1/incident-roles/${encodeURIComponent(key)}`, body);
      out.emit(r, () => `Saved role ${r.key} (${r.name})`);
    });

  cmd('remove <key>', 'Remove a role from the list; refused while someone holds it on an open incident.', ['firebreak role remove scribe'])
    .action(async (key: string, opts: CommonOptions) => {
      const { client, out } = connect(opts);
      await client.delete(`/api/v1/incident-roles/${encodeURIComponent(key)}`);
      out.emit({ deleted: true }, () => `Removed role ${key}`);
    });

  addCommonOptions(role);
}
