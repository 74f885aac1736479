// Subscriber sinks for bench/fanout.mjs, in their own process (forked with IPC): a real SMTP
// server (smtp-server) and an HTTP server for webhooks, both on loopback. Each message is
// recorded by its delivery id (the X-Firebreak-Delivery header / webhook-id) and its recipient,
// so the bench can tell "delivered twice with the same id" (an allowed retry) from "delivered
// twice under different ids" (a real duplicate).
// IPC: sends {smtpUrl, hookUrl} once listening; answers {type:'stats'}.
import { createServer } from 'node:http';
import { SMTPServer } from 'smtp-server';

const byId = new Map(); // delivery id -> count
const byRecipient = new Map(); // recipient -> Set(ids)
let first = null;
let last = null;
const now = () => performance.timeOrigin + performance.now();
const record = (id, to) => {
  const t = now();
  first ??= t;
  last = t;
  byId.set(id, (byId.get(id) ?? 0) + 1);
  let s = byRecipient.get(to);
  if (!s) byRecipient.set(to, (s = new Set()));
  s.add(id);
};

const smtp = new SMTPServer({
  authOptional: true, disabledCommands: ['STARTTLS', 'AUTH'], logger: false, size: 1_000_000,
  onData(stream, session, callback) {
    const chunks = [];
    stream.on('data', (c) => chunks.push(c));
    stream.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      const id = /^X-Firebreak-Delivery:\s*(\S+)/im.exec(raw.replace(/\r?\n[ \t]+/g, ' '))?.[1] ?? 'none';
      record(id, session.envelope.rcptTo.map((r) => r.address).join(','));
      callback();
    });
  },
});
const http = createServer((req, res) => {
  req.resume();
  req.on('end', () => {
    record(String(req.headers['webhook-id']), req.url);
    res.writeHead(200).end('ok');
  });
});
http.keepAliveTimeout = 60_000;
await new Promise((r) => smtp.listen(0, '127.0.0.1', r));
await new Promise((r) => http.listen(0, '127.0.0.1', r));
process.send?.({ type: 'url', smtpUrl: `smtp://127.0.0.1:${smtp.server.address().port}`, hookUrl: `http://127.0.0.1:${http.address().port}` });
process.on('message', (m) => {
  if (m?.type !== 'stats') return;
  let messages = 0;
  let sameIdRepeats = 0;
  for (const n of byId.values()) { messages += n; sameIdRepeats += n - 1; }
  let recipientsWithTwoIds = 0;
  for (const s of byRecipient.values()) if (s.size > 1) recipientsWithTwoIds += 1;
  process.send?.({ type: 'stats', messages, distinctIds: byId.size, recipients: byRecipient.size, sameIdRepeats, recipientsWithTwoIds, first, last });
});
process.on('disconnect', () => process.exit(0));
