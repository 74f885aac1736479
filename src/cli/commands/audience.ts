import type { Command } from 'commander';
import type { AudienceGroupView, AudienceRuleView } from '../../domain/audiences/group-view.js';
import { addCommonOptions, connect, listOption, withExamples, type CommonOptions } from '../command-kit.js';
import { table } from '../output.js';

const collect = (value: string, previous: string[] = []): string[] => [...previous, ...value.split(',').map((s) => s.trim()).filter(Boolean)];

/** `firebreak audience …`: internal stakeholder groups and the rules that pick them per incident. */
export function registerAudienceCommands(program: Command): void {
  const audience = program.command('audience').alias('audiences').description('Audience groups (internal stakeholders) and the rules that decide who hears about which incidents.');
  const cmd = (parent: Command, spec: string, description: string, examples: string[]) => withExamples(parent.command(spec).description(description), examples);

  const group = audience.command('group').alias('groups').description('Named groups: emails, a Slack incoming webhook, a signed webhook, users and teams.');
  cmd(group, 'list', 'Audience groups and their members.', ['firebreak audience group list']).action(async (opts: CommonOptions) => {
    const { client, out } = connect(opts);
    const page = await client.get<{ items: AudienceGroupView[] }>('/api/v1/audience-groups');
    out.emit(page, () => table(['SLUG', 'NAME', 'EMAILS', 'SLACK', 'WEBHOOK', 'USERS', 'TEAMS', 'SOURCE'], page.items.map((g) => [
      g.slug, g.name, String(g.emails.length), g.slackWebhookUrl ? 'yes' : '-', g.webhookUrl ? 'yes' : '-', g.users.map((u) => u.email).join(','), g.teams.map((t) => t.slug).join(','), g.source,
    ]), out.style));
  });
  cmd(group, 'show <slug>', 'One group with every member.', ['firebreak audience group show executives']).action(async (slug: string, opts: CommonOptions) => {
    const { client, out } = connect(opts);
    const g = await client.get<AudienceGroupView>(`/api/v1/audience-groups/${encodeURIComponent(slug)}`);
    out.emit(g, () => [
      `${g.name} (${g.slug}, ${g.source})`,
      ...g.emails.map((e) => `  email    ${e}`),
      ...(g.slackWebhookUrl ? [`  slack    ${g.slackWebhookUrl}`] : []),
      ...(g.webhookUrl ? [`  webhook  ${g.webhookUrl}${g.hasWebhookSecret ? ' (signed)' : ''}`] : []),
      ...g.users.map((u) => `  user     ${u.name} <${u.email}>`),
      ...g.teams.map((t) => `  team     ${t.slug}`),
    ].join('\n'));
  });
  cmd(group, 'set <slug>', 'Create or replace a group (every member is given again). URLs pass the outbound SSRF guard.', [
    'firebreak audience group set executives --name Executives --email ceo@example.com,cfo@example.com --slack-url https://hooks.slack.com/services/T/B/X',
    'firebreak audience group set finance-leads --name "Finance leads" --team finance --user alice@example.com',
  ])
    .requiredOption('--name <name>', 'display name')
    .option('--description <text>', 'what the group is for')
    .option('--email <list>', 'email addresses (repeat or comma-separate)', collect)
    .option('--slack-url <url>', 'a Slack incoming webhook URL')
    .option('--webhook-url <url>', 'a generic webhook URL (signed per Standard Webhooks)')
    .option('--webhook-secret <secret>', 'whsec_… (default: generated and shown once)')
    .option('--user <list>', 'user emails or ids (repeat or comma-separate)', collect)
    .option('--team <list>', 'team slugs (repeat or comma-separate)', collect)
    .action(async (slug: string, opts: CommonOptions & { name: string; description?: string; email?: string[]; slackUrl?: string; webhookUrl?: string; webhookSecret?: string; user?: string[]; team?: string[] }) => {
      const { client, out } = connect(opts);
      const g = await client.put<AudienceGroupView & { webhookSecret?: string }>(`/api/v1/audience-groups/${encodeURIComponent(slug)}`, {
        name: opts.name, description: opts.description, emails: opts.email ?? [], slackWebhookUrl: opts.slackUrl ?? null, webhookUrl: opts.webhookUrl ?? null,
        webhookSecret: opts.webhookSecret, users: opts.user ?? [], teams: opts.team ?? [],
      });
      out.emit(g, () => `Saved audience group ${g.slug}${g.webhookSecret ? `\nWebhook signing secret (shown once): ${g.webhookSecret}` : ''}`);
    });
  cmd(group, 'delete <slug>', 'Delete a group and its rules.', ['firebreak audience group delete executives']).action(async (slug: string, opts: CommonOptions) => {
    const { client, out } = connect(opts);
    await client.delete(`/api/v1/audience-groups/${encodeURIComponent(slug)}`);
    out.emit({ deleted: true }, () => `Deleted audience group ${slug}`);
  });

  const rule = audience.command('rule').alias('rules').description('Which groups hear about which incidents: severity and service (empty = any).');
  cmd(rule, 'list', 'Audience rules.', ['firebreak audience rule list']).action(async (opts: CommonOptions) => {
    const { client, out } = connect(opts);
    const page = await client.get<{ items: AudienceRuleView[] }>('/api/v1/audience-rules');
    out.emit(page, () => table(['ID', 'GROUP', 'SEVERITIES', 'SERVICES', 'SOURCE'], page.items.map((r) => [r.id, r.group.slug, r.severities.join(',') || 'any', r.services.join(',') || 'any', r.source]), out.style));
  });
  cmd(rule, 'add', 'Add a rule: SEV1 on payments → executives.', ['firebreak audience rule add --group executives --severity SEV1 --service payments'])
    .requiredOption('--group <slug>', 'the audience group')
    .option('--severity <list>', 'severity keys, comma-separated (default: any)')
    .option('--service <list>', 'service slugs, comma-separated (default: any)')
    .action(async (opts: CommonOptions & { group: string; severity?: string; service?: string }) => {
      const { client, out } = connect(opts);
      const r = await client.post<AudienceRuleView>('/api/v1/audience-rules', { group: opts.group, severities: listOption(opts.severity) ?? [], services: listOption(opts.service) ?? [] });
      out.emit(r, () => `Added rule ${r.id}: ${r.severities.join(',') || 'any severity'} on ${r.services.join(',') || 'any service'} → ${r.group.slug}`);
    });
  cmd(rule, 'delete <id>', 'Delete a rule.', ['firebreak audience rule delete aur_01H…']).action(async (id: string, opts: CommonOptions) => {
    const { client, out } = connect(opts);
    await client.delete(`/api/v1/audience-rules/${encodeURIComponent(id)}`);
    out.emit({ deleted: true }, () => `Deleted rule ${id}`);
  });

  addCommonOptions(audience);
}
