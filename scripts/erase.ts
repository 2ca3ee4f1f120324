/**
 * `npm run erase -- <userId> [--url http://127.0.0.1:3000]`: erases one user's data through the
 * running app (POST /api/v1/erasures; the embedded engine belongs to the app's process) and prints
 * what was removed. Sends the first ADMIN_TOKENS secret from the environment when it is set.
 */
import { parseArgs } from 'node:util';
import { apiTokens } from '../lib/api/auth';
import { parseEnv } from '../lib/env';

const { values, positionals } = parseArgs({ allowPositionals: true, options: { url: { type: 'string' } } });
const userId = positionals[0];
if (!userId || positionals.length > 1) {
  console.error('usage: npm run erase -- <userId> [--url http://127.0.0.1:3000]');
  process.exit(2);
}
const e = parseEnv();
const url = values.url ?? `http://${e.HOST === '0.0.0.0' ? '127.0.0.1' : e.HOST}:${e.PORT}`;
const admin = apiTokens(e).admin[0];
let response: Response;
try {
  response = await fetch(`${url}/api/v1/erasures`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(admin ? { authorization: `Bearer ${admin.secret}` } : {}) },
    body: JSON.stringify({ userId }),
  });
} catch (error) {
  console.error(`[erase] the app does not answer at ${url} (${(error as Error).message}); start it first, or pass --url`);
  process.exit(1);
}
const body = (await response.json().catch(() => ({}))) as {
  removed?: Record<string, number>;
  erasedAt?: string;
  error?: { message: string };
};
if (!response.ok || !body.removed) {
  console.error(`[erase] ${response.status}: ${body.error?.message ?? 'unexpected answer'}`);
  process.exit(1);
}
const { events, ceremonies, credentials, quarantined } = body.removed;
console.log(
  `[erase] ${userId} erased at ${body.erasedAt}: ${events} events, ${ceremonies} ceremonies, ${credentials} credentials, ${quarantined} quarantined records removed.`,
);
console.log('[erase] ingest now refuses their records dated up to the erasure.');
