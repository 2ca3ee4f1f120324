/**
 * The demo population model (lib/simulator): reproducible per seed, shaped like a real rollout
 * (proportions on a 500-user population), internally consistent (ceremony and flow ids join, one
 * terminal sign-in per flow), and free of contact details.
 */
import { describe, expect, it } from 'vitest';
import { deriveDevice } from '@/ingest/derive/device-class';
import { KNOWN_AUTHENTICATORS } from '@/ingest/derive/providers';
import { looksLikeEmailOrPhone } from '@passkey-rollout/telemetry';
import { DEVICE_MODELS, PROVIDERS } from '@/lib/simulator/catalog';
import { Rng } from '@/lib/simulator/random';
import {
  createUserProfile,
  EVENT_NAME_OF_KIND,
  ROLLOUT_FLAG_KEY,
  simulatePopulation,
  simulateUser,
  simulationWindow,
  stageAt,
  userIdOf,
  type SimEvent,
  type UserSimulation,
} from '@/lib/simulator';
import { CANCEL_PROMPT_OUTCOMES, CANCEL_REASONS, DEVICE_CLASSES, EVENT_NAMES } from '@/lib/vocabulary';

const NOW = Date.UTC(2026, 2, 1, 12, 0, 0);
const DAY = 86_400_000;
const HOUR = 3_600_000;

function population(users: number, seed = 7, days = 90, chunkSize = 250): UserSimulation[] {
  return [...simulatePopulation({ users, days, seed, now: NOW }, chunkSize)].flat();
}

const POPULATION = population(500);
const EVENTS = POPULATION.flatMap((u) => u.events);
const WINDOW = simulationWindow({ days: 90, now: NOW });

const deviceClassCache = new Map<string, string>();
function deviceClassOf(event: SimEvent): string {
  if (event.ctx.deviceClass) return event.ctx.deviceClass;
  const ua = event.ctx.userAgent ?? '';
  let known = deviceClassCache.get(ua);
  if (!known) deviceClassCache.set(ua, (known = deriveDevice({ userAgent: ua }).deviceClass));
  return known;
}

function ofKind<K extends SimEvent['kind']>(kind: K, events: SimEvent[] = EVENTS): Extract<SimEvent, { kind: K }>[] {
  return events.filter((e): e is Extract<SimEvent, { kind: K }> => e.kind === kind);
}

const isCancelPrompt = (e: Extract<SimEvent, { kind: 'prompt' }>) =>
  (CANCEL_PROMPT_OUTCOMES as readonly string[]).includes(e.event.outcome) ||
  (e.event.outcome === 'error' && (CANCEL_REASONS as readonly string[]).includes(e.event.failureReason ?? ''));

describe('seeded PRNG', () => {
  it('repeats a stream for the same key and differs between keys', () => {
    const a = Rng.forKey(1, 2);
    const b = Rng.forKey(1, 2);
    const c = Rng.forKey(1, 3);
    const seqA = Array.from({ length: 20 }, () => a.uint32());
    expect(Array.from({ length: 20 }, () => b.uint32())).toEqual(seqA);
    expect(Array.from({ length: 20 }, () => c.uint32())).not.toEqual(seqA);
  });

  it('is roughly uniform and its helpers stay in range', () => {
    const rng = new Rng(99);
    const draws = Array.from({ length: 20_000 }, () => rng.next());
    expect(Math.min(...draws)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...draws)).toBeLessThan(1);
    expect(draws.reduce((s, x) => s + x, 0) / draws.length).toBeCloseTo(0.5, 1);
    for (let i = 0; i < 1000; i++) {
      const value = rng.int(3, 7);
      expect(value).toBeGreaterThanOrEqual(3);
      expect(value).toBeLessThanOrEqual(7);
    }
    expect(rng.uuid()).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(rng.base64url(20)).toMatch(/^[A-Za-z0-9_-]{27}$/);
  });
});

