import { afterEach, describe, expect, it, vi } from 'vitest';
import { InMemoryLogRecordExporter, type ReadableLogRecord } from '@opentelemetry/sdk-logs';
import { startAuthentication, startRegistration } from '@simplewebauthn/browser';
import {
  createBrowserTelemetry,
  DEFAULT_WATCHDOG_MS,
  TelemetryPrivacyError,
  type BrowserTelemetryOptions,
  type NavigatorLike,
  type PublicKeyCredentialLike,
  type WindowLike,
} from '@passkey-rollout/telemetry/browser';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const CHALLENGE_TEXT = 'Y2hhbGxlbmdlLWZvci10ZXN0LTEyMzQ1Njc4OTA';
const UA = 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/140.0.0.0 Safari/537.36';

type CredentialsMock = {
  create: ReturnType<typeof vi.fn<(options?: CredentialCreationOptions) => Promise<Credential | null>>>;
  get: ReturnType<typeof vi.fn<(options?: CredentialRequestOptions) => Promise<Credential | null>>>;
};

interface Harness {
  telemetry: ReturnType<typeof createBrowserTelemetry>;
  exporter: InMemoryLogRecordExporter;
  credentials: CredentialsMock;
  host: EventTarget & WindowLike;
  document: EventTarget & { visibilityState: string };
  records(eventName?: string): ReadableLogRecord[];
}

function never<T>(): Promise<T> {
  return new Promise<T>(() => undefined);
}

/** A pending WebAuthn call that rejects with the signal's reason when aborted, like a browser. */
function abortable(options?: { signal?: AbortSignal | null }): Promise<Credential | null> {
  return new Promise((_, reject) => {
    const signal = options?.signal;
    if (signal?.aborted) reject(signal.reason);
    signal?.addEventListener('abort', () => reject(signal.reason));
  });
}

const fakeCredential = { id: 'Y3JlZC0x', type: 'public-key' } as unknown as Credential;

function harness(overrides: Partial<BrowserTelemetryOptions> & { pkc?: PublicKeyCredentialLike; navigator?: NavigatorLike } = {}): Harness {
  const credentials: CredentialsMock = {
    create: vi.fn<(options?: CredentialCreationOptions) => Promise<Credential | null>>(async () => fakeCredential),
    get: vi.fn<(options?: CredentialRequestOptions) => Promise<Credential | null>>(async () => fakeCredential),
  };
  const document = Object.assign(new EventTarget(), { visibilityState: 'visible' });
  const navigator: NavigatorLike = overrides.navigator ?? {
    credentials,
    userAgent: UA,
    language: 'en-GB',
    userAgentData: { brands: [{ brand: 'Chromium', version: '140' }], mobile: false, platform: 'macOS' },
  };
  const host = Object.assign(new EventTarget(), {
    navigator,
    document,
    PublicKeyCredential: overrides.pkc,
  }) as EventTarget & WindowLike;
  const exporter = new InMemoryLogRecordExporter();
  const telemetry = createBrowserTelemetry({
    serviceName: 'rp-web',
    exporter,
    window: host,
    common: { sessionId: 'sess-1', environment: 'test' },
    ...overrides,
  });
  return {
    telemetry,
    exporter,
    credentials,
    host,
    document,
    records: (eventName) => exporter.getFinishedLogRecords().filter((r) => !eventName || r.eventName === eventName),
  };
}

async function flushed(h: Harness, eventName?: string): Promise<ReadableLogRecord[]> {
  await h.telemetry.forceFlush();
  return h.records(eventName);
}

function only<T>(items: T[]): T {
  expect(items).toHaveLength(1);
  return items[0] as T;
}

afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllGlobals();
});

