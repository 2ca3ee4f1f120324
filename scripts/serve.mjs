/**
 * The production server (`npm start` runs it through scripts/start.ts): Next.js behind a plain
 * Node HTTP server, for one reason — the app must know the TCP peer of a request to trust an SSO
 * proxy's identity header (AUTH_PROXY_ADDRESSES; lib/auth/proxy-identity.ts), and `next start` gives
 * route handlers no peer address a client cannot forge. Every request is stamped with its peer
 * address and a secret made at start; whatever a client sent under those two names is replaced.
 *
 *   node scripts/serve.mjs          # PORT, HOST from the environment (scripts/start.ts passes them)
 */
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import path from 'node:path';

const PEER_ADDRESS_HEADER = 'x-pa-peer-address';
const PEER_STAMP_HEADER = 'x-pa-peer-stamp';

process.env.NODE_ENV = 'production';
const stamp = randomBytes(24).toString('base64url');
// Read by the app in this same process (lib/auth/proxy-identity.ts); never sent anywhere.
process.env.PA_PEER_STAMP = stamp;

const port = Number(process.env.PORT ?? 3000);
const host = process.env.HOST ?? '127.0.0.1';
const { default: next } = await import('next');
const app = next({ dev: false, dir: path.resolve(import.meta.dirname, '..'), hostname: host, port });
const handle = app.getRequestHandler();
await app.prepare();

/** `::ffff:10.0.0.1` (an IPv4 client on a dual-stack socket) as `10.0.0.1`. */
const peerOf = (address) => (address?.startsWith('::ffff:') && address.includes('.') ? address.slice(7) : (address ?? ''));

const server = http.createServer((request, response) => {
  request.headers[PEER_ADDRESS_HEADER] = peerOf(request.socket.remoteAddress);
  request.headers[PEER_STAMP_HEADER] = stamp;
  handle(request, response).catch((error) => {
    console.error('[serve] request failed:', error);
    if (!response.headersSent) response.writeHead(500, { 'content-type': 'text/plain' });
    response.end('Internal error');
  });
});
server.listen(port, host, () => console.log(`[serve] listening on http://${host.includes(':') ? `[${host}]` : host}:${port}`));

const stop = () => {
  server.close();
  // Like `next start`: end now; in-flight inserts are either acknowledged or retried by their senders.
  process.exit(0);
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
