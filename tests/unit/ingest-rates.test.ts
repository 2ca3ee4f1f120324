/** Per-token ingest rates (ingest/rates.ts): token buckets per token and per browser client. */
import { describe, expect, it } from 'vitest';
import { addressList, clientAddress } from '@/lib/security/addresses';
import { IngestRates, RateLimiter } from '@/ingest/rates';

describe('RateLimiter', () => {
  it('lets a full bucket through, refills at the rate, and says how long to wait', () => {
    const limiter = new RateLimiter(10, 2); // 20 records of burst
    expect(limiter.waitSeconds('a', 20, 0)).toBe(0);
    limiter.take('a', 20, 0);
    expect(limiter.waitSeconds('a', 5, 0)).toBeCloseTo(0.5);
    expect(limiter.waitSeconds('a', 5, 500)).toBe(0); // 5 records back after 0.5 s
    expect(limiter.waitSeconds('b', 20, 0)).toBe(0); // another key has its own bucket
  });

  it('never holds more than the burst, and lets an oversized request through a full bucket (into debt)', () => {
    const limiter = new RateLimiter(10, 2);
    expect(limiter.waitSeconds('a', 1, 3_600_000)).toBe(0);
    expect(limiter.waitSeconds('a', 500, 3_600_000)).toBe(0); // more than a bucket, but the bucket is full
    limiter.take('a', 500, 3_600_000);
    expect(limiter.waitSeconds('a', 1, 3_600_000)).toBeCloseTo(48.1); // 480 records of debt + 1
  });

  it('keeps at most maxKeys buckets, dropping the least recently used', () => {
    const limiter = new RateLimiter(1, 1, 2);
    limiter.take('a', 1, 0);
    limiter.take('b', 1, 0);
    limiter.waitSeconds('a', 1, 0); // a is now the most recent
    limiter.take('c', 1, 0); // drops b
    expect(limiter.waitSeconds('a', 1, 0)).toBeGreaterThan(0); // still remembered (empty)
    expect(limiter.waitSeconds('b', 1, 0)).toBe(0); // forgotten: a fresh, full bucket
  });
});

describe('IngestRates', () => {
  const settings = { tokenRecordsPerSecond: 100, browserClientRecordsPerSecond: 5, burstSeconds: 2 };

  it('limits a browser token per client address, without one client using up another’s', () => {
    const rates = new IngestRates(settings);
    expect(rates.admit('web', '203.0.113.7', 10, 0).ok).toBe(true);
    const refused = rates.admit('web', '203.0.113.7', 3, 0);
    expect(refused).toEqual({ ok: false, retryAfterSeconds: 1, limit: 'client' });
    expect(rates.admit('web', '198.51.100.2', 10, 0).ok).toBe(true);
  });

  it('limits a token over all its clients, and takes nothing on a refusal', () => {
    const rates = new IngestRates(settings);
    expect(rates.admit('rp', null, 200, 0).ok).toBe(true);
    expect(rates.admit('rp', null, 50, 0)).toEqual({ ok: false, retryAfterSeconds: 1, limit: 'token' });
    expect(rates.admit('rp', null, 50, 500).ok).toBe(true); // 50 back after 0.5 s: the refusal took nothing
    expect(rates.admit('other-rp', null, 200, 500).ok).toBe(true);
  });
});

describe('clientAddress', () => {
  const STAMP = 'stamp-made-at-start';
  const headers = (peer: string | undefined, forwarded?: string) =>
    new Headers({
      ...(peer ? { 'x-pa-peer-address': peer, 'x-pa-peer-stamp': STAMP } : {}),
      ...(forwarded ? { 'x-forwarded-for': forwarded } : {}),
    });
  const none = addressList([]);
  const proxies = addressList(['10.0.0.0/24', '192.0.2.1']);

  it('is the TCP peer, whatever X-Forwarded-For claims, unless the peer is a trusted proxy', () => {
    expect(clientAddress(headers('198.51.100.9', '203.0.113.7'), none, STAMP)).toBe('198.51.100.9');
    expect(clientAddress(headers('198.51.100.9', '203.0.113.7'), proxies, STAMP)).toBe('198.51.100.9');
  });

  it("behind trusted proxies, is what the outermost one saw: X-Forwarded-For's last untrusted entry", () => {
    // the client claimed 1.2.3.4; the edge proxy (192.0.2.1) saw 203.0.113.7; an inner one forwarded to us
    expect(clientAddress(headers('10.0.0.8', '1.2.3.4, 203.0.113.7, 192.0.2.1'), proxies, STAMP)).toBe('203.0.113.7');
    expect(clientAddress(headers('10.0.0.8'), proxies, STAMP)).toBe('10.0.0.8');
  });

  it('falls back to the first X-Forwarded-For entry without a stamped peer (not scripts/serve.mjs)', () => {
    expect(clientAddress(headers(undefined, '203.0.113.7, 10.0.0.1'), none, STAMP)).toBe('203.0.113.7');
    const forged = new Headers({ 'x-pa-peer-address': '10.0.0.8', 'x-pa-peer-stamp': 'guessed', 'x-forwarded-for': '203.0.113.7' });
    expect(clientAddress(forged, proxies, STAMP)).toBe('203.0.113.7');
    expect(clientAddress(headers(undefined), none, STAMP)).toBe('unknown');
  });
});
