import { afterEach, describe, expect, it, vi } from 'vitest';
import { startAuthentication, startRegistration, WebAuthnError } from '@simplewebauthn/browser';
import { SimpleWebAuthnError, verifyAuthenticationResponse, verifyRegistrationResponse } from '@simplewebauthn/server';
import { isoBase64URL, isoCBOR } from '@simplewebauthn/server/helpers';
import {
  AttestationPolicyError,
  ChallengeExpiredError,
  ChallengeReusedError,
  classifyClientError,
  classifyServerError,
  CredentialUserMismatchError,
  isCancelReason,
  simpleWebAuthnAbortKind,
  UnknownCredentialError,
} from '@passkey-rollout/telemetry';
import { createSoftAuthenticator } from '@passkey-rollout/telemetry/testing';
import { CLIENT_FAILURE_REASONS, SERVER_FAILURE_REASONS } from '@passkey-rollout/telemetry/vocabulary';

const create = { ceremonyType: 'registration', abortedByUs: false } as const;
const get = { ceremonyType: 'authentication', abortedByUs: false } as const;

describe('classifyClientError: DOMException names (DESIGN.md section 3)', () => {
  it.each([
    ['NotAllowedError', create, 'user_cancelled_or_timed_out'],
    ['NotAllowedError', get, 'user_cancelled_or_timed_out'],
    ['InvalidStateError', create, 'credential_excluded'],
    ['InvalidStateError', get, 'other'],
    ['SecurityError', create, 'rp_id_invalid'],
    ['SecurityError', get, 'rp_id_invalid'],
    ['AbortError', { ceremonyType: 'authentication', abortedByUs: true }, 'aborted_by_rp'],
    ['AbortError', { ceremonyType: 'registration', abortedByUs: true }, 'aborted_by_rp'],
    ['AbortError', get, 'aborted_by_browser'],
    ['AbortError', create, 'aborted_by_browser'],
    ['NotSupportedError', create, 'algorithm_unsupported'],
    ['ConstraintError', create, 'constraint_unsatisfied'],
    ['UnknownError', get, 'unknown_authenticator_error'],
    ['DataError', get, 'other'],
    ['NetworkError', create, 'other'],
  ] as const)('%s (%o) → %s', (name, ctx, reason) => {
    expect(classifyClientError(new DOMException('message from the browser', name), ctx)).toEqual({ errorType: name, reason });
  });

  it('TypeError (bad options) → invalid_options', () => {
    expect(classifyClientError(new TypeError("Failed to execute 'create' on 'CredentialsContainer'"), create)).toEqual({
      errorType: 'TypeError',
      reason: 'invalid_options',
    });
  });

  it('anything else → other, with a usable error.type', () => {
    expect(classifyClientError(new Error('boom'), get)).toEqual({ errorType: 'Error', reason: 'other' });
    expect(classifyClientError('a string', get)).toEqual({ errorType: 'unknown', reason: 'other' });
    expect(classifyClientError(undefined, get)).toEqual({ errorType: 'unknown', reason: 'other' });
    expect(classifyClientError(null, create)).toEqual({ errorType: 'unknown', reason: 'other' });
  });

  it('always returns a reason of the closed enum', () => {
    for (const name of ['NotAllowedError', 'AbortError', 'Whatever', 'TypeError']) {
      expect(CLIENT_FAILURE_REASONS).toContain(classifyClientError(new DOMException('', name), get).reason);
    }
  });
});

