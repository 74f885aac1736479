import { formatConfigProblem, loadConfigFile, summariseConfig, ConfigFileError } from '../../config/config-file.js';
import { EXIT_CONFIG_INVALID } from '../exit-codes.js';
import type { CommandOutcome } from './config.js';

/** Validates a firebreak.yaml without a database: every problem with its location, or a summary. */
export function checkConfigFile(file: string, options: { json?: boolean } = {}): CommandOutcome {
  try {
    const loaded = loadConfigFile(file);
    const summary = summariseConfig(loaded.config);
    if (options.json) return { exitCode: 0, output: JSON.stringify({ ok: true, file, summary, problems: [] }) + '\n' };
    const counts = Object.entries(summary).map(([k, n]) => `${n} ${k}`).join(', ');
    return { exitCode: 0, output: `${file} is valid: ${counts}\n` };
  } catch (e) {
    if (!(e instanceof ConfigFileError)) throw e;
    if (options.json) return { exitCode: EXIT_CONFIG_INVALID, output: JSON.stringify({ ok: false, file, problems: e.located }) + '\n' };
    const lines = e.located.map(formatConfigProblem);
    return { exitCode: EXIT_CONFIG_INVALID, output: `${lines.join('\n')}\n${lines.length} problem${lines.length === 1 ? '' : 's'} in ${file}\n` };
  }
}

