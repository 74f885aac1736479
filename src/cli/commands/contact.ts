import type { Command } from 'commander';
import { AppError } from '../../core/errors.js';
import { addCommonOptions, connect, withExamples, type CommonOptions } from '../command-kit.js';
import { table } from '../output.js';

interface ContactMethod {
  id: string;
  userId: string;
  kind: string;
  label: string;
  address: string;
  hasSecret: boolean;
  disabledReason: string | null;
  secret?: string;
}

interface ContactList {
  items: ContactMethod[];
  rules: { id: string; contactMethodId: string; delaySeconds: number }[];
}

interface Delivery {
  id: string;
  channel: string;
  status: string;
  attempts: number;
  lastStatusCode: number | null;
  lastError: string | null;
  latencyMs: number | null;
  sentAt: string | null;
}

const KINDS = ['webhook', 'slack', 'email', 'ntfy'];

/** A test-send has a result once an attempt finished: sent, failed for good, or failed and queued for a retry. */
const settled = (d: Delivery): boolean => d.status === 'sent' || d.status === 'failed' || d.status === 'cancelled' || (d.status === 'pending' && d.attempts > 0);

function describeDelivery(d: Delivery): string {
  const code = d.lastStatusCode !== null ? `HTTP ${d.lastStatusCode}` : null;
  const latency = d.latencyMs !== null ? `${d.latencyMs} ms` : null;
  if (d.status === 'sent') return `Delivered through ${d.channel}${code || latency ? ` (${[code, latency].filter(Boolean).join(', ')})` : ''}  ${d.id}`;
  const retry = d.status === 'pending' ? '; it will be retried' : '';
  return `Not delivered through ${d.channel}: ${[code, d.lastError].filter(Boolean).join(' — ') || d.status}${retry}  ${d.id}`;
}