describe('determinism', () => {
  it('the same seed reproduces the same population, whatever the chunk size', () => {
    const again = population(500, 7, 90, 37);
    expect(JSON.stringify(again.map((u) => u.events))).toBe(JSON.stringify(POPULATION.map((u) => u.events)));
  }, 30_000);

  it('a user does not depend on the users before it', () => {
    const alone = simulateUser(7, 321, WINDOW);
    expect(alone.events).toEqual(POPULATION[321]?.events);
  });

  it('another seed gives another population', () => {
    const other = population(50, 8);
    expect(JSON.stringify(other.map((u) => u.events))).not.toBe(JSON.stringify(POPULATION.slice(0, 50).map((u) => u.events)));
  });

  it('rejects impossible options with a clear message', () => {
    expect(() => population(0)).toThrow(/users must be at least 1/);
    expect(() => [...simulatePopulation({ users: 10, days: 0, seed: 1, now: NOW })]).toThrow(/days must be at least 1/);
  });
});

describe('catalog', () => {
  it('every device model user agent derives to its device class at ingest', () => {
    for (const model of DEVICE_MODELS) {
      const derived = deriveDevice({ userAgent: model.userAgent, deviceClassAttr: model.explicitClass ? model.deviceClass : undefined });
      expect(derived.deviceClass, model.id).toBe(model.deviceClass);
    }
  });

  it('every provider AAGUID is a known authenticator of that name, with the right flags and attestation', () => {
    for (const provider of Object.values(PROVIDERS)) {
      expect(KNOWN_AUTHENTICATORS[provider.aaguid]?.name).toBe(provider.name);
      if (provider.reach === 'security_key') {
        expect(provider).toMatchObject({ synced: false, attestationFormat: 'packed', attachment: 'cross-platform' });
      }
    }
    expect(PROVIDERS.icloud.synced).toBe(true);
    expect(PROVIDERS.windowsHello.synced).toBe(false);
  });
});