describe('classifyClientError: @simplewebauthn/browser WebAuthnError', () => {
  const wrap = (code: string, cause: Error) => new WebAuthnError({ message: 'wrapped', code: code as never, cause });

  it('uses the wrapped DOMException (cause) for error.type', () => {
    const error = wrap(
      'ERROR_PASSTHROUGH_SEE_CAUSE_PROPERTY',
      new DOMException('The operation either timed out or was not allowed.', 'NotAllowedError'),
    );
    expect(classifyClientError(error, get)).toEqual({ errorType: 'NotAllowedError', reason: 'user_cancelled_or_timed_out' });
  });

  it.each([
    ['ERROR_INVALID_DOMAIN', 'SecurityError', 'rp_id_invalid'],
    ['ERROR_INVALID_RP_ID', 'SecurityError', 'rp_id_invalid'],
    ['ERROR_INVALID_USER_ID_LENGTH', 'TypeError', 'invalid_options'],
    ['ERROR_MALFORMED_PUBKEYCREDPARAMS', 'NotSupportedError', 'invalid_options'],
    ['ERROR_AUTHENTICATOR_NO_SUPPORTED_PUBKEYCREDPARAMS_ALG', 'NotSupportedError', 'algorithm_unsupported'],
    ['ERROR_AUTHENTICATOR_MISSING_DISCOVERABLE_CREDENTIAL_SUPPORT', 'ConstraintError', 'constraint_unsatisfied'],
    ['ERROR_AUTHENTICATOR_MISSING_USER_VERIFICATION_SUPPORT', 'ConstraintError', 'constraint_unsatisfied'],
    ['ERROR_AUTO_REGISTER_USER_VERIFICATION_FAILURE', 'ConstraintError', 'constraint_unsatisfied'],
    ['ERROR_AUTHENTICATOR_PREVIOUSLY_REGISTERED', 'InvalidStateError', 'credential_excluded'],
    ['ERROR_AUTHENTICATOR_GENERAL_ERROR', 'UnknownError', 'unknown_authenticator_error'],
  ])('%s (%s) → %s', (code, name, reason) => {
    expect(classifyClientError(wrap(code, new DOMException('x', name)), create)).toEqual({ errorType: name, reason });
  });

  it('ERROR_CEREMONY_ABORTED with a browser AbortError is the browser’s unless our signal fired', () => {
    const error = wrap('ERROR_CEREMONY_ABORTED', new DOMException('aborted', 'AbortError'));
    expect(classifyClientError(error, get).reason).toBe('aborted_by_browser');
    expect(classifyClientError(error, { ...get, abortedByUs: true }).reason).toBe('aborted_by_rp');
  });

  it("the library's own abort service (relying-party code) counts as aborted_by_rp", () => {
    const superseded = Object.assign(new Error('Cancelling existing WebAuthn API call for new one'), { name: 'AbortError' });
    const cancelled = Object.assign(new Error('Manually cancelling existing WebAuthn API call'), { name: 'AbortError' });
    expect(simpleWebAuthnAbortKind(wrap('ERROR_CEREMONY_ABORTED', superseded))).toBe('superseded');
    expect(simpleWebAuthnAbortKind(wrap('ERROR_CEREMONY_ABORTED', cancelled))).toBe('cancelled');
    expect(simpleWebAuthnAbortKind(new DOMException('signal is aborted without reason', 'AbortError'))).toBeNull();
    expect(classifyClientError(wrap('ERROR_CEREMONY_ABORTED', cancelled), get)).toEqual({
      errorType: 'AbortError',
      reason: 'aborted_by_rp',
    });
  });
});

