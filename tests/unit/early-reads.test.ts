/** Early reads (lib/api/early-reads.ts): handed once, to the same caller for the same URL, within their time, and never piling up. */
import { describe, expect, it } from 'vitest';
import type { Principal } from '@/lib/api/auth';
import { EARLY_READ_TTL_MS, EARLY_READS_KEPT, startEarlyRead, takeEarlyRead } from '@/lib/api/early-reads';

const open: Principal = { kind: 'open' };
const alice: Principal = { kind: 'session', memberId: 'm1', name: 'Alice', role: 'viewer', sessionId: 's-alice' };
const bob: Principal = { kind: 'session', memberId: 'm2', name: 'Bob', role: 'viewer', sessionId: 's-bob' };
const URL_A = 'http://localhost:3000/api/v1/overview?from=2026-11-01T00%3A00%3A00.000Z&to=2026-11-29T00%3A00%3A00.000Z';

const answer = (text: string) => () => Promise.resolve(new Response(text));

describe('early reads', () => {
  it('hands a read to the next request of the same caller for the same URL, once', async () => {
    startEarlyRead(alice, URL_A, answer('a'));
    expect(takeEarlyRead(bob, URL_A)).toBeUndefined();
    expect(takeEarlyRead(alice, URL_A.replace('overview', 'signin'))).toBeUndefined();
    expect(takeEarlyRead(alice, `${URL_A}&deviceClass=mobile-ios`)).toBeUndefined();
    // the host is the request's to check (authorization), not part of the URL asked
    const read = takeEarlyRead(alice, URL_A.replace('localhost', '127.0.0.1'));
    expect(await (await read!).text()).toBe('a');
    expect(takeEarlyRead(alice, URL_A)).toBeUndefined();
  });

  it('is not handed out after its time', () => {
    const now = 1_000_000;
    startEarlyRead(open, URL_A, answer('late'), now);
    expect(takeEarlyRead(open, URL_A, now + EARLY_READ_TTL_MS)).toBeUndefined();
    startEarlyRead(open, URL_A, answer('in time'), now);
    expect(takeEarlyRead(open, URL_A, now + EARLY_READ_TTL_MS - 1)).toBeDefined();
  });

  it('keeps the newest of a caller and URL, and at most EARLY_READS_KEPT in all', async () => {
    startEarlyRead(open, URL_A, answer('first'));
    startEarlyRead(open, URL_A, answer('second'));
    expect(await (await takeEarlyRead(open, URL_A)!).text()).toBe('second');
    const urls = Array.from({ length: EARLY_READS_KEPT + 10 }, (_, i) => `${URL_A}&i=${i}`);
    for (const url of urls) startEarlyRead(open, url, answer(url));
    expect(urls.filter((url) => takeEarlyRead(open, url) !== undefined)).toEqual(urls.slice(10));
  });

  it('lets a failed read fail quietly until someone takes it', async () => {
    startEarlyRead(open, URL_A, () => Promise.reject(new Error('storage unavailable')));
    await new Promise((resolve) => setTimeout(resolve, 10)); // no unhandled rejection meanwhile
    await expect(takeEarlyRead(open, URL_A)!).rejects.toThrow('storage unavailable');
  });
});
