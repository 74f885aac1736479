import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { startServer, type RunningServer } from '../../src/app/server.js';
import { loadEnvConfig } from '../../src/config/env-config.js';
import { silentLogger } from '../../src/core/logger.js';
import { createTestDatabase, type DialectName, type TestDatabase } from './dialects.js';

/**
 * What the browser suites share: Debian's Chromium with the flags this machine needs, the built
 * UI, and a real server with a signed-in admin. A missing browser or an unbuilt UI is a failure,
 * never a skip, so CI cannot pass without running them.
 */
export const CHROMIUM = process.env.FIREBREAK_TEST_CHROMIUM ?? '/usr/bin/chromium';
export const WEB_ROOT = fileURLToPath(new URL('../../web/dist', import.meta.url));
export const SHOTS = process.env.FIREBREAK_TEST_SCREENSHOTS ?? '/tmp';
export const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'];

export function requireBrowserPrerequisites(): void {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`Chromium is required for the browser tests but ${CHROMIUM} does not exist. Install it with \`apt-get install -y chromium\` (or set FIREBREAK_TEST_CHROMIUM to its path); never a downloaded browser.`);
  }
  if (!existsSync(`${WEB_ROOT}/index.html`)) {
    throw new Error(`the web UI is not built (${WEB_ROOT}/index.html is missing): run \`npm run build\` first (npm test does it in pretest).`);
  }
}

/** A free loopback port: the server builds the URLs it shows from PORT, so port 0 would show `:0`. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

export type ApiCall = (method: string, path: string, body?: unknown) => Promise<{ status: number; body: Record<string, unknown> }>;

export interface UiServer {
  db: TestDatabase;
  server: RunningServer;
  admin: { email: string; password: string };
  /** An admin-scoped API key made with the first admin's own session. */
  token: string;
  api: ApiCall;
  stop(): Promise<void>;
}

/** A fresh database and a real server on a free port, its first admin and an admin API key. */
export async function startUiServer(dialect: DialectName, options: { keyName: string; env?: Record<string, string> }): Promise<UiServer> {
  requireBrowserPrerequisites();
  const db = await createTestDatabase(dialect);
  let created: { email: string; password: string } | null = null;
  const server = await startServer(
    loadEnvConfig({
      ...process.env, DATABASE_URL: db.url, PORT: String(await freePort()), HOST: '127.0.0.1', FIREBREAK_LOG: 'silent', PUBLIC_URL: undefined,
      FIREBREAK_SECURE_COOKIES: 'false', ...options.env,
    }),
    { log: silentLogger, webRoot: WEB_ROOT, onAdminCreated: (email, password) => { created = { email, password }; } },
  );
  if (!created) throw new Error('the server did not report a first admin; is the database fresh?');
  const admin: { email: string; password: string } = created;
  const signIn = await fetch(`${server.url}/api/v1/auth/sign-in`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(admin) });
  const cookie = signIn.headers.get('set-cookie')!.split(';')[0]!;
  const { csrfToken } = (await signIn.json()) as { csrfToken: string };
  const key = await fetch(`${server.url}/api/v1/api-keys`, {
    method: 'POST', headers: { 'content-type': 'application/json', cookie, 'x-csrf-token': csrfToken }, body: JSON.stringify({ name: options.keyName, scopes: ['admin'] }),
  });
  const token = ((await key.json()) as { token: string }).token;
  const api: ApiCall = async (method, path, body) => {
    const res = await fetch(`${server.url}/api/v1${path}`, {
      method, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, body: (text ? JSON.parse(text) : null) as Record<string, unknown> };
  };
  return {
    db, server, admin, token, api,
    async stop() {
      await server.stop();
      await db.drop();
    },
  };
}

export interface SignedInBrowser {
  browser: Browser;
  context: BrowserContext;
  page: Page;
  /** Uncaught page errors and console errors (failed resource loads aside); a suite expects none. */
  pageErrors: string[];
}

/** Chromium with one page, signed in through the sign-in form as `admin`, on the incident list. */
export async function openSignedInBrowser(ui: UiServer, viewport = { width: 1280, height: 1000 }): Promise<SignedInBrowser> {
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  const context = await browser.newContext({ viewport });
  const page = await context.newPage();
  const pageErrors: string[] = [];
  page.on('pageerror', (e) => pageErrors.push(e.message));
  page.on('console', (m) => { if (m.type() === 'error' && !m.text().startsWith('Failed to load resource')) pageErrors.push(m.text()); });
  await page.goto(`${ui.server.url}/sign-in`);
  await page.getByLabel('Email').fill(ui.admin.email);
  await page.getByLabel('Password').fill(ui.admin.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { name: /^Incidents/ }).waitFor();
  return { browser, context, page, pageErrors };
}