/** `firebreak contact …`: a user's contact methods and notification rules, and test-sends. */
export function registerContactCommands(program: Command): void {
  const contact = program.command('contact').alias('contacts').description('Your contact methods (or, for an admin, anyone’s with --user) and notification rules; test-send one.');
  const cmd = (spec: string, description: string, examples: string[]) => withExamples(contact.command(spec).description(description), examples);

  cmd('list', 'List contact methods and notification rules (yours unless --user).', ['firebreak contact list', 'firebreak contact list --user bob@example.com --json'])
    .option('--user <user>', 'another user (id or email); admins only')
    .action(async (opts: CommonOptions & { user?: string }) => {
      const { client, out } = connect(opts);
      const list = await client.get<ContactList>('/api/v1/contact-methods', { user: opts.user });
      const delays = (id: string) => list.rules.filter((r) => r.contactMethodId === id).map((r) => `${r.delaySeconds}s`).join(', ');
      out.emit(list, () => (list.items.length === 0
        ? 'No contact methods: this user cannot be paged. Add one with `firebreak contact add`.'
        : table(['ID', 'KIND', 'LABEL', 'ADDRESS', 'NOTIFY AFTER', 'STATE'], list.items.map((c) => [
          c.id, c.kind, c.label, c.address, delays(c.id) || (list.rules.length ? out.style.dim('no rule') : '0s'), c.disabledReason ? out.style.red(`disabled: ${c.disabledReason}`) : 'active',
        ]), out.style)
        + (list.items.length && list.rules.length === 0 ? out.style.dim('\n(no notification rules: every contact method is notified at once)') : '')));
    });

  cmd('add <kind> <address>', `Add a contact method (${KINDS.join(', ')}). URLs must pass the outbound guard; a generated webhook secret is printed once.`, [
    'firebreak contact add email alice@example.com',
    'firebreak contact add ntfy https://ntfy.example.com/oncall-alice --label phone',
    'firebreak contact add webhook https://hooks.example.com/firebreak --user bob@example.com',
    'firebreak contact add slack https://hooks.slack.com/services/T000/B000/XXXX',
  ])
    .option('--label <label>', 'a name for it (default: the kind)')
    .option('--user <user>', 'for another user (id or email); admins only')
    .option('--secret <secret>', 'webhook signing secret (whsec_…; default: generated) or ntfy access token')
    .action(async (kind: string, address: string, opts: CommonOptions & { label?: string; user?: string; secret?: string }) => {
      const { client, out } = connect(opts);
      const cm = await client.post<ContactMethod>('/api/v1/contact-methods', { kind: kind.trim().toLowerCase(), address, label: opts.label, user: opts.user, secret: opts.secret });
      out.emit(cm, () => [
        `Added ${cm.kind} ${cm.address}  ${out.style.dim(cm.id)}`,
        ...(cm.secret ? [`  signing secret (shown once): ${cm.secret}`] : []),
        `  try it: firebreak contact test ${cm.id}`,
      ].join('\n'));
    });

  cmd('remove <id>', 'Remove a contact method (and its notification rules).', ['firebreak contact remove cm_01JQ…']).action(async (id: string, opts: CommonOptions) => {
    const { client, out } = connect(opts);
    await client.delete(`/api/v1/contact-methods/${encodeURIComponent(id.trim())}`);
    out.emit({ deleted: id }, () => `Removed contact method ${id}`);
  });

  cmd('test <id>', 'Send a test notification through the real channel and report the result (exit 6 if it was not delivered).', [
    'firebreak contact test cm_01JQ…',
    'firebreak contact test cm_01JQ… --wait 60 --json',
  ])
    .option('--wait <seconds>', 'how long to wait for the first attempt', '20')
    .action(async (id: string, opts: CommonOptions & { wait: string }) => {
      if (!/^\d+$/.test(opts.wait)) throw new AppError('VALIDATION', `wait: '${opts.wait}' must be a whole number of seconds`, { issues: [{ field: 'wait', message: 'must be a whole number of seconds' }] });
      const { client, out } = connect(opts);
      const { deliveryId } = await client.post<{ deliveryId: string }>(`/api/v1/contact-methods/${encodeURIComponent(id.trim())}/test`, {});
      const deadline = Date.now() + Number(opts.wait) * 1000;
      let delivery = await client.get<Delivery>(`/api/v1/deliveries/${deliveryId}`);
      while (!settled(delivery) && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 200));
        delivery = await client.get<Delivery>(`/api/v1/deliveries/${deliveryId}`);
      }
      if (!settled(delivery)) throw new AppError('UNAVAILABLE', `no attempt finished within ${opts.wait}s (delivery ${deliveryId} is ${delivery.status}); is the server's worker running?`);
      out.emit(delivery, () => describeDelivery(delivery));
      if (delivery.status !== 'sent') throw new AppError('UNAVAILABLE', describeDelivery(delivery));
    });

  const rule = contact.command('rule').description('Notification rules: notify a contact method N seconds after a page (e.g. push at 0, email at 120).');
  withExamples(rule.command('add <contact-id>').description('Notify this contact method this long after each page.'), [
    'firebreak contact rule add cm_01JQ… --delay 0',
    'firebreak contact rule add cm_01JR… --delay 120',
  ])
    .requiredOption('--delay <seconds>', 'seconds after the page (0 = at once)')
    .action(async (contactId: string, opts: CommonOptions & { delay: string }) => {
      if (!/^\d+$/.test(opts.delay)) throw new AppError('VALIDATION', `delaySeconds: '${opts.delay}' must be a whole number of seconds`, { issues: [{ field: 'delaySeconds', message: 'must be a whole number of seconds' }] });
      const { client, out } = connect(opts);
      const r = await client.post<{ id: string; contactMethodId: string; delaySeconds: number }>('/api/v1/notification-rules', { contactMethod: contactId.trim(), delaySeconds: Number(opts.delay) });
      out.emit(r, () => `Notify ${r.contactMethodId} ${r.delaySeconds}s after each page  ${out.style.dim(r.id)}`);
    });
  withExamples(rule.command('remove <rule-id>').description('Remove a notification rule.'), ['firebreak contact rule remove nr_01JQ…']).action(async (id: string, opts: CommonOptions) => {
    const { client, out } = connect(opts);
    await client.delete(`/api/v1/notification-rules/${encodeURIComponent(id.trim())}`);
    out.emit({ deleted: id }, () => `Removed notification rule ${id}`);
  });

  addCommonOptions(contact);
}
