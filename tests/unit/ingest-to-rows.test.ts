import { describe, expect, it } from 'vitest';
import type { Attributes, DecodedLogRecord } from '@/ingest/decode';
import { EVENT_COLUMNS, storedEvent, type StoredEvent } from '@/ingest/columns';
import { mapRecord, mapRecords, type Rejection } from '@/ingest/to-rows';
import { BROWSER_EVENTS } from '@/lib/security/tokens';

const NOW = Date.UTC(2026, 10, 25, 12, 0, 0);
const IPHONE_UA =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1';

function record(eventName: string, attributes: Attributes, extra: Partial<DecodedLogRecord> = {}): DecodedLogRecord {
  return {
    index: 0,
    timeMs: NOW - 1000,
    observedMs: 0,
    severityNumber: 9,
    severityText: 'INFO',
    body: null,
    attributes,
    traceId: '',
    spanId: '',
    eventName,
    resource: { 'service.name': 'rp' },
    scopeName: 'test',
    ...extra,
  };
}

function row(eventName: string, attributes: Attributes, extra: Partial<DecodedLogRecord> = {}): StoredEvent {
  const result = mapRecord(record(eventName, attributes, extra), NOW);
  if (!Array.isArray(result)) throw new Error(`rejected: ${result.detail}`);
  expect(result).toHaveLength(EVENT_COLUMNS.length);
  return storedEvent(result);
}

function rejection(eventName: string, attributes: Attributes, extra: Partial<DecodedLogRecord> = {}): Rejection {
  const result = mapRecord(record(eventName, attributes, extra), NOW);
  if (Array.isArray(result)) throw new Error('expected a rejection');
  return result;
}

const registration = {
  'user.id': 'u_1',
  'passkey.result': 'success',
  'webauthn.credential.id': 'cred-1',
  'webauthn.aaguid': 'ea9b8d66-4d01-1d21-3ce4-b6b48cb575d4',
  'webauthn.flags.be': true,
  'webauthn.flags.bs': false,
  'webauthn.transports': ['internal', 'hybrid'],
  'user_agent.original': IPHONE_UA,
} satisfies Attributes;

describe('event names', () => {
  it('rejects an unknown event name and a record without one', () => {
    expect(rejection('login.happened', { 'user.id': 'u_1' })).toMatchObject({
      reason: 'unknown_event',
      detail: "unknown event name 'login.happened'",
    });
    expect(rejection('', {}).detail).toMatch(/no event name/);
  });
  it('accepts the deprecated event.name attribute and keeps it out of the attribute map', () => {
    const r = row('', { 'event.name': 'auth.password.removed', 'user.id': 'u_1' });
    expect(r.event_name).toBe('auth.password.removed');
    expect(r.attributes).toEqual({});
  });
});

describe('timestamps', () => {
  it('falls back to the observed time, then to the receive time', () => {
    expect(row('auth.password.removed', { 'user.id': 'u' }, { timeMs: 0, observedMs: NOW - 5000 }).timestamp).toBe(
      ((NOW - 5000) / 1000).toFixed(3),
    );
    expect(row('auth.password.removed', { 'user.id': 'u' }, { timeMs: 0, observedMs: 0 }).timestamp).toBe((NOW / 1000).toFixed(3));
  });
  it('rejects times before 2000 (seconds sent as nanoseconds) and more than a day ahead', () => {
    expect(rejection('auth.password.removed', { 'user.id': 'u' }, { timeMs: 1_732_550 }).reason).toBe('invalid_timestamp');
    expect(rejection('auth.password.removed', { 'user.id': 'u' }, { timeMs: NOW + 2 * 86_400_000 }).detail).toMatch(/future/);
  });
});

describe('user.id', () => {
  it.each(['alice@example.com', ' bob@corp.example ', '+14155550123', '(415) 555-0123'])('rejects %j as contact details', (userId) => {
    const r = rejection('auth.password.removed', { 'user.id': userId });
    expect(r.reason).toBe('invalid_attributes');
    expect(r.detail).toMatch(/^user\.id: looks like (an e-mail address|a phone number)/);
  });
  it.each(['u_12345', '8f3a2c9e-1b7d-4c1a-9e5f-0a1b2c3d4e5f', '123456'])('accepts the opaque id %j', (userId) => {
    expect(row('auth.password.removed', { 'user.id': userId }).user_id).toBe(userId);
  });
});

