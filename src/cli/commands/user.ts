import { randomBytes } from 'node:crypto';
import type { Command } from 'commander';
import { AppError } from '../../core/errors.js';
import { addCommonOptions, connect, textArgument, withExamples, type CommonOptions } from '../command-kit.js';
import { table } from '../output.js';

interface UserView {
  id: string;
  email: string;
  name: string;
  role?: string;
  timeZone?: string;
  disabled?: boolean;
  hasPassword?: boolean;
  teams?: { slug: string; role: string }[];
  pagedVia?: string[];
}

/** A disabled user stays on schedules and policies, skipped when a page goes out: say where. */
const disabledWarning = (u: UserView): string[] =>
  u.disabled && u.pagedVia?.length ? [`Disabled, so never paged, but still named in: ${u.pagedVia.join('; ')}. Replace them there.`] : [];

interface SignInLink {
  url: string;
  expiresAt: string;
}

const linkLine = (link: SignInLink): string => `One-time sign-in link (shown once; send it to them, it expires ${link.expiresAt}): ${link.url}`;

/** A first password: 24 characters from 18 random bytes, shown once and never stored in clear. */
const generatedPassword = (): string => randomBytes(18).toString('base64url');

/** `firebreak user …`: people who are paged, hold roles and sign in. */
export function registerUserCommands(program: Command): void {
  const user = program.command('user').alias('users').description('Users: create, change role or time zone, disable, set a password.');
  const cmd = (spec: string, description: string, examples: string[]) => withExamples(user.command(spec).description(description), examples);
  const line = (u: UserView) => `${u.email} (${u.name}), ${u.role ?? 'responder'}${u.disabled ? ', disabled' : ''}${u.timeZone ? `, ${u.timeZone}` : ''}`;

  cmd('list', 'List users (admins also see roles, teams and state).', ['firebreak user list']).action(async (opts: CommonOptions) => {
    const { client, out } = connect(opts);
    const page = await client.get<{ items: UserView[] }>('/api/v1/users');
    out.emit(page, () => (page.items.length === 0 ? 'No users yet.' : table(['EMAIL', 'NAME', 'ROLE', 'TIME ZONE', 'TEAMS', 'STATE'], page.items.map((u) => [
      u.email, u.name, u.role ?? '-', u.timeZone ?? '-', (u.teams ?? []).map((t) => t.slug).join(',') || '-',
      u.disabled ? out.style.red('disabled') : u.hasPassword === false ? out.style.dim('no password') : 'active',
    ]), out.style)));
  });

  cmd('show <user>', 'One user by email or id.', ['firebreak user show alice@example.com']).action(async (ref: string, opts: CommonOptions) => {
    const { client, out } = connect(opts);
    const u = await client.get<UserView>(`/api/v1/users/${encodeURIComponent(ref.trim())}`);
    out.emit(u, () => [line(u), `teams: ${(u.teams ?? []).map((t) => `${t.slug} (${t.role})`).join(', ') || '-'}`, `paged via: ${u.pagedVia?.join('; ') || '-'}`, `id: ${u.id}`, ...disabledWarning(u)].join('\n'));
  });

  cmd('create <email> <name...>', 'Create a user. Without a password they are paged and hold roles but cannot sign in until one is set.', [
    'firebreak user create alice@example.com Alice Smith --role responder --time-zone Europe/Berlin',
    'firebreak user create bob@example.com Bob --generate-password     # prints the first password once',
    'printf %s "$PW" | firebreak user create carol@example.com Carol --password-stdin',
    'firebreak user create dana@example.com Dana --sign-in-link          # prints a one-time link; they choose a password',
  ])
    .option('--role <role>', 'admin, responder or viewer', 'responder')
    .option('--time-zone <tz>', 'IANA time zone, for night and out-of-hours pages', 'UTC')
    .option('--generate-password', 'make a first password and print it once')
    .option('--password-stdin', 'read the first password from standard input')
    .option('--sign-in-link', 'print a one-time sign-in link (72 h) with which they choose their own password')
    .action(async (email: string, words: string[], opts: CommonOptions & { role: string; timeZone: string; generatePassword?: boolean; passwordStdin?: boolean; signInLink?: boolean }) => {
      const { client, out } = connect(opts);
      if ([opts.generatePassword, opts.passwordStdin, opts.signInLink].filter(Boolean).length > 1) throw new AppError('VALIDATION', '--generate-password, --password-stdin and --sign-in-link exclude each other');
      const password = opts.generatePassword ? generatedPassword() : opts.passwordStdin ? (await textArgument('-', 'password')).trim() : undefined;
      const u = await client.post<UserView>('/api/v1/users', { email, name: words.join(' '), role: opts.role, timeZone: opts.timeZone, ...(password === undefined ? {} : { password }) });
      const link = opts.signInLink ? await client.post<SignInLink>(`/api/v1/users/${encodeURIComponent(u.id)}/sign-in-link`, {}) : undefined;
      out.emit(opts.generatePassword ? { ...u, password } : link ? { ...u, signInLink: link } : u, () => [
        `Created ${line(u)}`,
        ...(opts.generatePassword ? [`First password (shown once; they can change it after signing in): ${password}`] : []),
        ...(link ? [linkLine(link)] : []),
        ...(password === undefined && !link ? ['No password yet: send a sign-in link with `firebreak user link <email>`, or set one with `firebreak user password <email> --generate`.'] : []),
      ].join('\n'));
    });

  cmd('update <user>', 'Change name, role, time zone; --disable / --enable (disabling ends their sessions).', [
    'firebreak user update alice@example.com --role admin',
    'firebreak user update bob@example.com --disable',
  ])
    .option('--name <name>', 'display name')
    .option('--role <role>', 'admin, responder or viewer')
    .option('--time-zone <tz>', 'IANA time zone')
    .option('--disable', 'disable the account (no sign-in, no pages)')
    .option('--enable', 'enable it again')
    .action(async (ref: string, opts: CommonOptions & { name?: string; role?: string; timeZone?: string; disable?: boolean; enable?: boolean }) => {
      const { client, out } = connect(opts);
      if (opts.disable && opts.enable) throw new AppError('VALIDATION', '--disable and --enable exclude each other');
      const u = await client.patch<UserView>(`/api/v1/users/${encodeURIComponent(ref.trim())}`, {
        name: opts.name, role: opts.role, timeZone: opts.timeZone, ...(opts.disable ? { disabled: true } : opts.enable ? { disabled: false } : {}),
      });
      out.emit(u, () => [`Updated ${line(u)}`, ...disabledWarning(u)].join('\n'));
    });

  for (const [verb, disabled] of [['disable', true], ['enable', false]] as const) {
    cmd(`${verb} <user>`, disabled
      ? 'Disable an account: no sign-in, their API keys stop working, their sessions end, and pages skip them. Says where they are still named.'
      : 'Enable a disabled account again.', [`firebreak user ${verb} bob@example.com`])
      .action(async (ref: string, opts: CommonOptions) => {
        const { client, out } = connect(opts);
        const u = await client.patch<UserView>(`/api/v1/users/${encodeURIComponent(ref.trim())}`, { disabled });
        out.emit(u, () => [`${disabled ? 'Disabled' : 'Enabled'} ${line(u)}`, ...disabledWarning(u)].join('\n'));
      });
  }

  cmd('link <user>', 'A one-time sign-in link (shown once): they open it and choose a password. Replaces their unused links.', [
    'firebreak user link dana@example.com',
    'firebreak user link dana@example.com --valid-hours 24',
  ])
    .option('--valid-hours <n>', 'how long the link works (1 to 336)', '72')
    .action(async (ref: string, opts: CommonOptions & { validHours: string }) => {
      const { client, out } = connect(opts);
      const validHours = Number(opts.validHours);
      if (!Number.isInteger(validHours)) throw new AppError('VALIDATION', `--valid-hours ${opts.validHours}: expected a whole number`);
      const link = await client.post<SignInLink>(`/api/v1/users/${encodeURIComponent(ref.trim())}/sign-in-link`, { validHours });
      out.emit({ user: ref, ...link }, () => linkLine(link));
    });

  cmd('password <user>', 'Set a user\'s password (admin): generated and printed once, or read from standard input. Ends their sessions.', [
    'firebreak user password bob@example.com --generate',
    'printf %s "$PW" | firebreak user password bob@example.com',
  ])
    .option('--generate', 'make a password and print it once')
    .action(async (ref: string, opts: CommonOptions & { generate?: boolean }) => {
      const { client, out } = connect(opts);
      const password = opts.generate ? generatedPassword() : (await textArgument('-', 'password')).trim();
      await client.put(`/api/v1/users/${encodeURIComponent(ref.trim())}/password`, { password });
      out.emit(opts.generate ? { user: ref, password } : { user: ref }, () => (opts.generate ? `New password for ${ref} (shown once): ${password}` : `Password set for ${ref}`));
    });

  addCommonOptions(user);
}
