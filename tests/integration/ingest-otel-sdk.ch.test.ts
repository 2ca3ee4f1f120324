/**
 * The real OpenTelemetry JS SDK (proto and JSON exporters, gzip and plain) exports ceremony events
 * to the running app on the real embedded ClickHouse; rows, derived columns and credential state
 * are read back through /api/v1/events within 2 s.
 */
import { afterAll, describe, expect, inject, it } from 'vitest';
import { exportingLogger, type Protocol } from '../helpers/otel';
import { uid, waitForEvents } from '../helpers/otlp';
import { WINDOWS_UA, IPHONE_UA } from '../helpers/user-agents';

const baseUrl = inject('baseUrl');
const token = inject('ingestToken');

const ICLOUD_AAGUID = 'fbfc3007-154e-4ecc-8c0b-6e020557d7bd';
const YUBIKEY_AAGUID = 'cb69481e-8ff7-4039-93ec-0a2729a154a8';

const loggers: Array<{ shutdown(): Promise<void> }> = [];
afterAll(async () => {
  await Promise.all(loggers.map((l) => l.shutdown()));
});

describe.each<[Protocol, 'gzip' | 'none']>([
  ['proto', 'none'],
  ['json', 'none'],
  ['proto', 'gzip'],
])('OpenTelemetry JS exporter, %s, compression %s', (protocol, compression) => {
  it('stores a registration journey with derived columns and credential state, queryable within 2 s', async () => {
    const otel = exportingLogger({ baseUrl, token, protocol, compression });
    loggers.push(otel);
    const userId = uid('user');
    const flowId = uid('flow');
    const ceremonyId = uid('cer');
    const syncedCredential = uid('cred');
    const keyCredential = uid('key');
    const t0 = Date.now() - 60_000;

    otel.emit(
      'passkey.prompt',
      {
        'user.id': userId,
        'auth.flow.id': flowId,
        'webauthn.ceremony.id': ceremonyId,
        'webauthn.ceremony.type': 'registration',
        'passkey.prompt.outcome': 'success',
        'passkey.prompt.duration_ms': 2350,
        'passkey.surface': 'account_settings',
        'user_agent.original': IPHONE_UA,
      },
      t0,
    );
    otel.emit(
      'passkey.registration',
      {
        'user.id': userId,
        'auth.flow.id': flowId,
        'webauthn.ceremony.id': ceremonyId,
        'passkey.result': 'success',
        'webauthn.credential.id': syncedCredential,
        'webauthn.aaguid': ICLOUD_AAGUID,
        'webauthn.flags.up': true,
        'webauthn.flags.uv': true,
        'webauthn.flags.be': true,
        'webauthn.flags.bs': true,
        'webauthn.attestation.format': 'none',
        'webauthn.authenticator.attachment': 'platform',
        'webauthn.transports': ['internal', 'hybrid'],
        'user_agent.original': IPHONE_UA,
        'tenant.plan': 'enterprise',
      },
      t0 + 1000,
    );
    otel.emit(
      'passkey.registration',
      {
        'user.id': userId,
        'passkey.result': 'success',
        'webauthn.credential.id': keyCredential,
        'webauthn.aaguid': YUBIKEY_AAGUID,
        'webauthn.flags.be': false,
        'webauthn.flags.bs': false,
        'webauthn.attestation.format': 'packed',
        'user_agent.original': WINDOWS_UA,
      },
      t0 + 2000,
    );
    otel.emit(
      'passkey.credential.lifecycle',
      { 'user.id': userId, 'webauthn.credential.id': keyCredential, 'passkey.credential.action': 'deleted_by_user' },
      t0 + 3000,
    );
    const sent = Date.now();
    await otel.flush();

    // Events and the credential state they produce are both queryable within 2 s of the export.
    const body = await waitForEvents(baseUrl, `userId=${userId}`, 4, 2000, 2, (b) =>
      (b.credentials ?? []).some((c) => c.credentialId === keyCredential && c.deleted === true),
    );
    expect(Date.now() - sent).toBeLessThan(2000 + 500);
    expect(body.events.map((e) => e.eventName)).toEqual([
      'passkey.credential.lifecycle',
      'passkey.registration',
      'passkey.registration',
      'passkey.prompt',
    ]);

    const prompt = body.events[3]!;
    expect(prompt).toMatchObject({
      ceremonyId,
      flowId,
      ceremonyType: 'registration',
      promptOutcome: 'success',
      promptDurationMs: 2350,
      surface: 'account_settings',
      deviceClass: 'mobile-ios',
      deviceClassSource: 'user_agent',
      serviceName: 'otel-sdk-test',
    });

    const synced = body.events.find((e) => e.credentialId === syncedCredential)!;
    expect(synced).toMatchObject({
      result: 'success',
      deviceClass: 'mobile-ios',
      osName: 'iOS',
      credentialKind: 'synced',
      backedUp: true,
      providerName: 'iCloud Keychain',
      providerKind: 'os_platform',
      aaguid: ICLOUD_AAGUID,
      flags: { up: true, uv: true, be: true, bs: true },
      transports: ['internal', 'hybrid'],
      authenticatorAttachment: 'platform',
      attributes: { 'tenant.plan': 'enterprise' },
    });
    const key = body.events.find((e) => e.credentialId === keyCredential && e.eventName === 'passkey.registration')!;
    expect(key).toMatchObject({
      deviceClass: 'desktop-windows',
      credentialKind: 'device_bound',
      backedUp: false,
      providerKind: 'security_key',
    });

    const credentials = body.credentials ?? [];
    expect(credentials).toHaveLength(2);
    const syncedState = credentials.find((c) => c.credentialId === syncedCredential)!;
    const keyState = credentials.find((c) => c.credentialId === keyCredential)!;
    expect(syncedState).toMatchObject({
      userId,
      deleted: false,
      deletedAt: null,
      deviceClass: 'mobile-ios',
      credentialKind: 'synced',
      providerName: 'iCloud Keychain',
    });
    expect(keyState).toMatchObject({
      userId,
      deleted: true,
      deviceClass: 'desktop-windows',
      credentialKind: 'device_bound',
      providerKind: 'security_key',
    });
    expect(new Date(String(keyState.deletedAt)).getTime()).toBe(t0 + 3000);

    const byCeremony = await waitForEvents(baseUrl, `ceremonyId=${ceremonyId}`, 2, 500);
    expect(byCeremony.events.map((e) => e.eventName).sort()).toEqual(['passkey.prompt', 'passkey.registration']);
    const byCredential = await waitForEvents(baseUrl, `credentialId=${keyCredential}`, 2, 500);
    expect(byCredential.events).toHaveLength(2);
    const byFlow = await waitForEvents(baseUrl, `flowId=${flowId}`, 2, 500);
    expect(byFlow.events).toHaveLength(2);
  });
});