describe('classifyClientError on errors thrown by the real @simplewebauthn/browser', () => {
  afterEach(() => {
    vi.unstubAllGlobals();
  });

  function stubBrowser(rejectWith: (options: CredentialCreationOptions | CredentialRequestOptions) => unknown) {
    const reject = (options: CredentialCreationOptions | CredentialRequestOptions) => Promise.reject(rejectWith(options));
    vi.stubGlobal('PublicKeyCredential', function PublicKeyCredential() {});
    vi.stubGlobal('navigator', { credentials: { create: vi.fn(reject), get: vi.fn(reject) } });
    vi.stubGlobal('location', { hostname: 'example.com' });
  }

  const registrationOptions = {
    challenge: 'Y2hhbGxlbmdlLWZvci10ZXN0',
    rp: { name: 'Example', id: 'example.com' },
    user: { id: 'dXNlci0x', name: 'user-1', displayName: 'User 1' },
    pubKeyCredParams: [{ type: 'public-key' as const, alg: -7 }],
    authenticatorSelection: { userVerification: 'required' as const, requireResidentKey: true },
  };
  const authenticationOptions = { challenge: 'Y2hhbGxlbmdlLWZvci10ZXN0', rpId: 'example.com' };

  async function registrationError(error: unknown) {
    stubBrowser(() => error);
    return startRegistration({ optionsJSON: registrationOptions }).then(
      () => expect.fail('should reject'),
      (thrown: unknown) => thrown,
    );
  }
  async function authenticationError(error: unknown) {
    stubBrowser(() => error);
    return startAuthentication({ optionsJSON: authenticationOptions }).then(
      () => expect.fail('should reject'),
      (thrown: unknown) => thrown,
    );
  }

  it.each([
    ['NotAllowedError', 'user_cancelled_or_timed_out'],
    ['InvalidStateError', 'credential_excluded'],
    ['ConstraintError', 'constraint_unsatisfied'],
    ['NotSupportedError', 'algorithm_unsupported'],
    ['UnknownError', 'unknown_authenticator_error'],
    ['SecurityError', 'rp_id_invalid'], // rp.id === hostname: the library passes the DOMException through
  ])('startRegistration rejecting with %s', async (name, reason) => {
    const thrown = await registrationError(new DOMException('from the browser', name));
    expect(classifyClientError(thrown, create)).toEqual({ errorType: name, reason });
  });

  it('startRegistration: SecurityError on a mismatched RP ID → rp_id_invalid (ERROR_INVALID_RP_ID)', async () => {
    stubBrowser(() => new DOMException('The relying party ID is not a registrable domain suffix', 'SecurityError'));
    vi.stubGlobal('location', { hostname: 'other.example' });
    const thrown = await startRegistration({ optionsJSON: registrationOptions }).catch((e: unknown) => e);
    expect((thrown as WebAuthnError).code).toBe('ERROR_INVALID_RP_ID');
    expect(classifyClientError(thrown, create)).toEqual({ errorType: 'SecurityError', reason: 'rp_id_invalid' });
  });

  it('startRegistration: AbortError through its signal is the browser’s unless we aborted', async () => {
    const thrown = await registrationError(new DOMException('The operation was aborted.', 'AbortError'));
    expect((thrown as WebAuthnError).code).toBe('ERROR_CEREMONY_ABORTED');
    expect(classifyClientError(thrown, create).reason).toBe('aborted_by_browser');
    expect(classifyClientError(thrown, { ...create, abortedByUs: true }).reason).toBe('aborted_by_rp');
  });

  it.each([
    ['NotAllowedError', 'user_cancelled_or_timed_out'],
    ['InvalidStateError', 'other'],
    ['UnknownError', 'unknown_authenticator_error'],
    ['TypeError', 'invalid_options'],
  ])('startAuthentication rejecting with %s', async (name, reason) => {
    const error = name === 'TypeError' ? new TypeError('bad options') : new DOMException('from the browser', name);
    expect(classifyClientError(await authenticationError(error), get)).toEqual({ errorType: name, reason });
  });

  it('startAuthentication superseded by a newer startAuthentication (WebAuthnAbortService)', async () => {
    vi.stubGlobal('PublicKeyCredential', function PublicKeyCredential() {});
    vi.stubGlobal('location', { hostname: 'example.com' });
    const pending = (options: CredentialRequestOptions) =>
      new Promise((_, reject) => options.signal?.addEventListener('abort', () => reject(options.signal?.reason)));
    vi.stubGlobal('navigator', { credentials: { get: vi.fn(pending) } });
    const first = startAuthentication({ optionsJSON: authenticationOptions }).catch((e: unknown) => e);
    void startAuthentication({ optionsJSON: authenticationOptions }).catch(() => undefined);
    const thrown = await first;
    expect(simpleWebAuthnAbortKind(thrown)).toBe('superseded');
    expect(classifyClientError(thrown, get)).toEqual({ errorType: 'AbortError', reason: 'aborted_by_rp' });
  });
});

