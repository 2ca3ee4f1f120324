/**
 * Passkey registration (account settings, post-sign-in upsell, after recovery), passkey sign-in
 * (modal and autofill) and deletion. Every verification goes through the SDK's wrappers, so each
 * emits one `passkey.registration` / `passkey.authentication` with the ceremony id the page sent.
 */
import {
  generateAuthenticationOptions,
  generateRegistrationOptions,
  type AuthenticationResponseJSON,
  type RegistrationResponseJSON,
} from '@simplewebauthn/server';
import { isoBase64URL } from '@simplewebauthn/server/helpers';
import {
  classifyServerError,
  CredentialUserMismatchError,
  UnknownCredentialError,
  type ServerFailureReason,
} from '@passkey-rollout/telemetry/server';
import { eventContext, requireSession, startSession, type RelyingPartyContext } from '../context';
import { assertSameOrigin, HttpError, readJson, sendJson, type Router } from '../http';
import {
  zAuthenticationOptionsBody,
  zAuthenticationVerifyBody,
  zRegistrationOptionsBody,
  zRegistrationVerifyBody,
  type PasskeyFailureBody,
} from '../schemas';

/** ES256, EdDSA, RS256: what platform authenticators and security keys implement. */
const SUPPORTED_ALGORITHMS = [-7, -8, -257];
const CEREMONY_TIMEOUT_MS = 120_000;

/** What the page shows for a failed verification (the reason itself goes to telemetry). */
export function failureMessage(reason: ServerFailureReason): string {
  switch (reason) {
    case 'unknown_credential':
      return 'This passkey is no longer registered with your account. Remove it from your device and sign in another way.';
    case 'user_not_verified':
      return 'Your authenticator did not verify you (PIN or biometrics). Use a passkey that verifies you, or sign in another way.';
    case 'challenge_expired':
      return 'The sign-in request expired. Please try again.';
    case 'challenge_reused':
    case 'challenge_mismatch':
      return 'The request was already used or is unknown. Please try again.';
    case 'credential_user_mismatch':
      return 'This passkey belongs to another account.';
    default:
      return 'The passkey could not be verified. Please try again or sign in another way.';
  }
}

class PasskeyRejected extends HttpError {
  constructor(reason: ServerFailureReason) {
    super(400, failureMessage(reason), { reason } satisfies Omit<PasskeyFailureBody, 'error'>);
  }
}

