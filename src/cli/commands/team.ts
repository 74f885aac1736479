import type { Command } from 'commander';
import { addCommonOptions, connect, withExamples, type CommonOptions } from '../command-kit.js';
import { table } from '../output.js';

interface TeamView {
  id: string;
  slug: string;
  name: string;
  managedBy: string | null;
  members: { userId: string; email: string; name: string; role: string }[];
}

const teamPath = (ref: string): string => `/api/v1/teams/${encodeURIComponent(ref.trim())}`;

/** `firebreak team …`: who owns services, and whom a team target in a policy pages. */
export function registerTeamCommands(program: Command): void {
  const team = program.command('team').alias('teams').description('Teams and their members.');
  const cmd = (spec: string, description: string, examples: string[]) => withExamples(team.command(spec).description(description), examples);
  const members = (t: TeamView) => t.members.map((m) => `${m.email} (${m.role})`).join(', ') || 'no members';

  cmd('list', 'List teams with their members.', ['firebreak team list']).action(async (opts: CommonOptions) => {
    const { client, out } = connect(opts);
    const page = await client.get<{ items: TeamView[] }>('/api/v1/teams');
    out.emit(page, () => (page.items.length === 0 ? 'No teams yet.' : table(['SLUG', 'NAME', 'MEMBERS', 'MANAGED'], page.items.map((t) => [
      t.slug, t.name, t.members.map((m) => m.email).join(',') || '-', t.managedBy ?? '-',
    ]), out.style)));
  });

  cmd('show <team>', 'One team (slug or id) with its members and their roles.', ['firebreak team show payments']).action(async (ref: string, opts: CommonOptions) => {
    const { client, out } = connect(opts);
    const t = await client.get<TeamView>(teamPath(ref));
    out.emit(t, () => `${t.slug} (${t.name}): ${members(t)}`);
  });

  cmd('create <slug> <name...>', 'Create a team.', ['firebreak team create payments Payments Engineering']).action(async (slug: string, words: string[], opts: CommonOptions) => {
    const { client, out } = connect(opts);
    const t = await client.post<TeamView>('/api/v1/teams', { slug, name: words.join(' ') });
    out.emit(t, () => `Created team ${t.slug} (${t.name})`);
  });

  cmd('update <team>', 'Rename a team or change its slug.', ['firebreak team update payments --name "Payments & Billing"'])
    .option('--name <name>', 'display name')
    .option('--slug <slug>', 'new slug')
    .action(async (ref: string, opts: CommonOptions & { name?: string; slug?: string }) => {
      const { client, out } = connect(opts);
      const t = await client.patch<TeamView>(teamPath(ref), { name: opts.name, slug: opts.slug });
      out.emit(t, () => `Updated team ${t.slug} (${t.name})`);
    });

  cmd('delete <team>', 'Delete a team.', ['firebreak team delete payments']).action(async (ref: string, opts: CommonOptions) => {
    const { client, out } = connect(opts);
    await client.delete(teamPath(ref));
    out.emit({ deleted: ref }, () => `Deleted team ${ref}`);
  });

  cmd('add <team> <user>', 'Add a member (email or id) or change their team role.', ['firebreak team add payments alice@example.com --role manager'])
    .option('--role <role>', 'manager, responder or observer', 'responder')
    .action(async (ref: string, userRef: string, opts: CommonOptions & { role: string }) => {
      const { client, out } = connect(opts);
      const t = await client.put<TeamView>(`${teamPath(ref)}/members/${encodeURIComponent(userRef.trim())}`, { role: opts.role });
      out.emit(t, () => `${t.slug}: ${members(t)}`);
    });

  cmd('remove <team> <user>', 'Remove a member.', ['firebreak team remove payments alice@example.com']).action(async (ref: string, userRef: string, opts: CommonOptions) => {
    const { client, out } = connect(opts);
    const t = await client.delete<TeamView>(`${teamPath(ref)}/members/${encodeURIComponent(userRef.trim())}`);
    out.emit(t ?? { removed: userRef }, () => (t && typeof t === 'object' && 'members' in t ? `${t.slug}: ${members(t)}` : `Removed ${userRef} from ${ref}`));
  });

  addCommonOptions(team);
}
