import { existsSync } from 'node:fs';
import type { Command } from 'commander';
import { AppError } from '../../core/errors.js';
import type { ApiKeyView } from '../../domain/users/manage-api-keys.js';
import { addCommonOptions, connect, listOption, withExamples, type CommonOptions } from '../command-kit.js';
import { createOutput, relativeTime, table, type Output } from '../output.js';

type CreatedKey = ApiKeyView & { token: string };

function renderCreated(key: CreatedKey, out: Output): string {
  const s = out.style;
  return [
    `Created API key ${s.bold(key.name)} (${key.id}), scopes ${key.scopes.join(', ')}${key.userId ? '' : ', no owner: acts as an admin'}`,
    '',
    `  ${s.bold(key.token)}`,
    '',
    s.yellow('This token is shown only once; Firebreak keeps only its hash. Store it now, e.g. as FIREBREAK_API_KEY.'),
  ].join('\n');
}

/**
 * `apikey create --local` is the bootstrap path: a fresh install has an admin password but no
 * key, and the CLI speaks only API keys. It writes straight to the database through the same
 * domain verb the API uses, as a system actor, so the key has no owner and acts as an admin.
 * This gives away nothing: whoever can open the database (file permissions on the SQLite file,
 * or the PostgreSQL credentials) can already read and change everything in it.
 */
async function createLocalKey(options: { database?: string; name: string; scopes: string[] }): Promise<CreatedKey> {
  // Loaded here so commands that only talk HTTP do not pay for the database drivers at start.
  const [{ loadEnvConfig }, { openStore, pendingMigrations }, { createApiKey }, { systemClock }, { silentLogger }] = await Promise.all([
    import('../../config/env-config.js'),
    import('../../store/index.js'),
    import('../../domain/users/manage-api-keys.js'),
    import('../../core/clock.js'),
    import('../../core/logger.js'),
  ]);
  const config = loadEnvConfig(process.env, { DATABASE_URL: options.database });
  const url = config.DATABASE_URL;
  // Opening a missing SQLite file would create an empty database: a key there opens nothing.
  if (!/^postgres(ql)?:\/\//.test(url)) {
    const path = url.replace(/^sqlite:(\/\/)?/, '');
    if (!existsSync(path)) {
      throw new AppError('PRECONDITION_FAILED', `database: no SQLite file at ${path}; pass the server's --database (or DATABASE_URL), or start the server once to create it`);
    }
  }
  const store = openStore(url, { poolSize: 1 });
  try {
    const pending = await pendingMigrations(store.dialect);
    if (pending.length > 0) {
      throw new AppError('PRECONDITION_FAILED', `database: ${pending.length} migration(s) pending (${pending.join(', ')}); run \`firebreak migrate\` or start the server first`);
    }
    return await createApiKey({
      ctx: { actor: { type: 'system', name: 'cli' }, clock: systemClock, log: silentLogger, requestId: 'cli', store },
      input: { name: options.name, scopes: options.scopes },
    });
  } finally {
    await store.close();
  }
}

export function registerApiKeyCommands(program: Command): void {
  const apikey = program.command('apikey').alias('apikeys').description('Create, list and revoke API keys.');

  withExamples(
    apikey.command('create').description('Create an API key acting as you (or, with --local, an owner-less admin key). The token is printed once.'),
    [
      'firebreak apikey create --name deploy-bot --scopes read,write',
      'firebreak apikey create --local --name ops --database sqlite:/var/lib/firebreak/firebreak.db',
      'export FIREBREAK_API_KEY=$(firebreak apikey create --local --name ops --json | jq -r .token)',
    ],
  )
    .requiredOption('--name <name>', 'what the key is for, e.g. the script or person using it')
    .option('--scopes <scopes>', 'comma-separated: read, write, admin, ingest (default: read; admin with --local)')
    .option('--local', 'on the server host: write to the database directly, no server or key needed')
    .option('--database <url>', 'with --local: sqlite:PATH or postgres://… (env DATABASE_URL)')
    .action(async (opts: CommonOptions & { name: string; scopes?: string; local?: boolean; database?: string }) => {
      const scopes = listOption(opts.scopes);
      if (opts.database !== undefined && !opts.local) {
        throw new AppError('VALIDATION', 'database: --database only applies with --local', { issues: [{ field: 'database', message: 'only applies with --local' }] });
      }
      if (opts.local) {
        const key = await createLocalKey({ database: opts.database, name: opts.name, scopes: scopes ?? ['admin'] });
        const out = createOutput(opts);
        out.emit(key, () => renderCreated(key, out));
        return;
      }
      const { client, out } = connect(opts);
      const key = await client.post<CreatedKey>('/api/v1/api-keys', { name: opts.name, scopes });
      out.emit(key, () => renderCreated(key, out));
    });

  withExamples(apikey.command('list').description('List API keys (admins see every key; others their own). Secrets are never shown.'), [
    'firebreak apikey list',
    'firebreak apikey list --json | jq -r \'.items[] | select(.revokedAt == null) | .id\'',
  ]).action(async (opts: CommonOptions) => {
    const { client, out } = connect(opts);
    const page = await client.get<{ items: ApiKeyView[] }>('/api/v1/api-keys');
    out.emit(page, () =>
      page.items.length === 0
        ? 'No API keys.'
        : table(
            ['ID', 'NAME', 'PREFIX', 'SCOPES', 'OWNER', 'CREATED', 'LAST USED', 'STATE'],
            page.items.map((k) => [
              k.id, k.name, k.prefix, k.scopes.join(','), k.userId ?? '(operator)', relativeTime(k.createdAt, out.now), k.lastUsedAt ? relativeTime(k.lastUsedAt, out.now) : 'never',
              k.revokedAt ? out.style.dim(`revoked ${relativeTime(k.revokedAt, out.now)}`) : out.style.green('active'),
            ]),
            out.style,
          ),
    );
  });

  withExamples(apikey.command('revoke <id>').description('Revoke an API key; it stops working at once on every instance.'), [
    'firebreak apikey revoke key_01JQ…',
  ]).action(async (id: string, opts: CommonOptions) => {
    const { client, out } = connect(opts);
    const key = await client.delete<ApiKeyView>(`/api/v1/api-keys/${encodeURIComponent(id)}`);
    out.emit(key, () => `Revoked ${key.name} (${key.id})`);
  });

  addCommonOptions(apikey);
}
