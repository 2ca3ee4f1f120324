import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { InMemoryLogRecordExporter, LoggerProvider, SimpleLogRecordProcessor, type ReadableLogRecord } from '@opentelemetry/sdk-logs';
import { verifyAuthenticationResponse, verifyRegistrationResponse } from '@simplewebauthn/server';
import { isoBase64URL } from '@simplewebauthn/server/helpers';
import {
  AttestationPolicyError,
  ChallengeExpiredError,
  ChallengeReusedError,
  createServerTelemetry,
  CredentialUserMismatchError,
  TelemetryPrivacyError,
  UnknownCredentialError,
  type ServerTelemetryOptions,
} from '@passkey-rollout/telemetry/server';
import { createSoftAuthenticator, type CeremonyOverrides } from '@passkey-rollout/telemetry/testing';

const RP_ID = 'example.com';
const ORIGIN = 'https://example.com';
const CHALLENGE = 'c2VydmVyLWNoYWxsZW5nZS0xMjM0NTY3ODkwYWJj';
const OTHER_CHALLENGE = 'b3RoZXItY2hhbGxlbmdlLTk4NzY1NDMyMTA';
const ICLOUD_KEYCHAIN = 'fbfc3007-154e-4ecc-8c0b-6e020557d7bd';
const YUBIKEY_5 = 'cb69481e-8ff7-4039-93ec-0a2729a154a8';

function setup(options: Partial<ServerTelemetryOptions> = {}) {
  const exporter = new InMemoryLogRecordExporter();
  const loggerProvider = new LoggerProvider({ processors: [new SimpleLogRecordProcessor({ exporter })] });
  const telemetry = createServerTelemetry({ loggerProvider, strictPrivacy: true, ...options });
  const records = (eventName?: string) => exporter.getFinishedLogRecords().filter((r) => !eventName || r.eventName === eventName);
  return { telemetry, exporter, loggerProvider, records };
}

function only<T>(items: T[]): T {
  expect(items).toHaveLength(1);
  return items[0] as T;
}

function attributeText(records: ReadableLogRecord[]): string {
  return JSON.stringify(records.map((r) => r.attributes));
}

const ctx = {
  userId: 'acct_1001',
  flowId: 'flow-1',
  ceremonyId: 'cer-1',
  surface: 'account_settings',
  userAgent: 'Mozilla/5.0 (iPhone)',
} as const;