describe('population shape (500 users, 90 days)', () => {
  it('emits every event of the vocabulary, inside the window, with user ids like usr_000123', () => {
    const names = new Set(EVENTS.map((e) => EVENT_NAME_OF_KIND[e.kind]));
    expect([...names].sort()).toEqual([...EVENT_NAMES].sort());
    for (const event of EVENTS) {
      expect(event.ctx.timestamp).toBeGreaterThanOrEqual(WINDOW.start);
      expect(event.ctx.timestamp).toBeLessThanOrEqual(WINDOW.end);
    }
    expect(POPULATION[122]?.profile.userId).toBe('usr_000123');
    expect(userIdOf(999_999)).toBe('usr_1000000');
    expect(EVENTS.length / POPULATION.length).toBeGreaterThan(40);
    expect(EVENTS.length / POPULATION.length).toBeLessThan(200);
  });

  it('covers every device class, and many users use two or more', () => {
    const classes = new Set(EVENTS.map(deviceClassOf));
    expect([...classes].sort()).toEqual(DEVICE_CLASSES.filter((c) => c !== 'other').sort());
    const multi = POPULATION.filter((u) => new Set(u.profile.devices.map((d) => d.model.deviceClass)).size >= 2).length;
    expect(multi / POPULATION.length).toBeGreaterThan(0.5);
    expect(multi / POPULATION.length).toBeLessThan(0.85);
  });

  it('registers synced passkeys from well-known providers and device-bound ones with the right flags', () => {
    const registered = ofKind('registration').filter((e) => e.event.result === 'success');
    const providers = new Set(registered.map((e) => KNOWN_AUTHENTICATORS[e.event.aaguid ?? '']?.name));
    for (const name of ['iCloud Keychain', 'Google Password Manager', 'Windows Hello', '1Password']) expect(providers).toContain(name);
    expect(providers).not.toContain(undefined);
    for (const e of registered) {
      const known = KNOWN_AUTHENTICATORS[e.event.aaguid ?? ''];
      if (known?.kind === 'security_key') {
        expect(e.event.flags?.be).toBe(false);
        expect(e.event.attestationFormat).toBe('packed');
        expect(e.event.authenticatorAttachment).toBe('cross-platform');
      }
      if (known?.name === 'iCloud Keychain' || known?.name === 'Google Password Manager') expect(e.event.flags?.be).toBe(true);
    }
    const synced = registered.filter((e) => e.event.flags?.be).length / registered.length;
    expect(synced).toBeGreaterThan(0.6);
    expect(synced).toBeLessThan(0.95);
  });

  it('has a registration success rate in the 90s with cancels apart, and lower on the quirky platforms', () => {
    const byCeremony = new Map<string, SimEvent[]>();
    for (const e of EVENTS) if (e.ctx.ceremonyId) byCeremony.set(e.ctx.ceremonyId, [...(byCeremony.get(e.ctx.ceremonyId) ?? []), e]);
    const outcome = (events: SimEvent[]) => {
      const server = events.find((e) => e.kind === 'registration' || e.kind === 'authentication') as
        Extract<SimEvent, { kind: 'registration' | 'authentication' }> | undefined;
      if (server) return server.event.result;
      const prompt = events.find((e) => e.kind === 'prompt') as Extract<SimEvent, { kind: 'prompt' }>;
      return isCancelPrompt(prompt) ? 'cancelled' : 'failure';
    };
    const tally = (type: 'registration' | 'authentication', filter: (e: SimEvent) => boolean) => {
      const counts = { success: 0, failure: 0, cancelled: 0 };
      for (const events of byCeremony.values()) {
        const prompt = events.find((e) => e.kind === 'prompt') as Extract<SimEvent, { kind: 'prompt' }> | undefined;
        if (!prompt || prompt.event.ceremonyType !== type || !filter(prompt)) continue;
        if (prompt.event.mediation === 'conditional' && (CANCEL_PROMPT_OUTCOMES as readonly string[]).includes(prompt.event.outcome))
          continue;
        counts[outcome(events)] += 1;
      }
      const all = counts.success + counts.failure + counts.cancelled;
      return { ...counts, all, successRate: counts.success / (counts.success + counts.failure), cancelRate: counts.cancelled / all };
    };
    const registrations = tally('registration', () => true);
    expect(registrations.all).toBeGreaterThan(300);
    expect(registrations.successRate).toBeGreaterThan(0.9);
    expect(registrations.successRate).toBeLessThan(0.995);
    expect(registrations.cancelRate).toBeGreaterThan(0.03);
    expect(registrations.cancelRate).toBeLessThan(0.2);

    const linux = tally('authentication', (e) => deviceClassOf(e) === 'desktop-linux');
    const rest = tally('authentication', (e) => deviceClassOf(e) !== 'desktop-linux');
    expect(linux.all).toBeGreaterThan(50);
    expect(rest.successRate).toBeGreaterThan(0.95);
    expect(linux.successRate).toBeLessThan(rest.successRate);
  });

  it('keeps cancels (NotAllowedError) apart from failures with platform-specific reasons', () => {
    const prompts = ofKind('prompt').filter((e) => e.event.outcome === 'error');
    const cancels = prompts.filter((e) => e.event.failureReason === 'user_cancelled_or_timed_out');
    expect(cancels.length).toBeGreaterThan(20);
    for (const e of cancels) expect(e.event.errorType).toBe('NotAllowedError');
    const clientReasons = new Set(prompts.map((e) => e.event.failureReason));
    expect(clientReasons).toContain('credential_excluded');
    expect(clientReasons).toContain('unknown_authenticator_error');
    const serverReasons = new Set(
      [...ofKind('registration'), ...ofKind('authentication')]
        .filter((e) => e.event.result === 'failure')
        .map((e) => e.event.failureReason),
    );
    for (const reason of ['unknown_credential', 'user_not_verified', 'challenge_expired']) expect(serverReasons).toContain(reason);
  });

  it('advances the rollout through stages 1–4 with a flag exposure per user and stage', () => {
    const flags = ofKind('featureFlag');
    expect(new Set(flags.map((e) => e.event.variant))).toEqual(new Set(['stage-1', 'stage-2', 'stage-3', 'stage-4']));
    for (const e of flags) {
      expect(e.event.key).toBe(ROLLOUT_FLAG_KEY);
      expect(e.event.variant).toBe(`stage-${stageAt(WINDOW, e.ctx.timestamp)}`);
    }
    const perUserStage = new Set(flags.map((e) => `${e.ctx.userId}:${e.event.variant}`));
    expect(perUserStage.size).toBe(flags.length);
    for (const e of ofKind('passwordRemoved')) expect(stageAt(WINDOW, e.ctx.timestamp)).toBe(4);
    for (const e of ofKind('upsell')) expect(stageAt(WINDOW, e.ctx.timestamp)).toBeGreaterThanOrEqual(2);
    const autofill = ofKind('prompt').filter((e) => e.event.mediation === 'conditional');
    expect(autofill.length).toBeGreaterThan(100);
  });

  it('shows upsell friction, fallbacks with reasons and a passkey share between the extremes', () => {
    const upsell = ofKind('upsell');
    const shown = upsell.filter((e) => e.event.outcome === 'shown').length;
    const accepted = upsell.filter((e) => e.event.outcome === 'accepted').length;
    const dismissed = upsell.filter((e) => e.event.outcome === 'dismissed').length;
    expect(shown).toBe(accepted + dismissed);
    expect(accepted / shown).toBeGreaterThan(0.2);
    expect(accepted / shown).toBeLessThan(0.5);

    const reasons = new Set(ofKind('fallback').map((e) => e.event.reason));
    for (const reason of ['no_passkey_for_account', 'user_chose_other_method', 'prompt_abandoned', 'verification_failed'])
      expect(reasons).toContain(reason);

    const late = ofKind('signIn').filter((e) => e.event.result === 'success' && e.ctx.timestamp >= NOW - 28 * DAY);
    const share = late.filter((e) => e.event.method === 'passkey').length / late.length;
    expect(share).toBeGreaterThan(0.25);
    expect(share).toBeLessThan(0.75);
    expect(new Set(late.map((e) => e.event.method))).toEqual(
      new Set(['passkey', 'password', 'password_otp', 'social', 'email_link', 'sms_code']),
    );
  });

  it('has a few high-risk accounts, most with two attested security keys', () => {
    const highRisk = POPULATION.filter((u) => u.profile.riskTier === 'high');
    expect(highRisk.length).toBeGreaterThanOrEqual(2);
    expect(highRisk.length / POPULATION.length).toBeLessThan(0.04);
    const attestedKeys = (u: UserSimulation) =>
      u.credentials.filter(
        (c) => c.deletedAt === undefined && c.provider.reach === 'security_key' && c.provider.attestationFormat === 'packed',
      ).length;
    expect(highRisk.filter((u) => attestedKeys(u) >= 1).length / highRisk.length).toBeGreaterThan(0.7);
    // Across a larger population (only its high-risk users are simulated): mostly two keys, some one.
    const window30 = simulationWindow({ days: 30, now: NOW });
    const many: UserSimulation[] = [];
    for (let index = 0; index < 8000; index++) {
      if (createUserProfile(11, index, window30).riskTier === 'high') many.push(simulateUser(11, index, window30));
    }
    expect(many.length).toBeGreaterThan(60);
    const withTwo = many.filter((u) => attestedKeys(u) >= 2).length / many.length;
    expect(withTwo).toBeGreaterThan(0.6);
    expect(withTwo).toBeLessThan(0.95);
    expect(many.flatMap((u) => u.events).filter((e) => e.ctx.riskTier !== 'high')).toEqual([]);
  }, 30_000);

  it('has recoveries by method with terminal stages, and support tickets mostly within 72 h of a failure', () => {
    const recoveries = ofKind('recovery');
    const started = recoveries.filter((e) => e.event.stage === 'started');
    expect(started.length).toBeGreaterThan(10);
    const flows = new Map<string, string[]>();
    for (const e of recoveries) flows.set(e.ctx.flowId ?? '', [...(flows.get(e.ctx.flowId ?? '') ?? []), e.event.stage]);
    for (const stages of flows.values()) {
      expect(stages[0]).toBe('started');
      if (stages.length > 1) expect(['completed', 'failed', 'abandoned']).toContain(stages[1]);
    }
    expect(new Set(started.map((e) => e.event.method)).size).toBeGreaterThanOrEqual(4);

    const failuresByUser = new Map<string, number[]>();
    for (const e of EVENTS) {
      const failed =
        (e.kind === 'prompt' && e.event.outcome !== 'success' && !(e.event.mediation === 'conditional')) ||
        ((e.kind === 'registration' || e.kind === 'authentication') && e.event.result === 'failure') ||
        (e.kind === 'recovery' && e.event.stage === 'failed') ||
        (e.kind === 'signIn' && e.event.result !== 'success');
      if (failed && e.ctx.userId) failuresByUser.set(e.ctx.userId, [...(failuresByUser.get(e.ctx.userId) ?? []), e.ctx.timestamp]);
    }
    const opened = ofKind('ticket').filter((e) => e.event.stage === 'opened');
    expect(opened.length).toBeGreaterThan(5);
    const explained = opened.filter((t) =>
      (failuresByUser.get(t.ctx.userId) ?? []).some((f) => f < t.ctx.timestamp && f >= t.ctx.timestamp - 72 * HOUR),
    );
    const lostDevice = opened.filter((t) => t.event.category === 'lost_device');
    expect((explained.length + lostDevice.length) / opened.length).toBeGreaterThan(0.6);
    const categories = new Set(ofKind('ticket').map((e) => e.event.category));
    for (const c of ['passkey_sign_in', 'lost_device', 'account_access']) expect(categories).toContain(c);
    const ids = new Set(opened.map((t) => t.event.ticketId));
    expect(ids.size).toBe(opened.length);
  });

  it('deletes credentials (then sometimes meets them again as unknown_credential) and records backup-state changes', () => {
    const lifecycle = ofKind('lifecycle');
    const deleted = lifecycle.filter((e) => e.event.action === 'deleted_by_user');
    expect(deleted.length).toBeGreaterThan(3);
    expect(lifecycle.some((e) => e.event.action === 'backup_state_changed')).toBe(true);
    const deletedIds = new Set(deleted.map((e) => e.event.credentialId));
    const unknown = ofKind('authentication').filter((e) => e.event.failureReason === 'unknown_credential');
    for (const e of unknown) expect(deletedIds.has(e.event.credentialId ?? '')).toBe(true);
  });
});