describe('isCancelReason: a cancel is not a failure', () => {
  it.each(['user_cancelled_or_timed_out', 'aborted_by_browser', 'aborted_by_rp', 'abandoned', 'superseded', 'no_response'])(
    '%s is a cancel',
    (reason) => expect(isCancelReason(reason)).toBe(true),
  );
  it.each([
    'credential_excluded',
    'rp_id_invalid',
    'algorithm_unsupported',
    'constraint_unsatisfied',
    'unknown_authenticator_error',
    'invalid_options',
    'other',
    'success',
    'error',
    '',
    undefined,
    null,
  ])('%s is not', (reason) => expect(isCancelReason(reason)).toBe(false));
});

// ------------------------------------------------------------------------------------------------

const RP_ID = 'example.com';
const ORIGIN = 'https://example.com';
const CHALLENGE = 'c2VydmVyLWNoYWxsZW5nZS0xMjM0NTY3ODkw';

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => expect.fail('expected the verification to throw'),
    (error: unknown) => error,
  );
}

describe('classifyServerError on errors thrown by the real @simplewebauthn/server v14', () => {
  it('registration: challenge, origin, RP ID, UP, UV, algorithm, type, encoding', async () => {
    const authenticator = await createSoftAuthenticator({ rpId: RP_ID, origin: ORIGIN });
    const verify = async (
      overrides: Parameters<typeof authenticator.register>[1],
      extra: Partial<Parameters<typeof verifyRegistrationResponse>[0]> = {},
    ) => {
      const { response } = await authenticator.register(CHALLENGE, overrides);
      return classifyServerError(
        await rejection(
          verifyRegistrationResponse({ response, expectedChallenge: CHALLENGE, expectedOrigin: ORIGIN, expectedRPID: RP_ID, ...extra }),
        ),
        'registration',
      );
    };
    expect(await verify({}, { expectedChallenge: 'b3RoZXItY2hhbGxlbmdl' })).toBe('challenge_mismatch');
    expect(await verify({}, { expectedChallenge: () => false })).toBe('challenge_mismatch');
    expect(await verify({ origin: 'https://evil.example' })).toBe('origin_mismatch');
    expect(await verify({}, { expectedOrigin: ['https://a.example', 'https://b.example'] })).toBe('origin_mismatch');
    expect(await verify({ rpId: 'evil.example' })).toBe('rp_id_mismatch');
    expect(await verify({ userPresent: false })).toBe('user_not_present');
    expect(await verify({ userVerified: false })).toBe('user_not_verified');
    expect(await verify({}, { supportedAlgorithmIDs: [-257] })).toBe('malformed_response');
    expect(await verify({ type: 'webauthn.get' })).toBe('malformed_response');
  });

  it('registration: malformed responses', async () => {
    const authenticator = await createSoftAuthenticator({ rpId: RP_ID, origin: ORIGIN });
    const { response } = await authenticator.register(CHALLENGE);
    const verify = async (mutated: unknown) =>
      classifyServerError(
        await rejection(
          verifyRegistrationResponse({
            response: mutated as typeof response,
            expectedChallenge: CHALLENGE,
            expectedOrigin: ORIGIN,
            expectedRPID: RP_ID,
          }),
        ),
        'registration',
      );
    expect(await verify({ ...response, id: '' })).toBe('malformed_response'); // Missing credential ID
    expect(await verify({ ...response, rawId: 'AAAA' })).toBe('malformed_response'); // not base64url-encoded
    expect(await verify({ ...response, type: 'password' })).toBe('malformed_response');
    expect(await verify({ ...response, response: { ...response.response, clientDataJSON: 'bm90IGpzb24' } })).toBe('malformed_response'); // SyntaxError
    expect(await verify({ ...response, response: { ...response.response, attestationObject: 'oA' } })).toBe('malformed_response'); // CBOR
    expect(await verify({ ...response, response: undefined })).toBe('malformed_response'); // TypeError
  });

  it('registration: untrustworthy attestation statements', async () => {
    const authenticator = await createSoftAuthenticator({ rpId: RP_ID, origin: ORIGIN });
    const { response } = await authenticator.register(CHALLENGE);
    const decoded = isoCBOR.decodeFirst<Map<string, unknown>>(isoBase64URL.toBuffer(response.response.attestationObject));
    const withStatement = (fmt: string, attStmt: Map<string, unknown>) => {
      const copy = new Map(decoded);
      copy.set('fmt', fmt);
      copy.set('attStmt', attStmt);
      return { ...response, response: { ...response.response, attestationObject: isoBase64URL.fromBuffer(isoCBOR.encode(copy as never)) } };
    };
    const verify = async (mutated: typeof response) =>
      classifyServerError(
        await rejection(
          verifyRegistrationResponse({ response: mutated, expectedChallenge: CHALLENGE, expectedOrigin: ORIGIN, expectedRPID: RP_ID }),
        ),
        'registration',
      );
    expect(await verify(withStatement('none', new Map([['sig', new Uint8Array(4)]])))).toBe('attestation_untrusted');
    expect(await verify(withStatement('packed', new Map([['alg', -7]])))).toBe('attestation_untrusted'); // No attestation signature (Packed)
    expect(await verify(withStatement('fido-u2f', new Map()))).toBe('attestation_untrusted');
    expect(await verify(withStatement('tpm', new Map()))).toBe('attestation_untrusted');
    expect(await verify(withStatement('android-key', new Map()))).toBe('attestation_untrusted');
    expect(await verify(withStatement('apple', new Map()))).toBe('attestation_untrusted');
    expect(await verify(withStatement('bogus', new Map()))).toBe('attestation_untrusted'); // Unsupported Attestation Format
  });

  it('authentication: challenge, origin, RP ID, UP, UV, counter, encodings', async () => {
    const authenticator = await createSoftAuthenticator({ rpId: RP_ID, origin: ORIGIN, signCount: 'increment' });
    const { credential } = await authenticator.register(CHALLENGE);
    const verify = async (
      overrides: Parameters<typeof authenticator.authenticate>[1],
      extra: Partial<Parameters<typeof verifyAuthenticationResponse>[0]> = {},
    ) => {
      const response = await authenticator.authenticate(CHALLENGE, overrides);
      return classifyServerError(
        await rejection(
          verifyAuthenticationResponse({
            response,
            expectedChallenge: CHALLENGE,
            expectedOrigin: ORIGIN,
            expectedRPID: RP_ID,
            credential,
            ...extra,
          }),
        ),
        'authentication',
      );
    };
    expect(await verify({}, { expectedChallenge: 'b3RoZXItY2hhbGxlbmdl' })).toBe('challenge_mismatch');
    expect(await verify({ origin: 'https://evil.example' })).toBe('origin_mismatch');
    expect(await verify({ rpId: 'evil.example' })).toBe('rp_id_mismatch');
    expect(await verify({ userPresent: false })).toBe('user_not_present');
    expect(await verify({ userVerified: false })).toBe('user_not_verified');
    expect(await verify({ userVerified: false }, { advancedFIDOConfig: { userVerification: 'required' } })).toBe('user_not_verified');
    expect(await verify({ counter: 3 }, { credential: { ...credential, counter: 7 } })).toBe('counter_regression');
    expect(await verify({ counter: 7 }, { credential: { ...credential, counter: 7 } })).toBe('counter_regression');
    expect(await verify({ type: 'webauthn.create' })).toBe('malformed_response');

    const response = await authenticator.authenticate(CHALLENGE);
    const malformed = async (mutated: unknown) =>
      classifyServerError(
        await rejection(
          verifyAuthenticationResponse({
            response: mutated as typeof response,
            expectedChallenge: CHALLENGE,
            expectedOrigin: ORIGIN,
            expectedRPID: RP_ID,
            credential,
          }),
        ),
        'authentication',
      );
    expect(await malformed({ ...response, response: { ...response.response, authenticatorData: 'not base64url!' } })).toBe(
      'malformed_response',
    );
    expect(await malformed({ ...response, response: { ...response.response, signature: '***' } })).toBe('malformed_response');
    expect(await malformed({ ...response, response: { ...response.response, authenticatorData: 'AAAA' } })).toBe('malformed_response'); // < 37 bytes
    expect(await malformed({ ...response, response: { ...response.response, clientDataJSON: 42 } })).toBe('malformed_response');
  });

  it('authentication: a device-bound credential claiming to be backed up is malformed (InvalidBackupFlags)', async () => {
    const authenticator = await createSoftAuthenticator({ rpId: RP_ID, origin: ORIGIN, backupEligible: false });
    const { credential } = await authenticator.register(CHALLENGE);
    const response = await authenticator.authenticate(CHALLENGE, { backedUp: true });
    const error = await rejection(
      verifyAuthenticationResponse({ response, expectedChallenge: CHALLENGE, expectedOrigin: ORIGIN, expectedRPID: RP_ID, credential }),
    );
    expect(classifyServerError(error, 'authentication')).toBe('malformed_response');
  });
});

