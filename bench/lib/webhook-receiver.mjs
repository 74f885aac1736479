// A webhook receiver in its own process (forked with IPC): answers 200 to everything and sends
// its URL to the parent, so a CPU measurement of the parent does not include the receiver.
import { createServer } from 'node:http';

const server = createServer((req, res) => {
  req.resume();
  req.on('end', () => res.writeHead(200).end('ok'));
});
server.keepAliveTimeout = 60_000;
server.listen(0, '127.0.0.1', () => process.send?.({ url: `http://127.0.0.1:${server.address().port}/hook` }));
process.on('disconnect', () => process.exit(0));