describe('verifyRegistration', () => {
  it('success: returns exactly what @simplewebauthn/server returns and records the facts (synced passkey)', async () => {
    const { telemetry, records } = setup();
    const authenticator = await createSoftAuthenticator({ rpId: RP_ID, origin: ORIGIN, aaguid: ICLOUD_KEYCHAIN, backupEligible: true });
    const { response } = await authenticator.register(CHALLENGE);
    const params = { response, expectedChallenge: CHALLENGE, expectedOrigin: ORIGIN, expectedRPID: RP_ID };

    const result = await telemetry.verifyRegistration(params, ctx);
    expect(result).toEqual(await verifyRegistrationResponse(params));
    expect(result.verified).toBe(true);

    const record = only(records());
    expect(record.eventName).toBe('passkey.registration');
    expect(record.attributes).toEqual({
      'user.id': 'acct_1001',
      'auth.flow.id': 'flow-1',
      'webauthn.ceremony.id': 'cer-1',
      'passkey.surface': 'account_settings',
      'user_agent.original': 'Mozilla/5.0 (iPhone)',
      'passkey.result': 'success',
      'webauthn.credential.id': authenticator.credentialId,
      'webauthn.aaguid': ICLOUD_KEYCHAIN,
      'webauthn.flags.up': true,
      'webauthn.flags.uv': true,
      'webauthn.flags.be': true,
      'webauthn.flags.bs': true,
      'webauthn.attestation.format': 'none',
      'webauthn.authenticator.attachment': 'platform',
      'webauthn.transports': ['internal', 'hybrid'],
      'webauthn.rp.id': RP_ID,
      'webauthn.origin': ORIGIN,
    });
  });

  it('success: a device-bound security key', async () => {
    const { telemetry, records } = setup();
    const authenticator = await createSoftAuthenticator({
      rpId: RP_ID,
      origin: ORIGIN,
      aaguid: YUBIKEY_5,
      backupEligible: false,
      attachment: 'cross-platform',
    });
    const { response } = await authenticator.register(CHALLENGE);
    await telemetry.verifyRegistration({ response, expectedChallenge: CHALLENGE, expectedOrigin: ORIGIN, expectedRPID: RP_ID }, ctx);
    expect(only(records()).attributes).toMatchObject({
      'webauthn.aaguid': YUBIKEY_5,
      'webauthn.flags.be': false,
      'webauthn.flags.bs': false,
      'webauthn.authenticator.attachment': 'cross-platform',
      'webauthn.transports': ['usb'],
    });
  });

  it('challenge mismatch: rethrows the library error; records the failure; never the challenge', async () => {
    const { telemetry, records } = setup();
    const authenticator = await createSoftAuthenticator({ rpId: RP_ID, origin: ORIGIN });
    const { response } = await authenticator.register(OTHER_CHALLENGE);
    const params = { response, expectedChallenge: CHALLENGE, expectedOrigin: ORIGIN, expectedRPID: RP_ID };

    const libraryError = (await verifyRegistrationResponse(params).then(
      () => expect.fail('should throw'),
      (e: unknown) => e,
    )) as Error;
    await expect(telemetry.verifyRegistration(params, ctx)).rejects.toThrow(libraryError.message);
    expect(libraryError.message).toContain(CHALLENGE); // the library's message embeds it …

    const record = only(records());
    expect(record.attributes).toMatchObject({
      'passkey.result': 'failure',
      'webauthn.failure.reason': 'challenge_mismatch',
      'webauthn.credential.id': authenticator.credentialId,
      'webauthn.flags.uv': true,
      'webauthn.attestation.format': 'none',
      'webauthn.rp.id': RP_ID,
      'webauthn.origin': ORIGIN,
    });
    const text = attributeText(records()); // … the event never does
    expect(text).not.toContain(CHALLENGE);
    expect(text).not.toContain(OTHER_CHALLENGE);
    expect(text).not.toContain(response.response.clientDataJSON);
    expect(text).not.toContain(response.response.attestationObject);
  });

  it.each<[string, CeremonyOverrides, { supportedAlgorithmIDs?: number[] }]>([
    ['origin_mismatch', { origin: 'https://evil.example' }, {}],
    ['rp_id_mismatch', { rpId: 'evil.example' }, {}],
    ['user_not_present', { userPresent: false }, {}],
    ['user_not_verified', { userVerified: false }, {}],
    ['malformed_response', { type: 'webauthn.get' }, {}],
    ['malformed_response', {}, { supportedAlgorithmIDs: [-257] }],
  ])('%s', async (reason, overrides, extra) => {
    const { telemetry, records } = setup();
    const authenticator = await createSoftAuthenticator({ rpId: RP_ID, origin: ORIGIN });
    const { response } = await authenticator.register(CHALLENGE, overrides);
    await expect(
      telemetry.verifyRegistration({ response, expectedChallenge: CHALLENGE, expectedOrigin: ORIGIN, expectedRPID: RP_ID, ...extra }, ctx),
    ).rejects.toThrow();
    expect(only(records()).attributes).toMatchObject({ 'passkey.result': 'failure', 'webauthn.failure.reason': reason });
  });

  it('the origin a failed response claims is recorded (debugging origin_mismatch)', async () => {
    const { telemetry, records } = setup();
    const authenticator = await createSoftAuthenticator({ rpId: RP_ID, origin: ORIGIN });
    const { response } = await authenticator.register(CHALLENGE, { origin: 'https://evil.example' });
    await telemetry
      .verifyRegistration({ response, expectedChallenge: CHALLENGE, expectedOrigin: ORIGIN, expectedRPID: RP_ID })
      .catch(() => undefined);
    expect(only(records()).attributes['webauthn.origin']).toBe('https://evil.example');
  });

  it('garbage response: malformed_response, and nothing parsed from it', async () => {
    const { telemetry, records } = setup();
    const response = {
      id: 'abc',
      rawId: 'abc',
      type: 'public-key',
      response: { clientDataJSON: '!!', attestationObject: '??' },
      clientExtensionResults: {},
    };
    await expect(
      telemetry.verifyRegistration({ response: response as never, expectedChallenge: CHALLENGE, expectedOrigin: ORIGIN }),
    ).rejects.toThrow();
    const record = only(records());
    expect(record.attributes).toMatchObject({
      'passkey.result': 'failure',
      'webauthn.failure.reason': 'malformed_response',
      'webauthn.credential.id': 'abc',
    });
    expect(record.attributes).not.toHaveProperty('webauthn.flags.up');
  });

  it('an expired challenge raised from the expectedChallenge callback → challenge_expired', async () => {
    const { telemetry, records } = setup();
    const authenticator = await createSoftAuthenticator({ rpId: RP_ID, origin: ORIGIN });
    const { response } = await authenticator.register(CHALLENGE);
    const expired = new ChallengeExpiredError();
    const expectedChallenge = () => {
      throw expired;
    };
    await expect(
      telemetry.verifyRegistration({ response, expectedChallenge, expectedOrigin: ORIGIN, expectedRPID: RP_ID }, ctx),
    ).rejects.toBe(expired);
    expect(only(records()).attributes['webauthn.failure.reason']).toBe('challenge_expired');
  });

  it('policy hook rejecting the authenticator → attestation_policy_violation (and the facts are kept)', async () => {
    const { telemetry, records } = setup();
    const authenticator = await createSoftAuthenticator({ rpId: RP_ID, origin: ORIGIN, aaguid: ICLOUD_KEYCHAIN });
    const { response } = await authenticator.register(CHALLENGE);
    const policy = (verification: { registrationInfo: { aaguid: string; credentialDeviceType: string } }) => {
      if (verification.registrationInfo.credentialDeviceType !== 'singleDevice')
        throw new AttestationPolicyError('high-risk accounts need a device-bound key');
    };
    await expect(
      telemetry.verifyRegistration(
        { response, expectedChallenge: CHALLENGE, expectedOrigin: ORIGIN, expectedRPID: RP_ID },
        { ...ctx, riskTier: 'high', policy },
      ),
    ).rejects.toBeInstanceOf(AttestationPolicyError);
    expect(only(records()).attributes).toMatchObject({
      'passkey.result': 'failure',
      'webauthn.failure.reason': 'attestation_policy_violation',
      'webauthn.aaguid': ICLOUD_KEYCHAIN,
      'webauthn.flags.be': true,
      'user.risk_tier': 'high',
    });
  });

  it('reportRegistrationFailure: a reused challenge detected before verification', async () => {
    const { telemetry, records } = setup();
    const authenticator = await createSoftAuthenticator({ rpId: RP_ID, origin: ORIGIN });
    const { response } = await authenticator.register(CHALLENGE);
    expect(telemetry.reportRegistrationFailure(new ChallengeReusedError(), { ...ctx, response, rpId: RP_ID })).toBe('challenge_reused');
    expect(only(records()).attributes).toMatchObject({
      'passkey.result': 'failure',
      'webauthn.failure.reason': 'challenge_reused',
      'webauthn.credential.id': authenticator.credentialId,
      'webauthn.rp.id': RP_ID,
    });
    expect(attributeText(records())).not.toContain(CHALLENGE);
  });
});