describe('per-event validation', () => {
  it.each<[string, Attributes, RegExp]>([
    ['passkey.prompt', { 'passkey.prompt.outcome': 'success' }, /webauthn\.ceremony\.type/],
    ['passkey.prompt', { 'webauthn.ceremony.type': 'login', 'passkey.prompt.outcome': 'success' }, /webauthn\.ceremony\.type/],
    ['passkey.prompt', { 'webauthn.ceremony.type': 'registration', 'passkey.prompt.outcome': 'error' }, /error\.type.*DOMException/],
    [
      'passkey.prompt',
      { 'webauthn.ceremony.type': 'registration', 'passkey.prompt.outcome': 'success', 'passkey.prompt.duration_ms': -1 },
      /duration_ms/,
    ],
    ['passkey.registration', { 'user.id': 'u', 'passkey.result': 'success' }, /webauthn\.credential\.id: is required/],
    ['passkey.registration', { 'user.id': 'u', 'passkey.result': 'maybe' }, /passkey\.result/],
    ['passkey.registration', { 'passkey.result': 'success', 'webauthn.credential.id': 'c' }, /user\.id: is required/],
    [
      'passkey.registration',
      { 'user.id': 'u', 'passkey.result': 'success', 'webauthn.credential.id': 'c', 'webauthn.flags.be': 'yes' },
      /webauthn\.flags\.be: must be a boolean/,
    ],
    ['passkey.authentication', { 'passkey.result': 'success' }, /webauthn\.credential\.id/],
    ['passkey.credential.lifecycle', { 'user.id': 'u', 'passkey.credential.action': 'deleted_by_user' }, /webauthn\.credential\.id/],
    ['auth.sign_in', { 'auth.method': 'passkey', 'auth.result': 'success' }, /user\.id: is required/],
    ['auth.sign_in', { 'user.id': 'u', 'auth.method': 'passkey', 'auth.result': 'ok' }, /auth\.result/],
    ['auth.fallback', { 'user.id': 'u' }, /auth\.fallback\.reason/],
    ['account.recovery', { 'user.id': 'u', 'account.recovery.method': 'sms_code' }, /account\.recovery\.stage/],
    ['support.ticket', { 'user.id': 'u', 'support.ticket.stage': 'opened' }, /support\.ticket\.id/],
    ['feature_flag.evaluation', { 'feature_flag.key': 'passkeys' }, /feature_flag\.result\.variant/],
    ['passkey.upsell', { 'passkey.upsell.outcome': 'ignored' }, /passkey\.upsell\.outcome/],
    ['passkey.upsell', { 'passkey.upsell.outcome': 'shown', 'passkey.surface': 'homepage' }, /passkey\.surface/],
    ['passkey.upsell', { 'passkey.upsell.outcome': 'shown', 'user.risk_tier': 'vip' }, /user\.risk_tier/],
    ['auth.password.removed', { 'user.id': 'x'.repeat(3000) }, /user\.id: must be at most 2048/],
  ])('%s %j is rejected naming the attribute', (eventName, attributes, message) => {
    const r = rejection(eventName, attributes);
    expect(r.reason).toBe('invalid_attributes');
    expect(r.detail).toMatch(message);
  });

  it('maps unknown open-enum values to other and keeps the original in the attribute map', () => {
    const r = row('passkey.authentication', { 'passkey.result': 'failure', 'webauthn.failure.reason': 'quantum_flux' });
    expect(r.failure_reason).toBe('other');
    expect(r.attributes).toEqual({ 'webauthn.failure.reason': 'quantum_flux' });
    expect(row('auth.fallback', { 'auth.fallback.reason': 'prompt_error', 'auth.method': 'carrier_pigeon' }).auth_method).toBe('other');
  });

  it('defaults a failure without reason to other and a missing risk tier to standard', () => {
    const r = row('passkey.authentication', { 'passkey.result': 'failure' });
    expect(r).toMatchObject({ failure_reason: 'other', risk_tier: 'standard', result: 'failure' });
  });

  it('accepts 0/1 for booleans and comma-separated transports', () => {
    const r = row('passkey.registration', {
      ...registration,
      'webauthn.flags.be': 1,
      'webauthn.flags.bs': 0,
      'webauthn.transports': 'usb, nfc',
    });
    expect(r).toMatchObject({ flag_be: true, flag_bs: false, transports: ['usb', 'nfc'] });
  });
});

