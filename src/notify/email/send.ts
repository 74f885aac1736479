import type { Transporter } from 'nodemailer';
import type { NotificationMessage, SendOutcome } from '../message.js';
import { renderEmail } from './render.js';

export interface SmtpDeps {
  /** smtp://user:pass@host:port or smtps://…; the admin's setting, not user input. */
  url: string | undefined;
  from: string;
  timeoutMs: number;
}

const transports = new Map<string, Transporter>();

async function transportFor(deps: SmtpDeps): Promise<Transporter> {
  const key = `${deps.url}|${deps.timeoutMs}`;
  let t = transports.get(key);
  if (!t) {
    // Loaded on the first email: most servers never send one, and it is ~3 MB of heap.
    const { default: nodemailer } = await import('nodemailer');
    t = transports.get(key) ?? nodemailer.createTransport(deps.url!, {
      pool: true,
      maxConnections: 5,
      connectionTimeout: deps.timeoutMs,
      greetingTimeout: deps.timeoutMs,
      socketTimeout: deps.timeoutMs,
    } as never);
    transports.set(key, t);
  }
  return t;
}

/**
 * Loads the mail library and makes the transport before the first mail, when SMTP is set up.
 * Loading it took 63 ms here, mostly compiling its modules on the event loop, and the first mail
 * after a start paid it in the middle of sending: on the fan-out benchmark (PostgreSQL), pages
 * that came in during a status update's first 700 ms took 12–28 ms from alert to page row
 * instead of 6–9. Connects to nothing.
 */
export async function prepareSmtpTransport(deps: SmtpDeps): Promise<void> {
  if (deps.url) await transportFor(deps);
}

/** Whether this process has the transport for these settings (tests). */
export function hasSmtpTransport(deps: SmtpDeps): boolean {
  return transports.has(`${deps.url}|${deps.timeoutMs}`);
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

export async function sendMail(mail: OutgoingMail, deps: SmtpDeps): Promise<SendOutcome> {
  if (!deps.url) {
    return { ok: false, retryable: false, status: null, retryAfterMs: null, error: 'email is not configured on this server: set FIREBREAK_SMTP_URL', latencyMs: 0 };
  }
  const started = performance.now();
  try {
    await (await transportFor(deps)).sendMail({
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
 * every recipient in one message, through the same pooled SMTP transport as pages.
 */
export async function sendReportEmail(
  mail: { to: string[]; subject: string; text: string; html: string; attachments: { filename: string; content: string; contentType: string }[]; messageId: string },
  deps: SmtpDeps,
): Promise<{ ok: true } | { ok: false; retryable: boolean; error: string }> {
  if (!deps.url) return { ok: false, retryable: false, error: 'email is not configured on this server: set FIREBREAK_SMTP_URL' };
  try {
    await (await transportFor(deps)).sendMail({
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