describe('joins and privacy', () => {
  it('joins every server verification to its browser prompt by ceremony id and flow id', () => {
    const problems: string[] = [];
    const prompts = new Map<string, Extract<SimEvent, { kind: 'prompt' }>>();
    for (const p of ofKind('prompt')) {
      if (prompts.has(p.event.ceremonyId) || p.ctx.ceremonyId !== p.event.ceremonyId) problems.push(`prompt ${p.event.ceremonyId}`);
      prompts.set(p.event.ceremonyId, p);
    }
    const servers = [...ofKind('registration'), ...ofKind('authentication')];
    expect(servers.length).toBeGreaterThan(1000);
    const seen = new Set<string>();
    for (const s of servers) {
      const id = s.ctx.ceremonyId ?? '';
      const prompt = prompts.get(id);
      const joined =
        prompt !== undefined &&
        !seen.has(id) &&
        prompt.ctx.flowId === s.ctx.flowId &&
        prompt.event.outcome === 'success' &&
        prompt.event.ceremonyType === s.kind &&
        prompt.ctx.timestamp <= s.ctx.timestamp &&
        /^usr_\d{6,}$/.test(s.ctx.userId ?? '');
      if (!joined) problems.push(`${s.kind} ${id}`);
      seen.add(id);
    }
    expect(problems.slice(0, 10)).toEqual([]);
  }, 30_000);

  it('ends every sign-in flow with exactly one terminal auth.sign_in', () => {
    const signIns = new Map<string, number>();
    for (const e of ofKind('signIn')) signIns.set(e.ctx.flowId ?? '', (signIns.get(e.ctx.flowId ?? '') ?? 0) + 1);
    for (const count of signIns.values()) expect(count).toBe(1);
    for (const e of ofKind('fallback')) {
      const flow = e.ctx.flowId ?? '';
      // A fallback either ends in a sign-in of that flow or sent the user to recovery.
      if (!signIns.has(flow))
        expect(EVENTS.some((r) => r.kind === 'recovery' && r.ctx.userId === e.ctx.userId && r.ctx.timestamp >= e.ctx.timestamp)).toBe(true);
    }
  });

  it('never carries an e-mail address, a phone number, a challenge or a public key', () => {
    const forbiddenKey = /challenge|public.?key|email|phone/i;
    const violations: string[] = [];
    let strings = 0;
    const visit = (value: unknown, key: string) => {
      if (forbiddenKey.test(key)) violations.push(`key ${key}`);
      if (typeof value === 'string') {
        strings += 1;
        if (value.includes('@') || looksLikeEmailOrPhone(value)) violations.push(`${key}=${value}`);
      } else if (Array.isArray(value)) value.forEach((v) => visit(v, key));
      else if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) visit(v, k);
    };
    for (const e of EVENTS) visit({ ...e.ctx, ...('event' in e ? e.event : {}) }, e.kind);
    expect(strings).toBeGreaterThan(EVENTS.length * 3);
    expect(violations.slice(0, 10)).toEqual([]);
  }, 30_000);
});
