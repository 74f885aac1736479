import { AppError } from '../core/errors.js';
import { sendEmail, type SmtpDeps } from './email/send.js';
import type { OutboundDeps } from './http-transport.js';
import type { ChannelKind, NotificationMessage, SendOutcome } from './message.js';
import { sendNtfy } from './ntfy/send.js';
import { sendSlack } from './slack/send.js';
import { checkOutboundUrl } from './ssrf.js';
import { sendWebhook } from './webhook/send.js';

export interface ChannelDeps {
  outbound: OutboundDeps;
  smtp: SmtpDeps;
  nowMs: () => number;
}

export interface Destination {
  address: string;
  secret: string | null;
}

export interface Notifier {
  kind: ChannelKind;
  /** Save-time check of the address (the SSRF guard for URL channels). */
  validateAddress(address: string, deps: ChannelDeps): Promise<void>;
  send(message: NotificationMessage, destination: Destination, deps: ChannelDeps): Promise<SendOutcome>;
}

const urlChannel = (kind: ChannelKind, send: Notifier['send']): Notifier => ({
  kind,
  validateAddress: async (address, deps) => {
    await checkOutboundUrl(address, { policy: deps.outbound.policy, resolve: deps.outbound.resolve, field: 'address' });
  },
  send,
});

const EMAIL = /^[^\s@<>(),;:"]+@[^\s@<>(),;:"]+\.[^\s@<>(),;:"]+$/;

/** One notifier per channel; the Record makes adding a channel kind a compile error until handled. */
export const NOTIFIERS: Record<ChannelKind, Notifier> = {
  webhook: urlChannel('webhook', (m, d, deps) => sendWebhook(m, d, { ...deps.outbound, nowMs: deps.nowMs })),
  slack: urlChannel('slack', (m, d, deps) => sendSlack(m, d, { ...deps.outbound, nowMs: deps.nowMs })),
  ntfy: urlChannel('ntfy', (m, d, deps) => sendNtfy(m, d, { ...deps.outbound, nowMs: deps.nowMs })),
  email: {
    kind: 'email',
    validateAddress: async (address) => {
      if (!EMAIL.test(address)) throw new AppError('VALIDATION', 'address: is not an email address', { issues: [{ field: 'address', message: 'is not an email address' }] });
    },
    send: (m, d, deps) => sendEmail(m, d, deps.smtp),
  },
};
