import { describe, expect, it } from 'vitest';
import { ChallengeExpiredError, ChallengeReusedError, classifyServerError } from '@passkey-rollout/telemetry/server';
import { ChallengeStore } from '@/examples/relying-party/challenges';

function clock(start = 1_000_000) {
  let now = start;
  return { now: () => now, advance: (ms: number) => (now += ms) };
}

describe('ChallengeStore', () => {
  it('issues 32 random bytes whose base64url is what the browser echoes', () => {
    const store = new ChallengeStore();
    const a = store.issue('authentication');
    const b = store.issue('authentication');
    expect(a.bytes).toHaveLength(32);
    expect(Buffer.from(a.bytes).toString('base64url')).toBe(a.base64url);
    expect(a.base64url).not.toBe(b.base64url);
  });

  it('accepts a challenge once, for its purpose and account only', () => {
    const store = new ChallengeStore();
    const registration = store.issue('registration', 'usr_a');
    expect(store.consume(registration.base64url, 'authentication')).toBe(false);
    expect(store.consume(registration.base64url, 'registration', 'usr_b')).toBe(false);
    expect(store.consume(registration.base64url, 'registration', 'usr_a')).toBe(true);
    expect(store.consume('never-issued', 'registration', 'usr_a')).toBe(false);
  });

  it('a second use throws ChallengeReusedError (→ challenge_reused)', () => {
    const store = new ChallengeStore();
    const { base64url } = store.issue('authentication');
    expect(store.consume(base64url, 'authentication')).toBe(true);
    let thrown: unknown;
    try {
      store.consume(base64url, 'authentication');
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(ChallengeReusedError);
    expect(classifyServerError(thrown, 'authentication')).toBe('challenge_reused');
  });

  it('an expired challenge throws ChallengeExpiredError (→ challenge_expired) and cannot be retried', () => {
    const time = clock();
    const store = new ChallengeStore({ ttlMs: 60_000, now: time.now });
    const { base64url } = store.issue('authentication');
    time.advance(60_001);
    expect(() => store.consume(base64url, 'authentication')).toThrow(ChallengeExpiredError);
    expect(() => store.consume(base64url, 'authentication')).toThrow(ChallengeReusedError);
  });

  it('forgets challenges two lifetimes old when issuing new ones', () => {
    const time = clock();
    const store = new ChallengeStore({ ttlMs: 1_000, now: time.now });
    const old = store.issue('authentication');
    time.advance(2_001);
    store.issue('authentication');
    expect(store.size).toBe(1);
    expect(store.consume(old.base64url, 'authentication')).toBe(false);
  });
});
