import type { Command } from 'commander';
import { jsonLogger, silentLogger } from '../../core/logger.js';

// The server, the config schema and the database drivers are loaded only by the commands that
// use them, so client commands (`incident …`, `apikey …`) start in a fraction of the time.
const loadConfig = () => import('../../config/env-config.js');
const loadServer = () => import('../../app/server.js');
const loadStore = () => import('../../store/index.js');

export function registerServeCommands(program: Command): void {
  program
    .command('serve')
    .description('Run the server (API, web UI, ingest, worker) on the configured database.')
    .option('--port <port>', 'port to listen on (env PORT, default 8080)')
    .option('--host <host>', 'address to bind (env HOST, default 127.0.0.1)')
    .option('--database <url>', 'sqlite:PATH or postgres://… (env DATABASE_URL)')
    .option('--config <file>', 'firebreak.yaml (env FIREBREAK_CONFIG)')
    .action(async (opts: { port?: string; host?: string; database?: string; config?: string }) => {
      const { loadEnvConfig } = await loadConfig();
      const config = loadEnvConfig(process.env, { PORT: opts.port, HOST: opts.host, DATABASE_URL: opts.database, FIREBREAK_CONFIG: opts.config });
      const log = config.FIREBREAK_LOG === 'silent' ? silentLogger : jsonLogger();
      const { startServer } = await loadServer();
      const server = await startServer(config, {
        log,
        onAdminCreated: (email, password, url) => {
          process.stdout.write(
            `\n  First start: an admin account was created. This password is shown only once.\n\n` +
              `    sign in at  ${url}\n    email       ${email}\n    password    ${password}\n\n`,
          );
        },
      });
      process.stdout.write(`Firebreak ${server.url} (store: ${server.store.dialect.description})\n`);
      if (server.publicEdgeUrl) process.stdout.write(`Status pages also on ${server.publicEdgeUrl} (public edge thread)\n`);
      let stopping = false;
      const stop = async (signal: string) => {
        if (stopping) return;
        stopping = true;
        log.info('lifecycle', 'stopping', { signal });
        await server.stop();
        process.exit(0);
      };
      process.on('SIGTERM', () => void stop('SIGTERM'));
      process.on('SIGINT', () => void stop('SIGINT'));
    });

  program
    .command('migrate')
    .description('Apply pending database migrations and exit (the server also migrates at start).')
    .option('--database <url>', 'sqlite:PATH or postgres://… (env DATABASE_URL)')
    .option('--json', 'machine-readable output')
    .action(async (opts: { database?: string; json?: boolean }) => {
      const { loadEnvConfig } = await loadConfig();
      const config = loadEnvConfig(process.env, { DATABASE_URL: opts.database });
      const { migrateToLatest, openStore } = await loadStore();
      const store = openStore(config.DATABASE_URL);
      try {
        const report = await migrateToLatest(store.dialect);
        const rows = report.results.map((r) => ({ migration: r.migrationName, status: r.status }));
        if (opts.json) process.stdout.write(JSON.stringify({ applied: report.applied, results: rows }) + '\n');
        else process.stdout.write(report.applied.length ? report.applied.map((m) => `applied ${m}\n`).join('') : 'database is up to date\n');
      } finally {
        await store.close();
      }
    });
}
