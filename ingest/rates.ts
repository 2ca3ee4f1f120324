/**
 * Per-token ingest rates (issue 10, docs/security.md "Ingest limits"): a token bucket of records per
 * key. Every ingest token has one (its records per second, with a burst of `burstSeconds` of them);
 * a browser token — public by nature, it ships in the relying party's page — has one more per
 * client address, so one client cannot exhaust the relying party's telemetry. A request that finds
 * a bucket short is answered 429 with the seconds until it would fit (OTLP/HTTP: retryable).
 *
 * A request larger than a whole bucket is let through when the bucket is full (the bucket goes into
 * debt), so the limit shapes a client's rate without making any single batch impossible.
 * Memory is bounded: at most `maxKeys` buckets, the least recently used dropped first (a dropped
 * bucket was idle the longest and would be full again by now, or soon).
 */

export interface RateSettings {
  /** Records per second per ingest token (browser tokens included, over all their clients). */
  tokenRecordsPerSecond: number;
  /** Records per second per client address of a browser token. */
  browserClientRecordsPerSecond: number;
  /** A bucket holds this many seconds of its rate. */
  burstSeconds: number;
}

interface Bucket {
  tokens: number;
  updatedMs: number;
}

export class RateLimiter {
  private readonly buckets = new Map<string, Bucket>();

  constructor(
    readonly recordsPerSecond: number,
    readonly burstSeconds: number,
    private readonly maxKeys = 10_000,
  ) {}

  get capacity(): number {
    return this.recordsPerSecond * this.burstSeconds;
  }

  private bucket(key: string, nowMs: number): Bucket {
    let bucket = this.buckets.get(key);
    if (bucket) {
      this.buckets.delete(key); // re-inserted below: Map order is recency
      bucket.tokens = Math.min(this.capacity, bucket.tokens + ((nowMs - bucket.updatedMs) / 1000) * this.recordsPerSecond);
      bucket.updatedMs = nowMs;
    } else {
      bucket = { tokens: this.capacity, updatedMs: nowMs };
      if (this.buckets.size >= this.maxKeys) this.buckets.delete(this.buckets.keys().next().value as string);
    }
    this.buckets.set(key, bucket);
    return bucket;
  }

  /** Seconds until `records` would be let through under `key` (0 = now). Consumes nothing. */
  waitSeconds(key: string, records: number, nowMs: number): number {
    const bucket = this.bucket(key, nowMs);
    const needed = Math.min(records, this.capacity) - bucket.tokens;
    return needed <= 0 ? 0 : needed / this.recordsPerSecond;
  }

  /** Takes `records` from the key's bucket (after waitSeconds said 0). */
  take(key: string, records: number, nowMs: number): void {
    this.bucket(key, nowMs).tokens -= records;
  }
}

export interface RateDecision {
  ok: boolean;
  /** Whole seconds to wait when not ok. */
  retryAfterSeconds: number;
  /** Which limit was short, for the message. */
  limit: 'token' | 'client' | null;
}

/** The token-wide limiter and, for browser tokens, the per-client one, checked together. */
export class IngestRates {
  private readonly perToken: RateLimiter;
  private readonly perClient: RateLimiter;

  constructor(readonly settings: RateSettings) {
    this.perToken = new RateLimiter(settings.tokenRecordsPerSecond, settings.burstSeconds);
    this.perClient = new RateLimiter(settings.browserClientRecordsPerSecond, settings.burstSeconds);
  }

  /** Admits `records` from a token (and, for a browser token, its client) or says how long to wait; nothing is taken on a refusal. */
  admit(tokenName: string, client: string | null, records: number, nowMs = Date.now()): RateDecision {
    const tokenWait = this.perToken.waitSeconds(tokenName, records, nowMs);
    const clientKey = client === null ? null : `${tokenName}\u0000${client}`;
    const clientWait = clientKey === null ? 0 : this.perClient.waitSeconds(clientKey, records, nowMs);
    const wait = Math.max(tokenWait, clientWait);
    if (wait > 0)
      return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil(wait)), limit: clientWait >= tokenWait ? 'client' : 'token' };
    this.perToken.take(tokenName, records, nowMs);
    if (clientKey !== null) this.perClient.take(clientKey, records, nowMs);
    return { ok: true, retryAfterSeconds: 0, limit: null };
  }
}
