/**
 * The reference RP's server, in-process over real HTTP: real @simplewebauthn/server verification
 * driven by the SDK's software authenticator, the SDK's server telemetry recording into memory.
 * (The browser, the OTLP transport and the product are covered by tests/e2e/webauthn.spec.ts.)
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InMemoryLogRecordExporter, LoggerProvider, SimpleLogRecordProcessor, type ReadableLogRecord } from '@opentelemetry/sdk-logs';
import type { PublicKeyCredentialCreationOptionsJSON, PublicKeyCredentialRequestOptionsJSON } from '@simplewebauthn/server';
import { createServerTelemetry } from '@passkey-rollout/telemetry/server';
import { createSoftAuthenticator, type SoftAuthenticator } from '@passkey-rollout/telemetry/testing';
import { createRelyingParty, type RelyingParty } from '@/examples/relying-party/app';
import { validateRelyingPartyConfig } from '@/examples/relying-party/config';

const USER_AGENT = 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.0 Safari/605.1.15';

const exporter = new InMemoryLogRecordExporter();
let rp: RelyingParty;
let base: string;

beforeAll(async () => {
  const loggerProvider = new LoggerProvider({ processors: [new SimpleLogRecordProcessor({ exporter })] });
  const telemetry = createServerTelemetry({ loggerProvider, strictPrivacy: true });
  const config = validateRelyingPartyConfig({ product: 'http://127.0.0.1:9', token: 'unused', port: 0 });
  rp = createRelyingParty(config, { telemetry, log: () => undefined });
  await rp.start();
  base = rp.origin.replace('localhost', '127.0.0.1');
}, 60_000);

afterAll(async () => {
  await rp?.close();
});

/** A cookie-keeping client that behaves like the RP's own pages (same Origin, JSON). */
class PageClient {
  private cookie = '';
  constructor(private readonly origin = rp.origin) {}