describe('classifyServerError: message table (strings copied from @simplewebauthn/server v14 source)', () => {
  it.each([
    ['Unexpected registration response challenge "abc", expected "def"', 'challenge_mismatch'],
    ['Unexpected authentication response challenge "abc", expected "def"', 'challenge_mismatch'],
    ['Custom challenge verifier returned false for registration response challenge "abc"', 'challenge_mismatch'],
    ['Unexpected registration response origin "https://x", expected "https://y"', 'origin_mismatch'],
    ['Unexpected authentication response origin "https://x", expected one of: https://y, https://z', 'origin_mismatch'],
    [
      'Detected cross-origin authentication response from top origin of "https://t", but a value for `expectedTopOrigin` was not specified',
      'origin_mismatch',
    ],
    ['Unexpected cross-origin authentication response top origin of "https://t", expected: https://u', 'origin_mismatch'],
    [
      'Unexpected top origin of "https://t" within a non-cross-origin authentication response. This error should be reported',
      'origin_mismatch',
    ],
    ['Unexpected RP ID hash', 'rp_id_mismatch'],
    ['User not present during authentication', 'user_not_present'],
    ['User presence was required, but user was not present', 'user_not_present'],
    ['User verification required, but user could not be verified', 'user_not_verified'],
    ['User verification was required, but user could not be verified', 'user_not_verified'],
    ['Response counter value 3 was lower than expected 7', 'counter_regression'],
    ['Invalid signature component length 33, expected 32', 'bad_signature'],
    ['Signature verification with public key of kty 9 is not supported by this method', 'bad_signature'],
    ['Certificate CN was empty (Packed|Full)', 'attestation_untrusted'],
    ['No attestation signature provided in attestation statement (Packed)', 'attestation_untrusted'],
    ['Could not verify device integrity (SafetyNet)', 'attestation_untrusted'],
    ['credCert nonce was not expected value (Apple)', 'attestation_untrusted'],
    ['x5c root certificate was not a known root certificate (Android Key)', 'attestation_untrusted'],
    ['PubArea unique is not same as credentialPublicKey (TPM|RSA)', 'attestation_untrusted'],
    ['No attestation certificate provided in attestation statement (FIDOU2F)', 'attestation_untrusted'],
    ['None attestation had unexpected attestation statement', 'attestation_untrusted'],
    ['Unsupported Attestation Format: weird', 'attestation_untrusted'],
    ['Found revoked certificate in certificate path', 'attestation_untrusted'],
    ['No metadata statement found for aaguid "00000000-0000-0000-0000-000000000000"', 'attestation_untrusted'],
    ['Detected compromised aaguid "x"', 'attestation_untrusted'],
    ['Missing credential ID', 'malformed_response'],
    ['Credential ID was not base64url-encoded', 'malformed_response'],
    ['Unexpected credential type password, expected "public-key"', 'malformed_response'],
    ['Credential response clientDataJSON was not a string', 'malformed_response'],
    ['Credential response authenticatorData was not a base64url string', 'malformed_response'],
    ['Credential response signature was not a base64url string', 'malformed_response'],
    ['Credential response userHandle was not a string', 'malformed_response'],
    ['Unexpected authentication response type: webauthn.create', 'malformed_response'],
    ['Unexpected tokenBinding.status value of "x"', 'malformed_response'],
    ['Authenticator data was 3 bytes, expected at least 37 bytes', 'malformed_response'],
    ['Leftover bytes detected while parsing authenticator data', 'malformed_response'],
    ['No credential ID was provided by authenticator', 'malformed_response'],
    ['No public key was provided by authenticator', 'malformed_response'],
    ['No AAGUID was present during registration', 'malformed_response'],
    ['Credential public key was missing numeric alg', 'malformed_response'],
    ['Unexpected public key alg "-8", expected one of "-7, -257"', 'malformed_response'],
    ['Error decoding authenticator extensions: bad', 'malformed_response'],
    ['Unsupported or not well formed at 3', 'malformed_response'],
    ['Something nobody anticipated', 'internal_error'],
  ])('%s → %s', (message, reason) => {
    expect(classifyServerError(new Error(message), 'registration')).toBe(reason);
  });

  it('the library’s error classes and codes', () => {
    const rpHash = Object.assign(new Error('Unexpected RP ID hash'), { name: 'UnexpectedRPIDHash' });
    expect(classifyServerError(rpHash, 'authentication')).toBe('rp_id_mismatch');
    expect(
      classifyServerError(
        new SimpleWebAuthnError({
          message: 'x5c could not be chained to any specified trust anchor',
          code: 'CERTIFICATE_PATH_VERIFICATION_FAILED',
        }),
        'registration',
      ),
    ).toBe('attestation_untrusted');
    expect(classifyServerError(new SimpleWebAuthnError({ message: 'no PQC', code: 'RUNTIME_NO_PQC_SUPPORT' }), 'registration')).toBe(
      'internal_error',
    );
    expect(classifyServerError(new SyntaxError('Unexpected token'), 'registration')).toBe('malformed_response');
    expect(classifyServerError(new RangeError('Offset is outside the bounds of the DataView'), 'authentication')).toBe(
      'malformed_response',
    );
  });

  it('non-errors are internal_error; every result is in the closed enum', () => {
    expect(classifyServerError('string', 'registration')).toBe('internal_error');
    expect(classifyServerError(undefined, 'authentication')).toBe('internal_error');
    expect(SERVER_FAILURE_REASONS).toContain(classifyServerError(new Error('?'), 'authentication'));
  });
});

describe('classifyServerError: relying-party error classes', () => {
  it.each([
    [new ChallengeExpiredError(), 'challenge_expired'],
    [new ChallengeReusedError(), 'challenge_reused'],
    [new UnknownCredentialError(), 'unknown_credential'],
    [new CredentialUserMismatchError(), 'credential_user_mismatch'],
    [new AttestationPolicyError('AAGUID not on the allow-list'), 'attestation_policy_violation'],
  ] as const)('%s → %s', (error, reason) => {
    expect(classifyServerError(error, 'authentication')).toBe(reason);
    expect(error).toBeInstanceOf(Error);
  });

  it('matches by name too (an error class from another bundle copy)', () => {
    for (const [name, reason] of [
      ['ChallengeExpiredError', 'challenge_expired'],
      ['ChallengeReusedError', 'challenge_reused'],
      ['UnknownCredentialError', 'unknown_credential'],
      ['CredentialUserMismatchError', 'credential_user_mismatch'],
      ['AttestationPolicyError', 'attestation_policy_violation'],
    ] as const) {
      expect(classifyServerError(Object.assign(new Error('x'), { name }), 'registration')).toBe(reason);
    }
  });
});