describe('verifyAuthentication', () => {
  async function registered(options: Partial<Parameters<typeof createSoftAuthenticator>[0]> = {}) {
    const authenticator = await createSoftAuthenticator({ rpId: RP_ID, origin: ORIGIN, ...options });
    const { credential } = await authenticator.register(CHALLENGE);
    return { authenticator, credential };
  }

  it('success: returns exactly the library result and records flags, transports, AAGUID from the stored credential', async () => {
    const { telemetry, records } = setup();
    const { authenticator, credential } = await registered();
    const response = await authenticator.authenticate(CHALLENGE);
    const params = { response, expectedChallenge: CHALLENGE, expectedOrigin: ORIGIN, expectedRPID: RP_ID, credential };
    const result = await telemetry.verifyAuthentication(params, { ...ctx, aaguid: ICLOUD_KEYCHAIN, previousBackupState: false });
    expect(result).toEqual(await verifyAuthenticationResponse(params));

    const record = only(records());
    expect(record.eventName).toBe('passkey.authentication');
    expect(record.attributes).toMatchObject({
      'passkey.result': 'success',
      'webauthn.credential.id': authenticator.credentialId,
      'webauthn.aaguid': ICLOUD_KEYCHAIN,
      'webauthn.flags.up': true,
      'webauthn.flags.uv': true,
      'webauthn.flags.be': true,
      'webauthn.flags.bs': true,
      'webauthn.flags.bs.previous': false,
      'webauthn.sign_count.anomaly': false,
      'webauthn.authenticator.attachment': 'platform',
      'webauthn.transports': ['internal', 'hybrid'],
      'webauthn.rp.id': RP_ID,
      'webauthn.origin': ORIGIN,
      'webauthn.ceremony.id': 'cer-1',
    });
    expect(record.attributes).not.toHaveProperty('webauthn.failure.reason');
    expect(record.attributes).not.toHaveProperty('webauthn.attestation.format');
  });

  it('counter regression: failure + sign_count.anomaly', async () => {
    const { telemetry, records } = setup();
    const { authenticator, credential } = await registered({ signCount: 'increment' });
    const response = await authenticator.authenticate(CHALLENGE, { counter: 4 });
    await expect(
      telemetry.verifyAuthentication({
        response,
        expectedChallenge: CHALLENGE,
        expectedOrigin: ORIGIN,
        expectedRPID: RP_ID,
        credential: { ...credential, counter: 9 },
      }),
    ).rejects.toThrow(/counter/);
    expect(only(records()).attributes).toMatchObject({
      'passkey.result': 'failure',
      'webauthn.failure.reason': 'counter_regression',
      'webauthn.sign_count.anomaly': true,
    });
  });

  it('a counter that keeps increasing is no anomaly; synced passkeys at 0/0 neither', async () => {
    const { telemetry, records } = setup();
    const { authenticator, credential } = await registered({ signCount: 'increment' });
    const response = await authenticator.authenticate(CHALLENGE);
    await telemetry.verifyAuthentication({
      response,
      expectedChallenge: CHALLENGE,
      expectedOrigin: ORIGIN,
      expectedRPID: RP_ID,
      credential,
    });
    const synced = await registered();
    const syncedResponse = await synced.authenticator.authenticate(CHALLENGE);
    await telemetry.verifyAuthentication({
      response: syncedResponse,
      expectedChallenge: CHALLENGE,
      expectedOrigin: ORIGIN,
      expectedRPID: RP_ID,
      credential: synced.credential,
    });
    expect(records().map((r) => r.attributes['webauthn.sign_count.anomaly'])).toEqual([false, false]);
  });

  it('bad signature: verified=false is returned unchanged and recorded as bad_signature', async () => {
    const { telemetry, records } = setup();
    const { authenticator, credential } = await registered();
    const response = await authenticator.authenticate(CHALLENGE, { corruptSignature: true });
    const result = await telemetry.verifyAuthentication({
      response,
      expectedChallenge: CHALLENGE,
      expectedOrigin: ORIGIN,
      expectedRPID: RP_ID,
      credential,
    });
    expect(result.verified).toBe(false);
    expect(only(records()).attributes).toMatchObject({ 'passkey.result': 'failure', 'webauthn.failure.reason': 'bad_signature' });
  });

  it.each([
    ['challenge_mismatch', {}, { expectedChallenge: OTHER_CHALLENGE }],
    ['origin_mismatch', { origin: 'https://evil.example' }, {}],
    ['rp_id_mismatch', { rpId: 'evil.example' }, {}],
    ['user_not_present', { userPresent: false }, {}],
    ['user_not_verified', { userVerified: false }, {}],
    ['malformed_response', { type: 'webauthn.create' }, {}],
  ] as const)('%s', async (reason, overrides, extra) => {
    const { telemetry, records } = setup();
    const { authenticator, credential } = await registered();
    const response = await authenticator.authenticate(CHALLENGE, overrides);
    await expect(
      telemetry.verifyAuthentication({
        response,
        expectedChallenge: CHALLENGE,
        expectedOrigin: ORIGIN,
        expectedRPID: RP_ID,
        credential,
        ...extra,
      }),
    ).rejects.toThrow();
    const record = only(records());
    expect(record.attributes).toMatchObject({
      'passkey.result': 'failure',
      'webauthn.failure.reason': reason,
      'webauthn.credential.id': credential.id,
    });
    expect(attributeText(records())).not.toContain(CHALLENGE);
  });

  it('UV not performed: the parsed flags are recorded with the failure', async () => {
    const { telemetry, records } = setup();
    const { authenticator, credential } = await registered({ backupEligible: false });
    const response = await authenticator.authenticate(CHALLENGE, { userVerified: false });
    await telemetry
      .verifyAuthentication({ response, expectedChallenge: CHALLENGE, expectedOrigin: ORIGIN, expectedRPID: RP_ID, credential })
      .catch(() => undefined);
    expect(only(records()).attributes).toMatchObject({
      'webauthn.failure.reason': 'user_not_verified',
      'webauthn.flags.up': true,
      'webauthn.flags.uv': false,
      'webauthn.flags.be': false,
      'webauthn.flags.bs': false,
    });
  });

  it('policy hook: the credential belongs to another account → credential_user_mismatch', async () => {
    const { telemetry, records } = setup();
    const { authenticator, credential } = await registered();
    const response = await authenticator.authenticate(CHALLENGE);
    const policy = () => {
      throw new CredentialUserMismatchError();
    };
    await expect(
      telemetry.verifyAuthentication(
        { response, expectedChallenge: CHALLENGE, expectedOrigin: ORIGIN, expectedRPID: RP_ID, credential },
        { policy },
      ),
    ).rejects.toBeInstanceOf(CredentialUserMismatchError);
    expect(only(records()).attributes).toMatchObject({
      'passkey.result': 'failure',
      'webauthn.failure.reason': 'credential_user_mismatch',
    });
  });

  it('reportAuthenticationFailure: unknown credential (no verification possible)', async () => {
    const { telemetry, records } = setup();
    const { authenticator } = await registered();
    const response = await authenticator.authenticate(CHALLENGE);
    const reason = telemetry.reportAuthenticationFailure(new UnknownCredentialError(), {
      response,
      rpId: RP_ID,
      ceremonyId: 'cer-9',
      surface: 'login_autofill',
    });
    expect(reason).toBe('unknown_credential');
    expect(only(records()).attributes).toMatchObject({
      'passkey.result': 'failure',
      'webauthn.failure.reason': 'unknown_credential',
      'webauthn.credential.id': authenticator.credentialId,
      'webauthn.flags.uv': true,
      'webauthn.ceremony.id': 'cer-9',
      'passkey.surface': 'login_autofill',
    });
    const text = attributeText(records());
    expect(text).not.toContain(response.response.signature);
    expect(text).not.toContain(response.response.authenticatorData);
  });
});

