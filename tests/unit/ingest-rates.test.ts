/** Per-token ingest rates (ingest/rates.ts): token buckets per token and per browser client. */
import { describe, expect, it } from 'vitest';
import { clientAddress, IngestRates, RateLimiter } from '@/ingest/rates';

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
  it('is the first X-Forwarded-For entry', () => {
    const request = (value?: string) => new Request('http://x/v1/logs', { headers: value ? { 'x-forwarded-for': value } : {} });
    expect(clientAddress(request('203.0.113.7, 10.0.0.1'))).toBe('203.0.113.7');
    expect(clientAddress(request('::1'))).toBe('::1');
    expect(clientAddress(request())).toBe('unknown');
  });
});