describe('trackCreate / trackGet: one passkey.prompt per call', () => {
  it('wraps navigator.credentials.create and records a success', async () => {
    const h = harness();
    const publicKey = { challenge: new Uint8Array(16) } as unknown as PublicKeyCredentialCreationOptions;
    const tracked = await h.telemetry.trackCreate({ publicKey }, { surface: 'account_settings', flowId: 'flow-1' });

    expect(tracked.result).toBe(fakeCredential);
    expect(tracked.ceremonyId).toMatch(UUID);
    const call = h.credentials.create.mock.calls[0]?.[0];
    expect(call?.publicKey).toBe(publicKey);
    expect(call?.signal).toBeInstanceOf(AbortSignal);

    const record = only(await flushed(h));
    expect(record.eventName).toBe('passkey.prompt');
    expect(record.severityNumber).toBe(9);
    expect(record.resource.attributes['service.name']).toBe('rp-web');
    expect(record.attributes).toMatchObject({
      'webauthn.ceremony.id': tracked.ceremonyId,
      'webauthn.ceremony.type': 'registration',
      'webauthn.mediation': 'optional',
      'passkey.prompt.outcome': 'success',
      'passkey.surface': 'account_settings',
      'auth.flow.id': 'flow-1',
      'session.id': 'sess-1',
      'deployment.environment.name': 'test',
      'user_agent.original': UA,
      'browser.brands': ['Chromium 140'],
      'browser.mobile': false,
      'browser.platform': 'macOS',
      'browser.language': 'en-GB',
    });
    expect(record.attributes['passkey.prompt.duration_ms']).toBeGreaterThanOrEqual(0);
    expect(record.attributes).not.toHaveProperty('error.type');
    expect(record.attributes).not.toHaveProperty('webauthn.client.failure_reason');
  });

  it('records the mediation of a get() (conditional = autofill) and uses a caller-chosen ceremony id', async () => {
    const h = harness();
    const tracked = await h.telemetry.trackGet(
      { mediation: 'conditional', publicKey: { challenge: new Uint8Array(16) } },
      { surface: 'login_autofill', ceremonyId: 'cer-42' },
    );
    expect(tracked.ceremonyId).toBe('cer-42');
    const record = only(await flushed(h, 'passkey.prompt'));
    expect(record.attributes).toMatchObject({
      'webauthn.ceremony.type': 'authentication',
      'webauthn.mediation': 'conditional',
      'webauthn.ceremony.id': 'cer-42',
      'passkey.prompt.outcome': 'success',
    });
  });

  it('records a user cancel (NotAllowedError) and rethrows the very same error', async () => {
    const h = harness();
    const cancel = new DOMException('The operation either timed out or was not allowed.', 'NotAllowedError');
    h.credentials.get.mockRejectedValueOnce(cancel);
    await expect(h.telemetry.trackGet({ publicKey: { challenge: new Uint8Array(8) } }, { surface: 'login_page' })).rejects.toBe(cancel);
    const record = only(await flushed(h));
    expect(record.attributes).toMatchObject({
      'passkey.prompt.outcome': 'error',
      'error.type': 'NotAllowedError',
      'webauthn.client.failure_reason': 'user_cancelled_or_timed_out',
    });
  });

  it.each([
    ['InvalidStateError', 'registration', 'credential_excluded'],
    ['InvalidStateError', 'authentication', 'other'],
    ['SecurityError', 'registration', 'rp_id_invalid'],
    ['NotSupportedError', 'registration', 'algorithm_unsupported'],
    ['ConstraintError', 'registration', 'constraint_unsatisfied'],
    ['UnknownError', 'authentication', 'unknown_authenticator_error'],
    ['AbortError', 'authentication', 'aborted_by_browser'],
  ] as const)('%s on %s → %s', async (name, ceremonyType, reason) => {
    const h = harness();
    const error = new DOMException('from the browser', name);
    const call =
      ceremonyType === 'registration'
        ? (h.credentials.create.mockRejectedValueOnce(error), h.telemetry.trackCreate({ publicKey: undefined }, { surface: 'signup' }))
        : (h.credentials.get.mockRejectedValueOnce(error), h.telemetry.trackGet({ publicKey: undefined }, { surface: 'login_page' }));
    await expect(call).rejects.toBe(error);
    const record = only(await flushed(h));
    expect(record.attributes).toMatchObject({
      'webauthn.ceremony.type': ceremonyType,
      'passkey.prompt.outcome': 'error',
      'error.type': name,
      'webauthn.client.failure_reason': reason,
    });
  });

  it('TypeError thrown synchronously by the callback → invalid_options', async () => {
    const h = harness();
    const error = new TypeError('bad options');
    await expect(
      h.telemetry.trackCreate(
        () => {
          throw error;
        },
        { surface: 'signup' },
      ),
    ).rejects.toBe(error);
    expect(only(await flushed(h)).attributes).toMatchObject({
      'error.type': 'TypeError',
      'webauthn.client.failure_reason': 'invalid_options',
    });
  });

  it('a null credential is an error, not a success', async () => {
    const h = harness();
    h.credentials.get.mockResolvedValueOnce(null);
    const tracked = await h.telemetry.trackGet({ publicKey: undefined }, { surface: 'login_page' });
    expect(tracked.result).toBeNull();
    expect(only(await flushed(h)).attributes).toMatchObject({
      'passkey.prompt.outcome': 'error',
      'webauthn.client.failure_reason': 'other',
    });
  });
});

