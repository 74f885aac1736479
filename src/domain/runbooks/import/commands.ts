/**
 * Commands written outside fenced blocks: a list item that is, or ends with, a code span
 * (`- Command: \`kubectl rollout undo deployment/api\``, `- Run \`systemctl status nginx\``,
 * `- Roll back: \`helm rollback api 41\``), and whether a block without a language is shell.
 */

const TOOLS =
  'sudo|kubectl|oc|curl|wget|helm|docker|podman|systemctl|service|journalctl|psql|pg_\\w+|patronictl|mysql|mongo\\w*|redis-cli|' +
  'aws|gcloud|az|doctl|terraform|tofu|ssh|scp|cat|grep|egrep|tail|head|less|ls|find|rm|mv|cp|echo|export|git|watch|for|if|' +
  'while|iptables|ip6tables|nft|ip|ss|netstat|dig|nslookup|host|ping|traceroute|mtr|nc|openssl|df|du|free|top|htop|ps|' +
  'kill|pkill|killall|truncate|dd|mkfs|mount|umount|etcdctl|nodetool|kafka-[\\w.-]+|consul|vault|nomad|crictl|ctr|jq|yq|' +
  'tar|rsync|chmod|chown|sed|awk|xargs|make|npm|node|python3?|go|java|lsof|strace|vmstat|iostat|uptime|dmesg|date|env';
const SHELL_START = new RegExp(`^(?:\\$ |\\./|/\\S+\\s|(?:${TOOLS})(?:\\s|$))`);

/** The block's first non-comment line starts like a shell command. */
export function looksLikeShell(text: string): boolean {
  const first = text.split('\n', 50).find((l) => l.trim() !== '' && !l.trim().startsWith('#'))?.trim() ?? '';
  return SHELL_START.test(first.slice(0, 200));
}

const COMMAND_LABEL = /^(?:command|cmd|run|execute|exec|shell|cli|use|try)$/i;

export interface InlineCommand {
  command: string;
  /** The words before the span without the label ("Roll back"); empty for "Command:". */
  description: string;
}

/**
 * A list item that is a command: ends with a single code span which either follows a command
 * label ("Command:", "Run") or itself starts with a known tool. "`HighLatency` alert firing"
 * (the span is not last) and "Set `timeout` higher" are not commands.
 */
export function inlineCommandOf(itemText: string): InlineCommand | undefined {
  const text = itemText.trim();
  if (!text.endsWith('`') || text.length > 4000 || text.includes('\n')) return undefined;
  const open = text.lastIndexOf('`', text.length - 2);
  if (open < 0 || text.slice(open - 1, open) === '`') return undefined;
  const command = text.slice(open + 1, -1).trim();
  if (command === '' || command.includes('`')) return undefined;
  const prefix = text.slice(0, open).replace(/[*_]/g, '').trim().replace(/[:\-–—]$/, '').trim();
  const labelled = prefix === '' || COMMAND_LABEL.test(prefix);
  // One word (`green`, `c`) is a value, not a command, unless a label says otherwise.
  if (!/\s/.test(command) && !(labelled && SHELL_START.test(command))) return undefined;
  // "Dump the records: `rndc dumpdb -cache`": a colon before a tool-shaped span introduces it.
  const introduced = /:\s*$/.test(text.slice(0, open).replace(/[*_]/g, '')) && /^[a-z][\w.-]*\s+\S/.test(command);
  if (!labelled && !introduced && !SHELL_START.test(command.slice(0, 200))) return undefined;
  return { command, description: labelled ? '' : prefix };
}