describe('row mapping and derivations', () => {
  it('maps a registration with device class, credential kind and provider', () => {
    const r = row('passkey.registration', { ...registration, 'tenant.id': 't-9', 'nested.map': { a: 1 } }, { traceId: 'ab'.repeat(16) });
    expect(r).toMatchObject({
      event_name: 'passkey.registration',
      user_id: 'u_1',
      result: 'success',
      credential_id: 'cred-1',
      device_class: 'mobile-ios',
      device_class_source: 'user_agent',
      os_name: 'iOS',
      credential_kind: 'synced',
      backed_up: false,
      provider_name: 'Google Password Manager',
      provider_kind: 'os_platform',
      aaguid: 'ea9b8d66-4d01-1d21-3ce4-b6b48cb575d4',
      transports: ['internal', 'hybrid'],
      service_name: 'rp',
      trace_id: 'ab'.repeat(16),
      attributes: { 'tenant.id': 't-9', 'nested.map': '{"a":1}' },
      resource_attributes: { 'service.name': 'rp' },
    });
  });

  it('prefers an explicit device.class, then client hints, over the user agent', () => {
    expect(
      row('passkey.upsell', { 'passkey.upsell.outcome': 'shown', 'device.class': 'tablet-ipados', 'user_agent.original': IPHONE_UA }),
    ).toMatchObject({
      device_class: 'tablet-ipados',
      device_class_source: 'attribute',
    });
    expect(
      row('passkey.upsell', { 'passkey.upsell.outcome': 'shown', 'browser.platform': 'Android', 'browser.mobile': true }),
    ).toMatchObject({
      device_class: 'mobile-android',
      device_class_source: 'client_hints',
    });
  });

  it('derives device_bound from BE=0 and unknown without flags', () => {
    expect(row('passkey.registration', { ...registration, 'webauthn.flags.be': false }).credential_kind).toBe('device_bound');
    const { 'webauthn.flags.be': _be, 'webauthn.flags.bs': _bs, ...noFlags } = registration;
    expect(row('passkey.registration', noFlags)).toMatchObject({ credential_kind: 'unknown', backed_up: null });
  });

  it('keeps valid records and rejects invalid ones in one batch', () => {
    const batch = mapRecords(
      [
        record('auth.password.removed', { 'user.id': 'u_1' }, { index: 0 }),
        record('auth.password.removed', { 'user.id': 'bad@example.com' }, { index: 1 }),
        record('nope', {}, { index: 2 }),
        record('passkey.registration', registration, { index: 3 }),
      ],
      NOW,
    );
    expect(batch.rows).toHaveLength(2);
    expect(batch.rejections.map((r) => [r.index, r.reason])).toEqual([
      [1, 'invalid_attributes'],
      [2, 'unknown_event'],
    ]);
  });
  it("records the sending token's name, and lets a browser token send only browser events (the rest rejected one by one)", () => {
    const prompt = { 'webauthn.ceremony.type': 'authentication', 'passkey.prompt.outcome': 'success', 'webauthn.mediation': 'optional' };
    const batch = mapRecords(
      [
        record('passkey.prompt', prompt, { index: 0 }),
        record('auth.sign_in', { 'user.id': 'u_1', 'auth.method': 'password', 'auth.result': 'success' }, { index: 1 }),
        record('passkey.registration', registration, { index: 2 }),
      ],
      NOW,
      { tokenName: 'web', allowedEvents: BROWSER_EVENTS },
    );
    expect(batch.rows.map((values) => storedEvent(values)).map((event) => [event.event_name, event.ingest_token])).toEqual([
      ['passkey.prompt', 'web'],
    ]);
    expect(batch.rejections.map((r) => [r.index, r.reason])).toEqual([
      [1, 'event_not_allowed'],
      [2, 'event_not_allowed'],
    ]);
    expect(batch.rejections[0]!.detail).toContain("'auth.sign_in' is not a browser event");
    // a full-scope token: every event, under its name
    expect(
      mapRecords([record('auth.sign_in', { 'user.id': 'u_1', 'auth.method': 'password', 'auth.result': 'success' })], NOW, {
        tokenName: 'backend',
      }).rows.map((values) => storedEvent(values).ingest_token),
    ).toEqual(['backend']);
  });
});

describe('client failure reason', () => {
  const prompt = (type: string, errorType: string, reason?: string) =>
    row('passkey.prompt', {
      'webauthn.ceremony.type': type,
      'passkey.prompt.outcome': 'error',
      'error.type': errorType,
      ...(reason ? { 'webauthn.client.failure_reason': reason } : {}),
    }).client_failure_reason;

  it('keeps the reason the sender classified', () => {
    expect(prompt('authentication', 'AbortError', 'aborted_by_rp')).toBe('aborted_by_rp');
  });
  it.each([
    ['registration', 'NotAllowedError', 'user_cancelled_or_timed_out'],
    ['registration', 'InvalidStateError', 'credential_excluded'],
    ['authentication', 'InvalidStateError', 'other'],
    ['authentication', 'SecurityError', 'rp_id_invalid'],
    ['authentication', 'AbortError', 'aborted_by_browser'],
    ['registration', 'NotSupportedError', 'algorithm_unsupported'],
    ['registration', 'ConstraintError', 'constraint_unsatisfied'],
    ['authentication', 'UnknownError', 'unknown_authenticator_error'],
    ['authentication', 'TypeError', 'invalid_options'],
    ['authentication', 'WeirdError', 'other'],
  ])('classifies a %s prompt that failed with %s as %s', (type, errorType, reason) => {
    expect(prompt(type, errorType)).toBe(reason);
  });
});