describe('AbortError: aborted_by_rp only when our signal fired', () => {
  it('the caller’s signal (prompt option) → aborted_by_rp', async () => {
    const h = harness();
    h.credentials.get.mockImplementationOnce(abortable);
    const controller = new AbortController();
    const call = h.telemetry.trackGet({ publicKey: undefined }, { surface: 'login_page', signal: controller.signal });
    controller.abort();
    await expect(call).rejects.toMatchObject({ name: 'AbortError' });
    expect(only(await flushed(h)).attributes).toMatchObject({
      'passkey.prompt.outcome': 'error',
      'error.type': 'AbortError',
      'webauthn.client.failure_reason': 'aborted_by_rp',
    });
  });

  it('a signal inside the WebAuthn options is linked too; a custom abort reason still counts as AbortError', async () => {
    const h = harness();
    h.credentials.create.mockImplementationOnce(abortable);
    const controller = new AbortController();
    const call = h.telemetry.trackCreate({ publicKey: undefined, signal: controller.signal }, { surface: 'account_settings' });
    controller.abort('user navigated');
    await expect(call).rejects.toBe('user navigated');
    expect(only(await flushed(h)).attributes).toMatchObject({
      'error.type': 'AbortError',
      'webauthn.client.failure_reason': 'aborted_by_rp',
    });
  });

  it('an AbortError while our signal did not fire → aborted_by_browser', async () => {
    const h = harness();
    const controller = new AbortController();
    h.credentials.get.mockRejectedValueOnce(new DOMException('The operation was aborted.', 'AbortError'));
    await expect(h.telemetry.trackGet({ publicKey: undefined }, { surface: 'login_page', signal: controller.signal })).rejects.toThrow();
    expect(only(await flushed(h)).attributes['webauthn.client.failure_reason']).toBe('aborted_by_browser');
  });

  it('an already-aborted caller signal is honoured', async () => {
    const h = harness();
    h.credentials.get.mockImplementationOnce(abortable);
    await expect(h.telemetry.trackGet({ publicKey: undefined }, { surface: 'login_page', signal: AbortSignal.abort() })).rejects.toThrow();
    expect(only(await flushed(h)).attributes['webauthn.client.failure_reason']).toBe('aborted_by_rp');
  });
});

