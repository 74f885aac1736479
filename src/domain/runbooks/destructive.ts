/**
 * Destructive commands, recognised by what they do rather than by a word list: each rule names
 * an effect (deletes files, empties a cache, evicts pods, promotes a replica…) and the command
 * shapes that have it across the usual tools. A step whose command matches is marked dangerous
 * with the rule's reason; the document's own warning, when it has one, still wins.
 *
 * Every gap between words is bounded (`[^\n]{0,200}`, `(?:\S+\s+){0,12}`), so a rule costs at
 * most a constant per starting position: matching stays linear on a 1 MB line.
 */

export interface DestructiveRule {
  /** What the command does, as the responder will read it ("deletes files"). */
  reason: string;
  /** Cheap pre-check: the rule is tried only when the lower-cased command contains one of these. */
  needs?: string[];
  patterns: RegExp[];
}

/** Up to 200 characters on the same line: "anything between" without quadratic backtracking. */
const GAP = '[^\\n]{0,200}?';
/** A word boundary that also holds after `--`/`-` options (`\b` does not before `-`). */
const ARG_END = '(?=\\s|$|[;|&)\'"])';

function re(source: string, flags = ''): RegExp {
  return new RegExp(source, flags);
}

export const DESTRUCTIVE_RULES: DestructiveRule[] = [
  {
    reason: 'removes containers, images or volumes',
    needs: ['docker', 'podman', 'nerdctl', 'crictl'],
    patterns: [
      /\bdocker\s+(?:system|image|volume|container|network|builder)\s+prune\b/,
      /\bdocker\s+(?:rm|rmi|kill)\b|\bdocker\s+(?:container|image|volume|network)\s+rm\b/,
      /\bdocker[- ]compose\s+(?:\S+\s+){0,6}down\s+(?:\S+\s+){0,4}?(?:-v|--volumes|--rmi)\b/,
      /\b(?:podman|nerdctl)\s+(?:system\s+prune|rm|rmi)\b/,
      /\bcrictl\s+(?:rm|rmi|rmp)\b/,
    ],
  },
  {
    reason: 'deletes files',
    needs: ['rm', 'shred', 'crontab', '-delete'],
    patterns: [
      re(`(?:^|[\\s;|&(\`'"])(?:sudo\\s+)?rm\\s+(?:-[a-zA-Z]*[rRf][a-zA-Z]*|--recursive|--force)${ARG_END}`),
      re(`\\bfind\\s${GAP}\\s-delete${ARG_END}`),
      re(`\\bfind\\s${GAP}\\s-exec\\s+(?:sudo\\s+)?rm\\b`),
      re(`\\bxargs\\s+(?:-\\S+\\s+){0,4}(?:sudo\\s+)?rm\\b`),
      /\b(?:shred|srm)\s/,
      /\bcrontab\s+-r\b/,
    ],
  },
  {
    reason: 'empties a file',
    needs: ['truncate', '>', '/dev/null'],
    patterns: [
      /\btruncate\s+(?:\S+\s+){0,4}(?:-s\s*0|--size[=\s]0)(?![0-9.KMGkmg])/,
      /(?:^|[;&|]\s*)(?::|true|cat\s+\/dev\/null|echo\s*(?:-n\s*)?(?:""|'')?)\s*>\s*[^\s>&]/m,
      /\bcp\s+\/dev\/null\s+\S/,
    ],
  },
  {
    reason: 'rewrites a disk or file system',
    needs: ['dd', 'mkfs', 'fdisk', 'parted', 'wipefs', 'sgdisk', 'blkdiscard', 'remove', 'zpool', 'zfs'],
    patterns: [/\bdd\s+(?:\S+\s+){0,6}of=/, /\bmkfs(?:\.\w+)?\s/, /\b(?:fdisk|sfdisk|parted|wipefs|sgdisk|blkdiscard)\s/, /\b(?:lvremove|vgremove|pvremove)\s/, /\bzpool\s+(?:destroy|labelclear)\b|\bzfs\s+(?:destroy|rollback)\b/],
  },
  {
    reason: 'flushes or rewrites firewall rules',
    needs: ['tables', 'nft', 'ufw', 'ipvsadm'],
    patterns: [
      /\b(?:ip6?tables|ebtables|arptables)\s+(?:-t\s+\w+\s+)?(?:-[FXZ]\b|--flush\b|--delete-chain\b)/,
      /\b(?:ip6?tables)\s+(?:-t\s+\w+\s+)?-P\s+\w+\s+(?:DROP|REJECT)\b/,
      re(`\\b(?:ip6?tables)\\s${GAP}-j\\s+(?:DROP|REJECT)\\b`),
      /\bnft\s+(?:flush|delete)\b/,
      /\bufw\s+(?:reset|disable|deny)\b/,
      /\bipvsadm\s+(?:-C|--clear)\b/,
    ],
  },
  {
    reason: 'takes a network interface down',
    needs: ['down'],
    patterns: [/\bip\s+link\s+set\s+\S+\s+down\b/, /\bifdown\s/, /\bifconfig\s+\S+\s+down\b/],
  },
  {
    reason: 'kills processes',
    needs: ['kill'],
    patterns: [/\bkill\s+(?:-9|-KILL|-SIGKILL|-s\s+(?:9|KILL|SIGKILL))\b/, /\bkill\s+(?:-(?:TERM|15|SIGTERM)\s+)?[$%]?\w/, /\b(?:pkill|killall)\s/],
  },
  {
    reason: 'stops or disables a service',
    needs: ['systemctl', 'service', 'stop', 'shutdown', 'nodetool'],
    patterns: [/\bsystemctl\s+(?:--\S+\s+){0,3}(?:stop|disable|mask|kill)\b/, /\bservice\s+\S+\s+stop\b/, /\b(?:pg_ctl|pg_ctlcluster)\b[^\n]{0,100}\bstop\b/, /\bredis-cli\b[^\n]{0,100}\bshutdown\b/i, /\bnodetool\s+(?:\S+\s+){0,6}(?:decommission|removenode|assassinate|drain|stopdaemon)\b/],
  },
  {
    reason: 'stops a machine',
    needs: ['shutdown', 'reboot', 'halt', 'poweroff', 'init'],
    patterns: [/(?:^|[\s;|&])(?:sudo\s+)?(?:shutdown|reboot|halt|poweroff)(?=\s|$)/m, /\binit\s+[06]\b/, /\bsystemctl\s+(?:reboot|poweroff|halt)\b/],
  },
  {
    reason: 'deletes Kubernetes resources',
    needs: ['delete'],
    patterns: [/\bkubectl\s+(?:[\w.=/-]+\s+){0,20}delete\b/, /\boc\s+(?:[\w.=/-]+\s+){0,10}delete\b/],
  },
  {
    reason: 'removes fields from a Kubernetes resource',
    needs: ['patch'],
    patterns: [re(`\\bkubectl\\s${GAP}\\bpatch\\b${GAP}\\bop[\\\\"']{0,3}\\s*:\\s*[\\\\"']{0,3}remove\\b`), re(`\\bkubectl\\s${GAP}\\bpatch\\b${GAP}\\$patch"?\\s*:\\s*"?delete`)],
  },
  {
    reason: 'evicts every pod from a node',
    needs: ['drain', 'noexecute'],
    patterns: [/\bkubectl\s+(?:[\w.=/-]+\s+){0,6}drain\b/, /\bkubectl\s+taint\s+[^\n]{0,200}:NoExecute\b/],
  },
  {
    reason: 'scales the service to zero',
    needs: ['replicas'],
    patterns: [/--replicas[=\s]0\b/, /\breplicas:\s*0\b/],
  },
  {
    reason: 'uninstalls or destroys infrastructure',
    needs: ['helm', 'destroy', 'terraform', 'tofu', 'pulumi', 'aws', 'gcloud', 'az ', 'doctl', 'oci', 'kafka', 'ceph'],
    patterns: [
      /\bhelm\s+(?:\S+\s+){0,4}(?:uninstall|delete|del)\b/,
      /\b(?:terraform|tofu|terragrunt)\s+(?:\S+\s+){0,4}destroy\b/,
      /\b(?:terraform|tofu)\s+(?:\S+\s+){0,4}apply\s+(?:\S+\s+){0,8}?-destroy\b/,
      /\b(?:terraform|tofu)\s+state\s+rm\b/,
      /\bpulumi\s+(?:\S+\s+){0,4}destroy\b/,
      /\b(?:aws|gcloud|az|doctl|oci)\s+(?:[\w.=/:-]+\s+){0,6}(?:delete[\w-]*|remove[\w-]*|terminate[\w-]*|destroy|rb|rm|purge[\w-]*)\b/,
      /\baws\s+s3\s+sync\s+[^\n]{0,200}--delete\b/,
      /\bkafka-topics(?:\.sh)?\s+[^\n]{0,200}--delete\b/,
      /\bkafka-delete-records\b/,
      /\bkafka-consumer-groups(?:\.sh)?\s+[^\n]{0,200}--reset-offsets\b[^\n]{0,200}--execute\b/,
      /\bceph\s+(?:osd\s+(?:purge|destroy|rm)|fs\s+rm|pool\s+(?:delete|rm))\b/,
    ],
  },
  {
    reason: 'rewrites shared Git history',
    needs: ['git'],
    patterns: [
      /\bgit\s+push\s+(?:\S+\s+){0,6}?(?:--force(?:-with-lease)?|-f|--mirror|--delete|-d)(?=\s|$|=)/,
      /\bgit\s+push\s+\S+\s+\+\S/,
      /\bgit\s+push\s+\S+\s+:\S/,
      /\bgit\s+reset\s+(?:\S+\s+){0,2}--hard\b/,
      /\bgit\s+clean\s+-[a-zA-Z]*f/,
      /\bgit\s+branch\s+(?:-D|--delete\s+--force)\b/,
    ],
  },
  {
    reason: 'deletes data',
    needs: ['drop', 'truncate', 'delete', 'deletemany', 'remove', 'etcdctl'],
    patterns: [
      /\bdrop\s+(?:table|database|schema|index|view|materialized\s+view|user|role|keyspace|collection|publication|subscription|extension|owned)\b/i,
      /\btruncate\s+(?:table\s+)?(?:only\s+)?[A-Za-z_"][\w".]*\s*(?:,\s*[A-Za-z_"][\w".]*\s*)*(?:cascade|restart|continue|;|$)/im,
      /\bdelete\s+from\b/i,
      /\b(?:dropdb|dropuser)\s/,
      /\.(?:dropDatabase|drop|deleteMany|remove)\s*\(/,
      /\b_delete_by_query\b/,
      /(?:-X|--request)\s*['"]?DELETE\b/,
      /\betcdctl\s+(?:\S+\s+){0,6}del\b/,
    ],
  },
  {
    reason: 'changes every row',
    needs: ['update'],
    patterns: [/\bupdate\s+[A-Za-z_"][\w".]*\s+set\b(?![^;\n]{0,400}\bwhere\b)/i],
  },
  {
    reason: 'deletes cache keys',
    needs: ['flush', 'del', 'unlink'],
    patterns: [
      /\bflushall\b|\bflushdb\b/i,
      /\bredis-cli\b[^\n]{0,200}\s(?:del|unlink)\s/i,
      /\bxargs\s+(?:-\S+\s+){0,4}redis-cli\s+(?:\S+\s+){0,6}?(?:del|unlink)\b/i,
      /^\s*(?:DEL|UNLINK)\s+\S/m,
    ],
  },
  {
    reason: 'terminates database sessions',
    needs: ['backend', 'kill'],
    patterns: [/\bpg_terminate_backend\s*\(/i, /\bpg_cancel_backend\s*\(/i, /\bkill\s+(?:query\s+|connection\s+)?\d+\s*;/i, /\bclient\s+kill\b/i],
  },
  {
    reason: 'promotes a replica (split-brain risk)',
    needs: ['promote', 'patronictl', 'repmgr', 'one', 'failover', 'force-new-cluster', 'member'],
    patterns: [
      /\bpg_ctl\s+(?:\S+\s+){0,6}promote\b/,
      /\bpg_promote\s*\(/i,
      /\bpatronictl\s+(?:\S+\s+){0,4}(?:failover|switchover|remove|reinit)\b/,
      /\brepmgr\s+(?:\S+\s+){0,4}(?:promote|switchover)\b/,
      /\b(?:replicaof|slaveof)\s+no\s+one\b/i,
      /\bcluster\s+failover\b/i,
      /\bforce-new-cluster\b/,
      /\bmember\s+remove\b/,
    ],
  },
  {
    reason: 'resets database state',
    needs: ['pg_reset', 'pg_rewind'],
    patterns: [/\bpg_resetwal\b|\bpg_resetxlog\b/, /\bpg_rewind\b/],
  },
  {
    reason: 'overwrites current data with a restore',
    needs: ['restore', 'recovery'],
    patterns: [/\bpg_restore\b/, /\/restore\b|\bpit-recovery\b|\brestore\s+--/, /\bmongorestore\b[^\n]{0,200}--drop\b/],
  },
  {
    reason: 'revokes credentials',
    needs: ['revoke'],
    patterns: [/\brevoke[\w-]*/i],
  },
  {
    reason: 'forces the operation',
    needs: ['--force'],
    patterns: [/(?:^|\s)--force(?=\s|$|=)/],
  },
];

/** Why a command is destructive, or undefined. Line continuations are joined first. */
export function destructiveReason(command: string): string | undefined {
  const text = command.replace(/\\\r?\n\s*/g, ' ');
  const lower = text.toLowerCase();
  for (const rule of DESTRUCTIVE_RULES) {
    if (rule.needs && !rule.needs.some((word) => lower.includes(word))) continue;
    for (const pattern of rule.patterns) if (pattern.test(text)) return rule.reason;
  }
  return undefined;
}