describe('privacy', () => {
  it('an e-mail address as user.id throws a TypeError in strict mode — before the verification result is returned', async () => {
    const { telemetry, records } = setup();
    const authenticator = await createSoftAuthenticator({ rpId: RP_ID, origin: ORIGIN });
    const { response } = await authenticator.register(CHALLENGE);
    const call = telemetry.verifyRegistration(
      { response, expectedChallenge: CHALLENGE, expectedOrigin: ORIGIN, expectedRPID: RP_ID },
      { userId: 'jane@example.com' },
    );
    await expect(call).rejects.toBeInstanceOf(TelemetryPrivacyError);
    await expect(call).rejects.toThrow(/user\.id looks like an e-mail address/);
    expect(records()).toHaveLength(0);
  });

  it.each(['+1 (555) 123-4567', '0044 20 7946 0958', 'tel:+442079460958', '555-123-4567'])(
    'a phone number as user.id (%s) is refused',
    (userId) => {
      const { telemetry } = setup();
      expect(() => telemetry.signIn({ method: 'password', result: 'success' }, { userId })).toThrow(TypeError);
    },
  );

  it('numeric and opaque account ids are fine', () => {
    const { telemetry, records } = setup();
    for (const userId of ['12345678', 'acct_1001', '7f9c2ba4-e88f-4f5c-9e5e-1d0b8e2c3a10', 'dXNlci0x']) {
      telemetry.signIn({ method: 'passkey', result: 'success' }, { userId });
    }
    expect(records()).toHaveLength(4);
  });

  it('lenient mode (production) drops the unsafe attributes and still records the event', async () => {
    const { telemetry, records } = setup({ strictPrivacy: false });
    const authenticator = await createSoftAuthenticator({ rpId: RP_ID, origin: ORIGIN });
    const { response } = await authenticator.register(CHALLENGE);
    await telemetry.verifyRegistration(
      { response, expectedChallenge: CHALLENGE, expectedOrigin: ORIGIN, expectedRPID: RP_ID },
      {
        userId: 'jane@example.com',
        attributes: { 'app.debug': `challenge was ${CHALLENGE}`, 'app.publicKey': 'pQECAyYgASFYI', 'app.phone': '1' },
      },
    );
    const record = only(records());
    expect(record.attributes['passkey.result']).toBe('success');
    expect(record.attributes).not.toHaveProperty('user.id');
    expect(record.attributes).not.toHaveProperty('app.debug');
    expect(record.attributes).not.toHaveProperty('app.publicKey');
    expect(record.attributes).not.toHaveProperty('app.phone');
  });

  it('never emits the public key, even when the response carries it', async () => {
    const { telemetry, records } = setup();
    const authenticator = await createSoftAuthenticator({ rpId: RP_ID, origin: ORIGIN });
    const { response, credential } = await authenticator.register(CHALLENGE);
    const publicKey = isoBase64URL.fromBuffer(credential.publicKey);
    await telemetry.verifyRegistration({
      response: { ...response, response: { ...response.response, publicKey } },
      expectedChallenge: CHALLENGE,
      expectedOrigin: ORIGIN,
      expectedRPID: RP_ID,
    });
    expect(attributeText(records())).not.toContain(publicKey);
    expect(attributeText(records())).not.toMatch(/publicKey|challenge|clientData|attestationObject/i);
  });

  it('refuses the raw challenge smuggled under an innocent key (strict)', async () => {
    const { telemetry } = setup();
    const authenticator = await createSoftAuthenticator({ rpId: RP_ID, origin: ORIGIN });
    const { response } = await authenticator.register(CHALLENGE);
    await expect(
      telemetry.verifyRegistration(
        { response, expectedChallenge: CHALLENGE, expectedOrigin: ORIGIN, expectedRPID: RP_ID },
        { attributes: { 'app.note': CHALLENGE } },
      ),
    ).rejects.toThrow(/WebAuthn secret/);
  });
});