describe('superseded, abandoned, no_response: exactly one event per call', () => {
  it('a newer prompt supersedes the pending one (autofill → modal): recorded at once, the old call aborted', async () => {
    const h = harness();
    h.credentials.get.mockImplementationOnce(abortable);
    const autofill = h.telemetry.trackGet(
      { mediation: 'conditional', publicKey: undefined },
      { surface: 'login_autofill', ceremonyId: 'old' },
    );
    const autofillSignal = h.credentials.get.mock.calls[0]?.[0]?.signal;
    const modal = await h.telemetry.trackGet({ publicKey: undefined }, { surface: 'login_page', ceremonyId: 'new' });

    expect(autofillSignal?.aborted).toBe(true);
    await expect(autofill).rejects.toMatchObject({ name: 'AbortError' });
    const records = await flushed(h, 'passkey.prompt');
    expect(records.map((r) => [r.attributes['webauthn.ceremony.id'], r.attributes['passkey.prompt.outcome']])).toEqual([
      ['old', 'superseded'],
      [modal.ceremonyId, 'success'],
    ]);
    expect(records[0]?.attributes).not.toHaveProperty('webauthn.client.failure_reason');
    expect(records[0]?.attributes['webauthn.mediation']).toBe('conditional');
  });

  it('pagehide while pending → abandoned, flushed without being asked, and never a second event', async () => {
    const h = harness();
    let settle: (value: Credential) => void = () => undefined;
    h.credentials.create.mockImplementationOnce(() => new Promise((resolve) => (settle = resolve)));
    const call = h.telemetry.trackCreate({ publicKey: undefined }, { surface: 'post_sign_in_upsell' });

    h.host.dispatchEvent(new Event('pagehide'));
    await vi.waitFor(() => expect(h.records('passkey.prompt')).toHaveLength(1));
    expect(h.records()[0]?.attributes).toMatchObject({ 'passkey.prompt.outcome': 'abandoned', 'passkey.surface': 'post_sign_in_upsell' });

    settle(fakeCredential);
    await call;
    expect(await flushed(h, 'passkey.prompt')).toHaveLength(1);
  });

  it('pagehide with nothing pending records nothing', async () => {
    const h = harness();
    await h.telemetry.trackGet({ publicKey: undefined }, { surface: 'login_page' });
    h.host.dispatchEvent(new Event('pagehide'));
    await vi.waitFor(() => expect(h.records()).toHaveLength(1));
    expect(h.records()[0]?.attributes['passkey.prompt.outcome']).toBe('success');
  });

  it('visibilitychange to hidden flushes the batch (no abandonment: the OS sheet may hide the page)', async () => {
    const h = harness();
    h.credentials.get.mockImplementationOnce(never);
    h.telemetry.trackUpsell('shown');
    void h.telemetry.trackGet({ publicKey: undefined }, { surface: 'login_page' });
    h.document.visibilityState = 'hidden';
    h.document.dispatchEvent(new Event('visibilitychange'));
    await vi.waitFor(() => expect(h.records('passkey.upsell')).toHaveLength(1));
    expect(h.records('passkey.prompt')).toHaveLength(0);
  });

  it('watchdog: a prompt that never settles is reported no_response after 5 minutes (default)', async () => {
    vi.useFakeTimers();
    const h = harness();
    h.credentials.get.mockImplementationOnce(never);
    void h.telemetry.trackGet({ publicKey: undefined }, { surface: 'step_up' });

    await vi.advanceTimersByTimeAsync(DEFAULT_WATCHDOG_MS - 1);
    expect(await flushed(h, 'passkey.prompt')).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(1);
    const record = only(await flushed(h, 'passkey.prompt'));
    expect(record.attributes).toMatchObject({ 'passkey.prompt.outcome': 'no_response', 'passkey.prompt.duration_ms': DEFAULT_WATCHDOG_MS });
    expect(record.attributes).not.toHaveProperty('error.type');
  });

  it('watchdog: per-call override, and a late settlement does not emit again', async () => {
    vi.useFakeTimers();
    const h = harness();
    let settle: (value: Credential) => void = () => undefined;
    h.credentials.create.mockImplementationOnce(() => new Promise((resolve) => (settle = resolve)));
    const call = h.telemetry.trackCreate({ publicKey: undefined }, { surface: 'signup', watchdogMs: 10_000 });
    await vi.advanceTimersByTimeAsync(10_000);
    settle(fakeCredential);
    await expect(call).resolves.toMatchObject({ result: fakeCredential });
    const record = only(await flushed(h, 'passkey.prompt'));
    expect(record.attributes['passkey.prompt.outcome']).toBe('no_response');
  });

  it('watchdog: none by default for conditional mediation (autofill waits for the user indefinitely)', async () => {
    vi.useFakeTimers();
    const h = harness();
    h.credentials.get.mockImplementationOnce(never);
    void h.telemetry.trackGet({ mediation: 'conditional', publicKey: undefined }, { surface: 'login_autofill' });
    await vi.advanceTimersByTimeAsync(DEFAULT_WATCHDOG_MS * 3);
    expect(await flushed(h, 'passkey.prompt')).toHaveLength(0);
  });

  it('watchdog: the telemetry-wide default can be changed', async () => {
    vi.useFakeTimers();
    const h = harness({ watchdogMs: 60_000 });
    h.credentials.get.mockImplementationOnce(never);
    void h.telemetry.trackGet({ publicKey: undefined }, { surface: 'login_page' });
    await vi.advanceTimersByTimeAsync(60_000);
    expect(only(await flushed(h, 'passkey.prompt')).attributes['passkey.prompt.outcome']).toBe('no_response');
  });
});

