/**
 * The dashboard's own passkey ceremonies (@simplewebauthn/server): joining with an invitation code
 * (registration: a new member, or a new passkey for the member a recovery code was made for) and
 * signing in (discoverable credentials: nobody types a name). Every challenge is single-use, bound
 * to its purpose (and invitation), and lives five minutes. User verification is required: the
 * dashboard decides when passwords go away, so its own sign-in is a verified passkey.
 */
import 'server-only';
import {
  generateAuthenticationOptions,
  generateRegistrationOptions,
  verifyAuthenticationResponse,
  verifyRegistrationResponse,
  type AuthenticationResponseJSON,
  type PublicKeyCredentialCreationOptionsJSON,
  type PublicKeyCredentialRequestOptionsJSON,
  type RegistrationResponseJSON,
} from '@simplewebauthn/server';
import { isoBase64URL } from '@simplewebauthn/server/helpers';
import { randomBytes } from 'node:crypto';
import { ApiError } from '../api/errors';
import { consumeChallenge, issueChallenge } from './challenges';
import type { SignIn } from './sign-in';
import { isInvitationError, type Member, type SessionRow } from './store';

const CHALLENGE_TTL_MS = 5 * 60_000;
const SUPPORTED_ALGORITHMS = [-7, -8, -257];

function rejected(message: string): ApiError {
  return new ApiError(400, 'passkey_rejected', message);
}

function invitationRefused(error: unknown): never {
  if (isInvitationError(error)) throw new ApiError(400, `invitation_${error.problem}`, error.message);
  throw error;
}

export async function joinOptions(auth: SignIn, code: string, name: string): Promise<PublicKeyCredentialCreationOptionsJSON> {
  let invitation;
  try {
    invitation = auth.store.usableInvitation(code);
  } catch (error) {
    invitationRefused(error);
  }
  const existing = invitation.memberId ? auth.store.member(invitation.memberId) : undefined;
  const userHandle = existing?.userHandle ?? randomBytes(32).toString('base64url');
  const challenge = issueChallenge(auth.store, 'join', { invitationId: invitation.id, userHandle });
  const userName = existing?.name ?? name;
  return generateRegistrationOptions({
    rpName: 'Passkey rollout analytics',
    rpID: auth.config.rpId,
    userName,
    userDisplayName: userName,
    userID: isoBase64URL.toBuffer(userHandle),
    challenge: challenge.bytes,
    timeout: CHALLENGE_TTL_MS,
    attestationType: 'none',
    excludeCredentials: existing ? auth.store.passkeysOf(existing.id).map((p) => ({ id: p.id, transports: p.transports as never })) : [],
    // Discoverable: signing in later needs no name typed.
    authenticatorSelection: { residentKey: 'required', userVerification: 'required' },
    supportedAlgorithmIDs: SUPPORTED_ALGORITHMS,
  });
}

/** Verifies the new passkey and uses the invitation (exactly once); the member and their first session. */
export async function verifyJoin(
  auth: SignIn,
  code: string,
  name: string,
  response: RegistrationResponseJSON,
): Promise<{ member: Member; session: SessionRow; invitationId: string }> {
  let invitation;
  try {
    invitation = auth.store.usableInvitation(code);
  } catch (error) {
    invitationRefused(error);
  }
  let binding: { invitationId?: string; userHandle?: string } | undefined;
  let verification;
  try {
    verification = await verifyRegistrationResponse({
      response,
      expectedChallenge: (challenge) => {
        binding = consumeChallenge(auth.store, challenge, 'join', CHALLENGE_TTL_MS);
        return binding?.invitationId === invitation.id;
      },
      expectedOrigin: auth.config.origin,
      expectedRPID: auth.config.rpId,
      requireUserVerification: true,
    });
  } catch (error) {
    throw rejected(`The passkey could not be registered: ${(error as Error).message}`);
  }
  if (!verification.verified || !binding?.userHandle) throw rejected('The passkey could not be registered. Please try again.');
  const info = verification.registrationInfo;
  if (auth.store.passkey(info.credential.id)) throw rejected('This passkey is already registered.');
  let member: Member;
  try {
    member = auth.store.redeemInvitation(
      invitation.id,
      { name, userHandle: binding.userHandle },
      {
        id: info.credential.id,
        publicKey: info.credential.publicKey,
        counter: info.credential.counter,
        transports: info.credential.transports ?? [],
        deviceType: info.credentialDeviceType,
        backedUp: info.credentialBackedUp,
      },
    );
  } catch (error) {
    invitationRefused(error);
  }
  return { member, session: auth.store.createSession(member.id, auth.config.sessionMs), invitationId: invitation.id };
}

export async function signInOptions(auth: SignIn): Promise<PublicKeyCredentialRequestOptionsJSON> {
  const challenge = issueChallenge(auth.store, 'sign_in');
  // No allowCredentials: the browser offers the passkeys it holds for this RP ID.
  return generateAuthenticationOptions({
    rpID: auth.config.rpId,
    challenge: challenge.bytes,
    timeout: CHALLENGE_TTL_MS,
    userVerification: 'required',
  });
}

export async function verifySignIn(auth: SignIn, response: AuthenticationResponseJSON): Promise<{ member: Member; session: SessionRow }> {
  const passkey = auth.store.passkey(response.id);
  if (!passkey) throw rejected('This passkey is not registered here (or its member was removed). Ask an administrator for an invitation.');
  const member = auth.store.member(passkey.memberId)!;
  const handle = response.response.userHandle;
  if (handle && handle !== member.userHandle) throw rejected('This passkey belongs to another account.');
  let verification;
  try {
    verification = await verifyAuthenticationResponse({
      response,
      expectedChallenge: (challenge) => consumeChallenge(auth.store, challenge, 'sign_in', CHALLENGE_TTL_MS) !== undefined,
      expectedOrigin: auth.config.origin,
      expectedRPID: auth.config.rpId,
      credential: {
        id: passkey.id,
        publicKey: passkey.publicKey as Uint8Array<ArrayBuffer>,
        counter: passkey.counter,
        transports: passkey.transports as never,
      },
      requireUserVerification: true,
    });
  } catch (error) {
    throw rejected(`The passkey could not be verified: ${(error as Error).message}`);
  }
  if (!verification.verified) throw rejected('The passkey could not be verified. Please try again.');
  auth.store.passkeyUsed(passkey.id, verification.authenticationInfo.newCounter, verification.authenticationInfo.credentialBackedUp);
  return { member, session: auth.store.createSession(member.id, auth.config.sessionMs) };
}