describe('journey helpers', () => {
  it('each helper emits its event with its attributes', () => {
    const { telemetry, records } = setup({ common: { environment: 'production' } });
    const user = { userId: 'acct_7', flowId: 'flow-7' };
    telemetry.signIn({ method: 'passkey', result: 'success' }, user);
    telemetry.fallback({ from: 'passkey', to: 'password', reason: 'no_passkey_for_account' }, user);
    telemetry.recovery({ stage: 'started', method: 'email_code' }, user);
    telemetry.supportTicket({ ticketId: 'T-100', stage: 'opened', category: 'passkey_lost', channel: 'chat' }, user);
    telemetry.credentialLifecycle({ action: 'deleted_by_user', credentialId: 'Y3JlZC0x', flags: { be: true, bs: true } }, user);
    telemetry.passwordRemoved(user);
    telemetry.featureFlag({ key: 'passkey-rollout', variant: 'stage-3' }, user);
    telemetry.upsell('accepted', { ...user, surface: 'post_sign_in_upsell' });

    const byEvent = Object.fromEntries(records().map((r) => [r.eventName, r.attributes]));
    expect(Object.keys(byEvent)).toEqual([
      'auth.sign_in',
      'auth.fallback',
      'account.recovery',
      'support.ticket',
      'passkey.credential.lifecycle',
      'auth.password.removed',
      'feature_flag.evaluation',
      'passkey.upsell',
    ]);
    expect(byEvent['auth.sign_in']).toEqual({
      'deployment.environment.name': 'production',
      'user.id': 'acct_7',
      'auth.flow.id': 'flow-7',
      'auth.method': 'passkey',
      'auth.result': 'success',
    });
    expect(byEvent['auth.fallback']).toMatchObject({
      'auth.fallback.from': 'passkey',
      'auth.method': 'password',
      'auth.fallback.reason': 'no_passkey_for_account',
    });
    expect(byEvent['account.recovery']).toMatchObject({ 'account.recovery.stage': 'started', 'account.recovery.method': 'email_code' });
    expect(byEvent['support.ticket']).toMatchObject({
      'support.ticket.id': 'T-100',
      'support.ticket.stage': 'opened',
      'support.ticket.category': 'passkey_lost',
      'support.ticket.channel': 'chat',
    });
    expect(byEvent['passkey.credential.lifecycle']).toMatchObject({
      'passkey.credential.action': 'deleted_by_user',
      'webauthn.credential.id': 'Y3JlZC0x',
      'webauthn.flags.be': true,
    });
    expect(byEvent['auth.password.removed']).toMatchObject({ 'user.id': 'acct_7' });
    expect(byEvent['feature_flag.evaluation']).toMatchObject({
      'feature_flag.key': 'passkey-rollout',
      'feature_flag.result.variant': 'stage-3',
    });
    expect(byEvent['passkey.upsell']).toMatchObject({ 'passkey.upsell.outcome': 'accepted', 'passkey.surface': 'post_sign_in_upsell' });
    for (const record of records()) expect(record.severityNumber).toBe(9);
  });

  it('a timestamp in the context back-dates the event (simulators, backfills)', () => {
    const { telemetry, records } = setup();
    const at = new Date('2025-01-15T10:00:00.000Z');
    telemetry.signIn({ method: 'password', result: 'failure' }, { timestamp: at });
    expect(only(records()).hrTime).toEqual([Math.floor(at.getTime() / 1000), 0]);
  });

  it('shutdown leaves a caller-supplied LoggerProvider alone', async () => {
    const { telemetry, loggerProvider, records } = setup();
    await telemetry.shutdown();
    telemetry.signIn({ method: 'passkey', result: 'success' });
    await loggerProvider.forceFlush();
    expect(telemetry.loggerProvider).toBeUndefined();
    expect(records('auth.sign_in')).toHaveLength(1);
  });
});