  async call<T = Record<string, unknown>>(method: string, path: string, body?: unknown): Promise<{ status: number; body: T }> {
    const response = await fetch(`${base}${path}`, {
      method,
      headers: {
        origin: this.origin,
        'user-agent': USER_AGENT,
        ...(this.cookie ? { cookie: this.cookie } : {}),
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const session = response.headers.getSetCookie().find((c) => c.startsWith('rp_session='));
    if (session) this.cookie = session.split(';')[0] ?? '';
    const text = await response.text();
    return { status: response.status, body: (text ? JSON.parse(text) : {}) as T };
  }

  post<T = Record<string, unknown>>(path: string, body: unknown) {
    return this.call<T>('POST', path, body);
  }
}

function events(eventName: string, match: Record<string, unknown> = {}): ReadableLogRecord[] {
  return exporter
    .getFinishedLogRecords()
    .filter((r) => r.eventName === eventName && Object.entries(match).every(([key, value]) => r.attributes[key] === value));
}

function only(records: ReadableLogRecord[]): ReadableLogRecord {
  expect(records).toHaveLength(1);
  return records[0] as ReadableLogRecord;
}

let counter = 0;
async function signUp(client = new PageClient()) {
  counter += 1;
  const username = `person${counter}.${Date.now()}@example.org`;
  const password = `pw-${counter}-correct-horse`;
  const answer = await client.post<{ userId: string; backupCodes: string[]; next: string }>('/api/signup', { username, password });
  expect(answer.status).toBe(201);
  return { client, username, password, ...answer.body };
}

async function registerWith(
  client: PageClient,
  authenticator: SoftAuthenticator,
  overrides: { userVerified?: boolean } = {},
  surface = 'account_settings',
) {
  const flowId = crypto.randomUUID();
  const ceremonyId = crypto.randomUUID();
  const options = await client.post<{ optionsJSON: PublicKeyCredentialCreationOptionsJSON }>('/api/passkeys/options', { flowId, surface });
  expect(options.status).toBe(200);
  const { response } = await authenticator.register(options.body.optionsJSON.challenge, overrides);
  const verified = await client.post<{ credentialId?: string; kind?: string; reason?: string }>('/api/passkeys/verify', {
    flowId,
    ceremonyId,
    surface,
    response,
  });
  return { ...verified, flowId, ceremonyId, options: options.body.optionsJSON };
}

async function signInWith(client: PageClient, authenticator: SoftAuthenticator, overrides: { backedUp?: boolean } = {}) {
  const flowId = crypto.randomUUID();
  const ceremonyId = crypto.randomUUID();
  const options = await client.post<{ optionsJSON: PublicKeyCredentialRequestOptionsJSON }>('/api/signin/passkey/options', {
    flowId,
    surface: 'login_page',
  });
  const response = await authenticator.authenticate(options.body.optionsJSON.challenge, overrides);
  const verified = await client.post<{ next?: string; userId?: string; reason?: string }>('/api/signin/passkey/verify', {
    flowId,
    ceremonyId,
    surface: 'login_page',
    response,
  });
  return { ...verified, flowId, ceremonyId, response };
}

async function authenticator(options: { synced?: boolean } = {}) {
  const synced = options.synced ?? true;
  return createSoftAuthenticator({
    rpId: 'localhost',
    origin: rp.origin,
    backupEligible: synced,
    attachment: synced ? 'platform' : 'cross-platform',
  });
}

describe('sign-up and password sign-in', () => {
  it('creates an opaque account id, eight backup codes and a session, and sends the user to the upsell', async () => {
    const account = await signUp();
    expect(account.userId).toMatch(/^usr_[\w-]+$/);
    expect(account.backupCodes).toHaveLength(8);
    expect(account.next).toBe('/welcome');
    const view = await account.client.call<{ userId: string; passkeys: unknown[] }>('GET', '/api/account');
    expect(view.body).toMatchObject({ userId: account.userId, passkeys: [] });
    const exposure = only(events('feature_flag.evaluation', { 'user.id': account.userId }));
    expect(exposure.attributes).toMatchObject({
      'feature_flag.key': 'passkey-rollout',
      'feature_flag.result.variant': 'stage-2',
      'user_agent.original': USER_AGENT,
    });
  });

  it('refuses bad input with a 400 naming the field, a taken username with 409, and foreign origins with 403', async () => {
    const client = new PageClient();
    expect((await client.post('/api/signup', { username: 'ab', password: 'long enough' })).body).toMatchObject({
      error: expect.stringMatching(/^username:/),
    });
    expect((await client.post('/api/signup', { username: 'abc', password: 'short' })).status).toBe(400);
    const account = await signUp();
    expect((await client.post('/api/signup', { username: account.username.toUpperCase(), password: 'long enough' })).status).toBe(409);
    expect(
      (await new PageClient('https://evil.example').post('/api/signup', { username: 'mallory', password: 'long enough' })).status,
    ).toBe(403);
    const notJson = await fetch(`${base}/api/signup`, {
      method: 'POST',
      headers: { origin: rp.origin, 'content-type': 'text/plain' },
      body: '{}',
    });
    expect(notJson.status).toBe(415);
    const broken = await fetch(`${base}/api/signup`, {
      method: 'POST',
      headers: { origin: rp.origin, 'content-type': 'application/json' },
      body: '{',
    });
    expect(broken.status).toBe(400);
  });

  it('a wrong password is a failed sign-in; after a failed passkey attempt the password sign-in is a fallback', async () => {
    const account = await signUp();
    const flowId = crypto.randomUUID();
    const client = new PageClient();
    const wrong = await client.post('/api/signin/password', { username: account.username, password: 'nope', flowId });
    expect(wrong.status).toBe(401);
    expect(only(events('auth.sign_in', { 'user.id': account.userId, 'auth.result': 'failure' })).attributes).toMatchObject({
      'auth.method': 'password',
      'auth.flow.id': flowId,
    });

    const right = await client.post('/api/signin/password', {
      username: account.username,
      password: account.password,
      flowId,
      fallbackReason: 'prompt_abandoned',
    });
    expect(right.status).toBe(200);
    expect(only(events('auth.fallback', { 'user.id': account.userId })).attributes).toMatchObject({
      'auth.fallback.from': 'passkey',
      'auth.method': 'password',
      'auth.fallback.reason': 'prompt_abandoned',
      'auth.flow.id': flowId,
    });
    expect(only(events('auth.sign_in', { 'user.id': account.userId, 'auth.result': 'success' })).attributes['auth.method']).toBe(
      'password',
    );
  });

  it('an unknown username fails without a user id', async () => {
    const flowId = crypto.randomUUID();
    expect((await new PageClient().post('/api/signin/password', { username: 'nobody-here', password: 'x', flowId })).status).toBe(401);
    const failure = only(events('auth.sign_in', { 'auth.flow.id': flowId }));
    expect(failure.attributes['user.id']).toBeUndefined();
  });
});

describe('passkeys', () => {
  it('registers a synced passkey: one passkey.registration with the ceremony id, flags and the request user agent', async () => {
    const account = await signUp();
    const platform = await authenticator();
    const result = await registerWith(account.client, platform);
    expect(result.status).toBe(201);
    expect(result.body).toEqual({ credentialId: platform.credentialId, kind: 'synced' });
    expect(result.options.authenticatorSelection).toMatchObject({ residentKey: 'preferred', userVerification: 'preferred' });
    const registration = only(events('passkey.registration', { 'webauthn.ceremony.id': result.ceremonyId }));
    expect(registration.attributes).toMatchObject({
      'user.id': account.userId,
      'auth.flow.id': result.flowId,
      'passkey.surface': 'account_settings',
      'passkey.result': 'success',
      'webauthn.credential.id': platform.credentialId,
      'webauthn.flags.be': true,
      'webauthn.flags.bs': true,
      'webauthn.flags.uv': true,
      'webauthn.rp.id': 'localhost',
      'webauthn.origin': rp.origin,
      'user_agent.original': USER_AGENT,
    });
    // The next registration excludes it, so the browser refuses a second passkey on that authenticator.
    const again = await account.client.post<{ optionsJSON: PublicKeyCredentialCreationOptionsJSON }>('/api/passkeys/options', {
      flowId: crypto.randomUUID(),
      surface: 'account_settings',
    });
    expect(again.body.optionsJSON.excludeCredentials?.map((c) => c.id)).toEqual([platform.credentialId]);
  });

  it('a device-bound passkey without user verification is refused as user_not_verified', async () => {
    const account = await signUp();
    const key = await authenticator({ synced: false });
    const result = await registerWith(account.client, key, { userVerified: false });
    expect(result.status).toBe(400);
    expect(result.body.reason).toBe('user_not_verified');
    expect(only(events('passkey.registration', { 'webauthn.ceremony.id': result.ceremonyId })).attributes).toMatchObject({
      'passkey.result': 'failure',
      'webauthn.failure.reason': 'user_not_verified',
      'webauthn.flags.uv': false,
      'webauthn.flags.be': false,
      'user.id': account.userId,
    });
    expect((await account.client.call<{ passkeys: unknown[] }>('GET', '/api/account')).body.passkeys).toEqual([]);
  });

  it('signs in with a passkey: authentication and sign-in share the ceremony; a replayed response is challenge_reused', async () => {
    const account = await signUp();
    const platform = await authenticator();
    await registerWith(account.client, platform);
    const client = new PageClient();
    const signIn = await signInWith(client, platform);
    expect(signIn.status).toBe(200);
    expect(signIn.body).toEqual({ userId: account.userId, next: '/account' });
    expect(only(events('passkey.authentication', { 'webauthn.ceremony.id': signIn.ceremonyId })).attributes).toMatchObject({
      'user.id': account.userId,
      'passkey.result': 'success',
      'webauthn.credential.id': platform.credentialId,
      'webauthn.flags.bs.previous': true,
      'auth.flow.id': signIn.flowId,
    });
    expect(only(events('auth.sign_in', { 'webauthn.ceremony.id': signIn.ceremonyId })).attributes).toMatchObject({
      'auth.method': 'passkey',
      'auth.result': 'success',
    });
    const view = await client.call<{ passkeys: { lastUsedAt: string | null }[] }>('GET', '/api/account');
    expect(view.body.passkeys[0]?.lastUsedAt).not.toBeNull();

    const replayId = crypto.randomUUID();
    const replay = await client.post<{ reason: string }>('/api/signin/passkey/verify', {
      flowId: signIn.flowId,
      ceremonyId: replayId,
      surface: 'login_page',
      response: signIn.response,
    });
    expect(replay.status).toBe(400);
    expect(replay.body.reason).toBe('challenge_reused');
    expect(only(events('passkey.authentication', { 'webauthn.ceremony.id': replayId })).attributes['webauthn.failure.reason']).toBe(
      'challenge_reused',
    );
  });

  it('a backup state change is recorded as a lifecycle event', async () => {
    const account = await signUp();
    const platform = await authenticator();
    await registerWith(account.client, platform);
    const signIn = await signInWith(new PageClient(), platform, { backedUp: false });
    expect(signIn.status).toBe(200);
    expect(
      only(events('passkey.credential.lifecycle', { 'passkey.credential.action': 'backup_state_changed', 'user.id': account.userId }))
        .attributes,
    ).toMatchObject({
      'webauthn.credential.id': platform.credentialId,
      'webauthn.flags.bs': false,
    });
  });

  it('a deleted passkey is a lifecycle event, and using it afterwards is unknown_credential', async () => {
    const account = await signUp();
    const platform = await authenticator();
    await registerWith(account.client, platform);
    const foreign = await new PageClient('https://evil.example').call('DELETE', `/api/passkeys/${platform.credentialId}`);
    expect(foreign.status).toBe(403);
    const stranger = await signUp();
    expect((await stranger.client.call('DELETE', `/api/passkeys/${platform.credentialId}`)).status).toBe(404);

    expect((await account.client.call('DELETE', `/api/passkeys/${platform.credentialId}`)).status).toBe(200);
    expect(
      only(events('passkey.credential.lifecycle', { 'user.id': account.userId, 'passkey.credential.action': 'deleted_by_user' }))
        .attributes,
    ).toMatchObject({
      'webauthn.credential.id': platform.credentialId,
      'webauthn.flags.be': true,
    });
    const signIn = await signInWith(new PageClient(), platform);
    expect(signIn.status).toBe(400);
    expect(signIn.body.reason).toBe('unknown_credential');
    expect(only(events('passkey.authentication', { 'webauthn.ceremony.id': signIn.ceremonyId })).attributes).toMatchObject({
      'passkey.result': 'failure',
      'webauthn.failure.reason': 'unknown_credential',
      'webauthn.credential.id': platform.credentialId,
    });
  });

  it('refuses registration without a session and malformed responses with a 400', async () => {
    const anonymous = new PageClient();
    expect((await anonymous.post('/api/passkeys/options', { flowId: crypto.randomUUID(), surface: 'account_settings' })).status).toBe(401);
    const account = await signUp();
    const bad = await account.client.post('/api/passkeys/verify', {
      flowId: crypto.randomUUID(),
      ceremonyId: 'not-a-uuid',
      surface: 'account_settings',
      response: {},
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error).toMatch(/^ceremonyId:/);
  });
});

describe('recovery', () => {
  it('by e-mail code: started → a wrong code → completed, then signed in with email_code', async () => {
    const account = await signUp();
    const client = new PageClient();
    const flowId = crypto.randomUUID();
    const start = await client.post<{ inbox: { code: string } }>('/api/recovery/start', {
      username: account.username,
      method: 'email_code',
      flowId,
    });
    expect(start.status).toBe(202);
    expect(start.body.inbox.code).toMatch(/^\d{6}$/);
    const wrongCode = start.body.inbox.code === '000000' ? '111111' : '000000';
    const wrong = await client.post('/api/recovery/complete', { flowId, code: wrongCode });
    expect(wrong).toMatchObject({ status: 400, body: { attemptsLeft: 2 } });
    const done = await client.post('/api/recovery/complete', { flowId, code: start.body.inbox.code });
    expect(done).toMatchObject({ status: 200, body: { userId: account.userId, next: '/account?recovered=1' } });
    expect(events('account.recovery', { 'auth.flow.id': flowId }).map((r) => r.attributes['account.recovery.stage'])).toEqual([
      'started',
      'completed',
    ]);
    expect(only(events('auth.sign_in', { 'auth.flow.id': flowId })).attributes).toMatchObject({
      'auth.method': 'email_code',
      'auth.result': 'success',
      'user.id': account.userId,
    });
    expect((await client.post('/api/recovery/complete', { flowId, code: start.body.inbox.code })).status).toBe(400);
  });

  it('by backup code: each code works once; three wrong codes fail the recovery', async () => {
    const account = await signUp();
    const first = crypto.randomUUID();
    const client = new PageClient();
    await client.post('/api/recovery/start', { username: account.username, method: 'saved_recovery_code', flowId: first });
    const code = (account.backupCodes[0] as string).toUpperCase().replace('-', ' ');
    expect((await client.post<{ backupCodesLeft: number }>('/api/recovery/complete', { flowId: first, code })).body.backupCodesLeft).toBe(
      7,
    );

    const second = crypto.randomUUID();
    await client.post('/api/recovery/start', { username: account.username, method: 'saved_recovery_code', flowId: second });
    for (const attempt of [2, 1]) {
      expect((await client.post('/api/recovery/complete', { flowId: second, code })).body).toMatchObject({ attemptsLeft: attempt });
    }
    expect((await client.post('/api/recovery/complete', { flowId: second, code })).body).toMatchObject({ attemptsLeft: 0 });
    expect(events('account.recovery', { 'auth.flow.id': second }).map((r) => r.attributes['account.recovery.stage'])).toEqual([
      'started',
      'failed',
    ]);
    expect(
      events('account.recovery', { 'auth.flow.id': first }).every((r) => r.attributes['account.recovery.method'] === 'saved_recovery_code'),
    ).toBe(true);
  });

  it('answers the same for an unknown account and records nothing for it', async () => {
    const flowId = crypto.randomUUID();
    const start = await new PageClient().post('/api/recovery/start', { username: 'no-such-person', method: 'email_code', flowId });
    expect(start).toEqual({ status: 202, body: { flowId, method: 'email_code' } });
    expect(events('account.recovery', { 'auth.flow.id': flowId })).toEqual([]);
  });
});

describe('privacy and the telemetry proxy', () => {
  it('no event carries a username (here: e-mail addresses), password, backup code or session cookie', async () => {
    const text = JSON.stringify(exporter.getFinishedLogRecords().map((r) => r.attributes));
    expect(text).not.toMatch(/@example\.org/);
    expect(text).not.toMatch(/correct-horse/);
    expect(text).not.toMatch(/rp_session/);
  });

  it('the same-origin /v1/logs proxy refuses other origins', async () => {
    const response = await fetch(`${base}/v1/logs`, {
      method: 'POST',
      headers: { origin: 'https://evil.example', 'content-type': 'application/json' },
      body: '{}',
    });
    expect(response.status).toBe(403);
  });

  it('serves the pages with a strict CSP and the bundled scripts', async () => {
    const page = await fetch(`${base}/login`);
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
    const html = await page.text();
    expect(html).toContain('<script id="rp-config" type="application/json">');
    const script = await fetch(`${base}/assets/login.js`);
    expect(script.headers.get('content-type')).toContain('text/javascript');
    expect((await script.text()).length).toBeGreaterThan(10_000);
    expect((await fetch(`${base}/account`, { redirect: 'manual' })).headers.get('location')).toBe('/login');
  });
});