describe('wrapping @simplewebauthn/browser (callback form)', () => {
  function stubGlobals(credentials: Partial<CredentialsMock>) {
    vi.stubGlobal('PublicKeyCredential', function PublicKeyCredential() {});
    vi.stubGlobal('navigator', { credentials });
    vi.stubGlobal('location', { hostname: 'example.com' });
  }

  const registrationOptions = {
    challenge: CHALLENGE_TEXT,
    rp: { name: 'Example', id: 'example.com' },
    user: { id: 'dXNlci0x', name: 'user-1', displayName: 'User 1' },
    pubKeyCredParams: [{ type: 'public-key' as const, alg: -7 }],
  };

  it('startRegistration rejecting with InvalidStateError (excluded credential) → credential_excluded', async () => {
    const h = harness();
    stubGlobals({ create: vi.fn(async () => Promise.reject(new DOMException('excluded', 'InvalidStateError'))) });
    await expect(
      h.telemetry.trackCreate(() => startRegistration({ optionsJSON: registrationOptions }), { surface: 'account_settings' }),
    ).rejects.toMatchObject({ code: 'ERROR_AUTHENTICATOR_PREVIOUSLY_REGISTERED' });
    expect(only(await flushed(h)).attributes).toMatchObject({
      'webauthn.ceremony.type': 'registration',
      'error.type': 'InvalidStateError',
      'webauthn.client.failure_reason': 'credential_excluded',
    });
  });

  it('a newer startAuthentication supersedes the pending one: one superseded + one success', async () => {
    const h = harness();
    const response = {
      id: 'Y3JlZC0x',
      rawId: new Uint8Array([1, 2, 3]).buffer,
      type: 'public-key',
      authenticatorAttachment: 'platform',
      getClientExtensionResults: () => ({}),
      response: {
        clientDataJSON: new Uint8Array([1]).buffer,
        authenticatorData: new Uint8Array([2]).buffer,
        signature: new Uint8Array([3]).buffer,
        userHandle: null,
      },
    };
    const get = vi
      .fn<(options?: CredentialRequestOptions) => Promise<Credential | null>>()
      .mockImplementationOnce(abortable)
      .mockResolvedValueOnce(response as unknown as Credential);
    stubGlobals({ get });
    const optionsJSON = { challenge: CHALLENGE_TEXT, rpId: 'example.com' };

    const first = h.telemetry.trackGet(() => startAuthentication({ optionsJSON }), { surface: 'login_page', ceremonyId: 'first' });
    const second = await h.telemetry.trackGet(() => startAuthentication({ optionsJSON }), { surface: 'login_page', ceremonyId: 'second' });
    await expect(first).rejects.toMatchObject({ code: 'ERROR_CEREMONY_ABORTED' });
    expect(second.result.id).toBe('Y3JlZC0x');

    const records = await flushed(h, 'passkey.prompt');
    expect(records.map((r) => [r.attributes['webauthn.ceremony.id'], r.attributes['passkey.prompt.outcome']])).toEqual([
      ['first', 'superseded'],
      ['second', 'success'],
    ]);
  });

  it('an untracked newer startAuthentication still marks the tracked one superseded', async () => {
    const h = harness();
    const get = vi.fn<(options?: CredentialRequestOptions) => Promise<Credential | null>>().mockImplementation(abortable);
    stubGlobals({ get });
    const optionsJSON = { challenge: CHALLENGE_TEXT, rpId: 'example.com' };
    const tracked = h.telemetry.trackGet(() => startAuthentication({ optionsJSON }), { surface: 'login_page', mediation: 'conditional' });
    void startAuthentication({ optionsJSON }).catch(() => undefined);
    await expect(tracked).rejects.toBeDefined();
    expect(only(await flushed(h, 'passkey.prompt')).attributes).toMatchObject({
      'passkey.prompt.outcome': 'superseded',
      'webauthn.mediation': 'conditional',
    });
  });
});