export function passkeyRoutes(router: Router, rp: RelyingPartyContext): void {
  // --- registration ------------------------------------------------------------------------

  router.on('POST', '/api/passkeys/options', async (req, res) => {
    assertSameOrigin(req, rp.origin());
    const { account } = requireSession(rp, req);
    await readJson(req, zRegistrationOptionsBody);
    const challenge = rp.challenges.issue('registration', account.id);
    const optionsJSON = await generateRegistrationOptions({
      rpName: rp.config.rpName,
      rpID: rp.config.rpId,
      userName: account.username,
      userDisplayName: account.username,
      userID: isoBase64URL.toBuffer(account.userHandle),
      challenge: challenge.bytes,
      timeout: CEREMONY_TIMEOUT_MS,
      attestationType: 'none',
      // Every passkey of the account: the authenticator refuses to make a second one (InvalidStateError).
      excludeCredentials: rp.store.passkeysOf(account.id).map((p) => ({ id: p.id, transports: p.transports })),
      // `preferred`, not `required`: security keys without resident-key support can still register.
      authenticatorSelection: { residentKey: 'preferred', userVerification: 'preferred' },
      supportedAlgorithmIDs: SUPPORTED_ALGORITHMS,
    });
    sendJson(res, 200, { optionsJSON });
  });

  router.on('POST', '/api/passkeys/verify', async (req, res) => {
    assertSameOrigin(req, rp.origin());
    const { account, session } = requireSession(rp, req);
    const body = await readJson(req, zRegistrationVerifyBody);
    const response = body.response as RegistrationResponseJSON;
    const ctx = eventContext(req, {
      userId: account.id,
      sessionId: session.telemetrySessionId,
      flowId: body.flowId,
      ceremonyId: body.ceremonyId,
      surface: body.surface,
    });
    let verification;
    try {
      verification = await rp.telemetry.verifyRegistration(
        {
          response,
          expectedChallenge: (challenge) => rp.challenges.consume(challenge, 'registration', account.id),
          expectedOrigin: rp.origin(),
          expectedRPID: rp.config.rpId,
          // The RP's policy: a passkey replaces a password, so the authenticator must verify the user.
          requireUserVerification: true,
        },
        ctx,
      );
    } catch (error) {
      throw new PasskeyRejected(classifyServerError(error, 'registration'));
    }
    if (!verification.verified) throw new PasskeyRejected('bad_signature');

    const info = verification.registrationInfo;
    rp.store.addPasskey({
      id: info.credential.id,
      userId: account.id,
      publicKey: info.credential.publicKey,
      counter: info.credential.counter,
      transports: info.credential.transports,
      deviceType: info.credentialDeviceType,
      backedUp: info.credentialBackedUp,
      aaguid: info.aaguid,
      attachment: response.authenticatorAttachment,
      createdAt: Date.now(),
    });
    sendJson(res, 201, { credentialId: info.credential.id, kind: info.credentialDeviceType === 'multiDevice' ? 'synced' : 'device_bound' });
  });

  router.on('DELETE', '/api/passkeys/:id', (req, res, params) => {
    assertSameOrigin(req, rp.origin());
    const { account, session } = requireSession(rp, req);
    const passkey = rp.store.passkey(params.id ?? '');
    if (!passkey || passkey.userId !== account.id) throw new HttpError(404, 'No such passkey on this account');
    rp.store.deletePasskey(passkey.id);
    rp.telemetry.credentialLifecycle(
      { action: 'deleted_by_user', credentialId: passkey.id, flags: { be: passkey.deviceType === 'multiDevice', bs: passkey.backedUp } },
      {
        ...eventContext(req, { userId: account.id, sessionId: session.telemetrySessionId, surface: 'account_settings' }),
        userId: account.id,
      },
    );
    sendJson(res, 200, { deleted: passkey.id });
  });

  // --- sign-in -----------------------------------------------------------------------------

  router.on('POST', '/api/signin/passkey/options', async (req, res) => {
    assertSameOrigin(req, rp.origin());
    await readJson(req, zAuthenticationOptionsBody);
    const challenge = rp.challenges.issue('authentication');
    // No allowCredentials: discoverable credentials, so the user picks an account without typing it.
    const optionsJSON = await generateAuthenticationOptions({
      rpID: rp.config.rpId,
      challenge: challenge.bytes,
      timeout: CEREMONY_TIMEOUT_MS,
      userVerification: 'preferred',
    });
    sendJson(res, 200, { optionsJSON });
  });

  router.on('POST', '/api/signin/passkey/verify', async (req, res) => {
    assertSameOrigin(req, rp.origin());
    const body = await readJson(req, zAuthenticationVerifyBody);
    const response = body.response as AuthenticationResponseJSON;
    const facts = { flowId: body.flowId, ceremonyId: body.ceremonyId, surface: body.surface };
    const passkey = rp.store.passkey(response.id);

    if (!passkey) {
      // Deleted here but still on the user's device. The user handle tells which account it
      // claims: attributed to that account so support can see it, but never signed in.
      const claimed = rp.store.accountByUserHandle(response.response.userHandle);
      const reason = rp.telemetry.reportAuthenticationFailure(new UnknownCredentialError(), {
        ...eventContext(req, { ...facts, userId: claimed?.id }),
        response,
        rpId: rp.config.rpId,
      });
      throw new PasskeyRejected(reason);
    }

    const account = rp.store.account(passkey.userId);
    if (!account) throw new PasskeyRejected('unknown_credential');
    let verification;
    try {
      verification = await rp.telemetry.verifyAuthentication(
        {
          response,
          expectedChallenge: (challenge) => rp.challenges.consume(challenge, 'authentication'),
          expectedOrigin: rp.origin(),
          expectedRPID: rp.config.rpId,
          credential: { id: passkey.id, publicKey: passkey.publicKey, counter: passkey.counter, transports: passkey.transports },
          requireUserVerification: true,
        },
        {
          ...eventContext(req, { ...facts, userId: account.id }),
          aaguid: passkey.aaguid,
          previousBackupState: passkey.backedUp,
          policy: () => {
            const handle = response.response.userHandle;
            if (handle && handle !== account.userHandle) throw new CredentialUserMismatchError();
          },
        },
      );
    } catch (error) {
      throw new PasskeyRejected(classifyServerError(error, 'authentication'));
    }
    if (!verification.verified) throw new PasskeyRejected('bad_signature');

    const info = verification.authenticationInfo;
    passkey.counter = info.newCounter;
    passkey.lastUsedAt = Date.now();
    if (info.credentialBackedUp !== passkey.backedUp) {
      passkey.backedUp = info.credentialBackedUp;
      rp.telemetry.credentialLifecycle(
        {
          action: 'backup_state_changed',
          credentialId: passkey.id,
          flags: { be: info.credentialDeviceType === 'multiDevice', bs: info.credentialBackedUp },
        },
        { ...eventContext(req, { ...facts, userId: account.id }), userId: account.id },
      );
    }
    const session = startSession(rp, req, res, account);
    rp.telemetry.signIn(
      { method: 'passkey', result: 'success' },
      eventContext(req, { ...facts, userId: account.id, sessionId: session.telemetrySessionId }),
    );
    sendJson(res, 200, { userId: account.id, next: '/account' });
  });
}
