import type { Transporter } from 'nodemailer';
import type { NotificationMessage, SendOutcome } from '../message.js';
import { renderEmail } from './render.js';

export interface SmtpDeps {
  /** smtp://user:pass@host:port or smtps://…; the admin's setting, not user input. */
  url: string | undefined;
  from: string;
  timeoutMs: number;
}

/**
 * Which pool of connections a mail goes through. Pages and reminders have their own, so a page
 * mail never waits for a connection behind a status update's ten thousand subscriber mails.
 */
export type MailLane = 'urgent' | 'bulk';

/** Connections per lane: a mail server counts them per client, and most allow at least ten. */
const POOL_CONNECTIONS = 5;

const transports = new Map<string, Transporter>();
const transportKey = (deps: SmtpDeps, lane: MailLane) => `${lane}|${deps.url}|${deps.timeoutMs}`;

async function transportFor(deps: SmtpDeps, lane: MailLane): Promise<Transporter> {
  const key = transportKey(deps, lane);
  let t = transports.get(key);
  if (!t) {
    // Loaded on the first email: most servers never send one, and it is ~3 MB of heap.
    const { default: nodemailer } = await import('nodemailer');
    // The URL goes inside the options object: given as a string, nodemailer takes the second
    // argument for message defaults, and the pool and the timeouts were silently not applied
    // (one new connection per mail, and a silent server held a send for minutes).
    t = transports.get(key) ?? nodemailer.createTransport({
      url: deps.url!,
      pool: true,
      maxConnections: POOL_CONNECTIONS,
      connectionTimeout: deps.timeoutMs,
      greetingTimeout: deps.timeoutMs,
      socketTimeout: deps.timeoutMs,
    });
    transports.set(key, t);
  }
  return t;
}

/**
 * Loads the mail library and makes the transports before the first mail, when SMTP is set up.
 * Loading it took 63 ms here, mostly compiling its modules on the event loop, and the first mail
 * after a start paid it in the middle of sending: on the fan-out benchmark (PostgreSQL), pages
 * that came in during a status update's first 700 ms took 12–28 ms from alert to page row
 * instead of 6–9. Connects to nothing.
 */
export async function prepareSmtpTransport(deps: SmtpDeps): Promise<void> {
  if (!deps.url) return;
  await transportFor(deps, 'urgent');
  await transportFor(deps, 'bulk');
}

/** Whether this process has the transport for these settings (tests). */
export function hasSmtpTransport(deps: SmtpDeps, lane: MailLane = 'urgent'): boolean {
  return transports.has(transportKey(deps, lane));
}

/** Closes pooled SMTP connections (server shutdown, tests). */
export function closeSmtpTransports(): void {
  for (const t of transports.values()) t.close();
  transports.clear();
}

/** One mail as the channel sends it; the subscriber mails bring their own headers (List-Unsubscribe). */
export interface OutgoingMail {
  to: string;
  subject: string;
  text: string;
  html: string;
  /** Stable across retries (the delivery id), so a retried mail is recognisably the same. */
  deliveryId: string;
  headers?: Record<string, string>;
}

/**
 * One attempt over SMTP. The Message-ID is derived from the delivery id, so a retried page is
 * recognisable as the same message. 4xx replies and connection errors are retried, 5xx are not.
 */
export async function sendEmail(message: NotificationMessage, destination: { address: string }, deps: SmtpDeps): Promise<SendOutcome> {
  const { subject, text, html } = renderEmail(message);
  return sendMail({ to: destination.address, subject, text, html, deliveryId: message.deliveryId }, deps);
}

export async function sendMail(mail: OutgoingMail, deps: SmtpDeps, lane: MailLane = 'urgent'): Promise<SendOutcome> {
  if (!deps.url) {
    return { ok: false, retryable: false, status: null, retryAfterMs: null, error: 'email is not configured on this server: set FIREBREAK_SMTP_URL', latencyMs: 0 };
  }
  const started = performance.now();
  try {
    await (await transportFor(deps, lane)).sendMail({
      from: deps.from,
      to: mail.to,
      subject: mail.subject,
      text: mail.text,
      html: mail.html,
      messageId: `<${mail.deliveryId}@firebreak>`,
      headers: { 'X-Firebreak-Delivery': mail.deliveryId, 'Auto-Submitted': 'auto-generated', ...mail.headers },
    });
    return { ok: true, status: 250, latencyMs: Math.round(performance.now() - started) };
  } catch (e) {
    const err = e as { responseCode?: number; code?: string; message?: string };
    const code = err.responseCode ?? null;
    return {
      ok: false,
      retryable: code === null || code < 500,
      status: code,
      retryAfterMs: null,
      error: `${err.code ?? 'SMTP'}: ${(err.message ?? String(e)).slice(0, 200)}`,
      latencyMs: Math.round(performance.now() - started),
    };
  }
}

/**
 * A scheduled report (domain/report-schedules): HTML and text bodies with the CSV attached, to
 * every recipient in one message, through the bulk lane's pooled connections: a report is not a
 * page.
 */
export async function sendReportEmail(
  mail: { to: string[]; subject: string; text: string; html: string; attachments: { filename: string; content: string; contentType: string }[]; messageId: string },
  deps: SmtpDeps,
): Promise<{ ok: true } | { ok: false; retryable: boolean; error: string }> {
  if (!deps.url) return { ok: false, retryable: false, error: 'email is not configured on this server: set FIREBREAK_SMTP_URL' };
  try {
    await (await transportFor(deps, 'bulk')).sendMail({
      from: deps.from, to: mail.to, subject: mail.subject, text: mail.text, html: mail.html, attachments: mail.attachments, messageId: mail.messageId,
      headers: { 'Auto-Submitted': 'auto-generated' },
    });
    return { ok: true };
  } catch (e) {
    const err = e as { responseCode?: number; code?: string; message?: string };
    const code = err.responseCode ?? null;
    return { ok: false, retryable: code === null || code < 500, error: `${err.code ?? 'SMTP'}: ${(err.message ?? String(e)).slice(0, 200)}` };
  }
}