describe('reportCapabilities', () => {
  it('getClientCapabilities: true / false / absent, with legacy fallbacks for what it does not report', async () => {
    const pkc: PublicKeyCredentialLike = {
      getClientCapabilities: vi.fn(async () => ({
        hybridTransport: true,
        passkeyPlatformAuthenticator: true,
        conditionalCreate: false,
        userVerifyingPlatformAuthenticator: true,
      })),
      isConditionalMediationAvailable: vi.fn(async () => true),
      isUserVerifyingPlatformAuthenticatorAvailable: vi.fn(async () => false),
    };
    const h = harness({ pkc });
    const report = await h.telemetry.reportCapabilities({ surface: 'login_page' });
    expect(report).toMatchObject({ apiAvailable: true, uvpaa: true, conditionalGet: true, source: 'get_client_capabilities' });
    expect(pkc.isUserVerifyingPlatformAuthenticatorAvailable).not.toHaveBeenCalled();

    const record = only(await flushed(h, 'passkey.client.capabilities'));
    expect(record.attributes).toMatchObject({
      'webauthn.client.api_available': true,
      'webauthn.client.uvpaa': true,
      'webauthn.client.conditional_get': true,
      'webauthn.client.capabilities': ['hybridTransport', 'passkeyPlatformAuthenticator', 'userVerifyingPlatformAuthenticator'],
      'webauthn.client.capabilities_unsupported': ['conditionalCreate'],
      'webauthn.client.capabilities_source': 'get_client_capabilities',
      'passkey.surface': 'login_page',
    });
  });

  it('legacy browsers: only the pre-L3 static methods', async () => {
    const h = harness({
      pkc: {
        isUserVerifyingPlatformAuthenticatorAvailable: async () => true,
        isConditionalMediationAvailable: async () => false,
      },
    });
    await h.telemetry.reportCapabilities();
    const record = only(await flushed(h, 'passkey.client.capabilities'));
    expect(record.attributes).toMatchObject({
      'webauthn.client.api_available': true,
      'webauthn.client.uvpaa': true,
      'webauthn.client.conditional_get': false,
      'webauthn.client.capabilities_source': 'legacy',
    });
    expect(record.attributes).not.toHaveProperty('webauthn.client.capabilities');
  });

  it('getClientCapabilities that rejects falls back to the legacy methods', async () => {
    const h = harness({
      pkc: {
        getClientCapabilities: async () => Promise.reject(new Error('not implemented')),
        isUserVerifyingPlatformAuthenticatorAvailable: async () => false,
      },
    });
    const report = await h.telemetry.reportCapabilities();
    expect(report).toMatchObject({ uvpaa: false, conditionalGet: undefined, source: 'legacy' });
  });

  it('no WebAuthn at all', async () => {
    const h = harness({ navigator: { userAgent: UA } });
    await h.telemetry.reportCapabilities();
    const record = only(await flushed(h, 'passkey.client.capabilities'));
    expect(record.attributes).toMatchObject({ 'webauthn.client.api_available': false, 'webauthn.client.capabilities_source': 'none' });
    expect(record.attributes).not.toHaveProperty('webauthn.client.uvpaa');
  });

  it('emits once per page', async () => {
    const h = harness({ pkc: { isConditionalMediationAvailable: async () => true } });
    const [a, b] = await Promise.all([h.telemetry.reportCapabilities(), h.telemetry.reportCapabilities()]);
    expect(a).toBe(b);
    expect(await flushed(h, 'passkey.client.capabilities')).toHaveLength(1);
  });
});