describe('OTLP export over HTTP (eventName on the wire)', () => {
  const servers: { close(): void }[] = [];
  afterEach(() => {
    for (const server of servers.splice(0)) server.close();
  });

  async function collector() {
    const requests: { url: string; headers: IncomingMessage['headers']; body: Buffer }[] = [];
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        const raw = Buffer.concat(chunks);
        requests.push({
          url: req.url ?? '',
          headers: req.headers,
          body: req.headers['content-encoding'] === 'gzip' ? gunzipSync(raw) : raw,
        });
        res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    servers.push(server);
    return { endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`, requests };
  }

  it('http/json: POST /v1/logs with the bearer token; the record carries eventName', async () => {
    const { endpoint, requests } = await collector();
    const telemetry = createServerTelemetry({ endpoint, token: 'ingest-token', serviceName: 'rp-api', protocol: 'http/json' });
    telemetry.signIn({ method: 'passkey', result: 'success' }, { userId: 'acct_1' });
    await telemetry.shutdown();

    const request = only(requests);
    expect(request.url).toBe('/v1/logs');
    expect(request.headers.authorization).toBe('Bearer ingest-token');
    expect(request.headers['content-type']).toContain('application/json');
    const body = JSON.parse(request.body.toString('utf8')) as {
      resourceLogs: {
        resource: { attributes: { key: string; value: { stringValue?: string } }[] };
        scopeLogs: { logRecords: { eventName: string; severityNumber: number }[] }[];
      }[];
    };
    const resourceLogs = body.resourceLogs[0];
    expect(resourceLogs?.resource.attributes).toContainEqual({ key: 'service.name', value: { stringValue: 'rp-api' } });
    expect(resourceLogs?.scopeLogs[0]?.logRecords[0]).toMatchObject({ eventName: 'auth.sign_in', severityNumber: 9 });
  });

  it('http/protobuf (default, gzip): eventName is LogRecord field 12', async () => {
    const { endpoint, requests } = await collector();
    const telemetry = createServerTelemetry({ endpoint, token: 'ingest-token', serviceName: 'rp-api' });
    telemetry.recovery({ stage: 'completed', method: 'saved_recovery_code' }, { userId: 'acct_2' });
    await telemetry.forceFlush();
    await telemetry.shutdown();

    const request = only(requests);
    expect(request.headers['content-type']).toBe('application/x-protobuf');
    expect(request.headers['content-encoding']).toBe('gzip');
    const name = Buffer.from('account.recovery');
    const field12 = Buffer.concat([Buffer.from([(12 << 3) | 2, name.length]), name]);
    expect(request.body.includes(field12)).toBe(true);
  });
});

describe('default privacy mode', () => {
  afterEach(() => {
    vi.unstubAllEnvs();
  });

  it('is strict outside production and lenient in production', () => {
    vi.stubEnv('NODE_ENV', 'development');
    expect(() =>
      setup({ strictPrivacy: undefined }).telemetry.signIn({ method: 'passkey', result: 'success' }, { userId: 'a@b.co' }),
    ).toThrow(TypeError);
    vi.stubEnv('NODE_ENV', 'production');
    const { telemetry, records } = setup({ strictPrivacy: undefined });
    telemetry.signIn({ method: 'passkey', result: 'success' }, { userId: 'a@b.co' });
    expect(only(records()).attributes).not.toHaveProperty('user.id');
  });
});
