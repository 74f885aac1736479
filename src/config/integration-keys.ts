import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { integrationKeyProblem } from '../domain/config/apply-integrations.js';
import { ConfigFileError, type ConfigProblem, type LoadedConfig } from './config-file.js';

/**
 * Reads the keys of the integrations declared in firebreak.yaml: from `keyFile` (relative to the
 * file, like Alertmanager's `*_file` options) or from the environment variable `keyEnv`. Kept out
 * of parsing so `firebreak config check` works where the secrets are not (CI). Every problem is
 * reported at its place in the file; the keys themselves never appear in a message.
 */
export function readIntegrationKeys(loaded: LoadedConfig, env: NodeJS.ProcessEnv): Map<string, string> {
  const keys = new Map<string, string>();
  const problems: ConfigProblem[] = [];
  const problem = (path: string, message: string) => problems.push({ file: loaded.file, ...loaded.locate(path), path, message });
  const firstByKey = new Map<string, number>();
  loaded.config.integrations.forEach((integration, i) => {
    let key: string | undefined;
    let field: string;
    if (integration.keyFile !== undefined) {
      field = `integrations.${i}.keyFile`;
      const path = resolve(dirname(loaded.file), integration.keyFile);
      try {
        // Files written by `echo` or an editor end in a newline; it is not part of the key.
        key = readFileSync(path, 'utf8').trim();
      } catch (e) {
        problem(field, `cannot read ${path} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
        return;
      }
    } else if (integration.keyEnv !== undefined) {
      field = `integrations.${i}.keyEnv`;
      key = env[integration.keyEnv]?.trim();
      if (!key) {
        problem(field, `environment variable ${integration.keyEnv} is not set or empty`);
        return;
      }
    } else {
      return; // config-file.ts has reported it already.
    }
    const bad = integrationKeyProblem(integration.format, key);
    if (bad) {
      problem(field, bad);
      return;
    }
    const first = firstByKey.get(key);
    if (first !== undefined) {
      problem(field, `the same key as integrations.${first}; every integration needs its own key`);
      return;
    }
    firstByKey.set(key, i);
    keys.set(integration.name, key);
  });
  if (problems.length > 0) throw new ConfigFileError(problems.sort((a, b) => a.line - b.line || a.col - b.col));
  return keys;
}