describe('upsell and fallback', () => {
  it('trackUpsell and trackFallback emit their events', async () => {
    const h = harness();
    h.telemetry.trackUpsell('shown', { surface: 'post_sign_in_upsell' });
    h.telemetry.trackUpsell('dismissed', { surface: 'post_sign_in_upsell' });
    h.telemetry.trackFallback({ from: 'passkey', to: 'password', reason: 'prompt_error' }, { flowId: 'flow-9' });
    const records = await flushed(h);
    expect(records.map((r) => [r.eventName, r.attributes['passkey.upsell.outcome'] ?? r.attributes['auth.fallback.reason']])).toEqual([
      ['passkey.upsell', 'shown'],
      ['passkey.upsell', 'dismissed'],
      ['auth.fallback', 'prompt_error'],
    ]);
    expect(records[2]?.attributes).toMatchObject({ 'auth.fallback.from': 'passkey', 'auth.method': 'password', 'auth.flow.id': 'flow-9' });
  });
});

describe('privacy', () => {
  it('refuses an e-mail address as user.id (strict mode throws a TypeError)', async () => {
    const h = harness({ strictPrivacy: true });
    h.telemetry.setCommon({ userId: 'jane.doe@example.com' });
    expect(() => h.telemetry.trackUpsell('shown')).toThrow(TelemetryPrivacyError);
    expect(() => h.telemetry.trackUpsell('shown')).toThrow(TypeError);
    expect(await flushed(h)).toHaveLength(0);
  });

  it('drops it with a warning in lenient (production) mode and never emits contact details', async () => {
    const h = harness({ strictPrivacy: false });
    h.telemetry.setCommon({ userId: '+44 20 7946 0958', attributes: { 'app.note': 'contact jane.doe@example.com' } });
    h.telemetry.trackUpsell('accepted');
    const record = only(await flushed(h));
    expect(record.attributes).not.toHaveProperty('user.id');
    expect(record.attributes).not.toHaveProperty('app.note');
    expect(JSON.stringify(record.attributes)).not.toMatch(/@|7946/);
  });

  it('prompt events carry nothing from the WebAuthn options or the credential', async () => {
    const h = harness();
    const challenge = new TextEncoder().encode(CHALLENGE_TEXT);
    await h.telemetry.trackCreate({ publicKey: { challenge } as unknown as PublicKeyCredentialCreationOptions }, { surface: 'signup' });
    const text = JSON.stringify((await flushed(h)).map((r) => r.attributes));
    expect(text).not.toContain(CHALLENGE_TEXT);
    expect(text).not.toContain('Y3JlZC0x');
  });
});

describe('setup', () => {
  it('needs an endpoint or an exporter', () => {
    expect(() => createBrowserTelemetry({ serviceName: 'x', window: harness().host })).toThrow(/endpoint/);
  });

  it('builds the OTLP exporter from an endpoint and removes its listeners on shutdown', async () => {
    const host = harness().host;
    const add = vi.spyOn(host, 'addEventListener');
    const remove = vi.spyOn(host, 'removeEventListener');
    const telemetry = createBrowserTelemetry({ serviceName: 'x', endpoint: 'http://127.0.0.1:9/', token: 't', window: host });
    expect(add).toHaveBeenCalledWith('pagehide', expect.any(Function));
    await telemetry.shutdown();
    expect(remove).toHaveBeenCalledWith('pagehide', add.mock.calls[0]?.[1]);
  });

  it('describeBrowser: false leaves the user agent out', async () => {
    const h = harness({ describeBrowser: false });
    h.telemetry.trackUpsell('shown');
    const record = only(await flushed(h));
    expect(record.attributes).not.toHaveProperty('user_agent.original');
    expect(record.attributes).not.toHaveProperty('browser.brands');
  });
});
