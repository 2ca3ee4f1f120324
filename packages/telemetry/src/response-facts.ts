/**
 * Facts from a WebAuthn response, best effort (never throws): what the server SDK reports about a
 * verification that failed before the library could say (credential ID, flags, AAGUID, attestation
 * format, attachment, transports, origin), and the raw values that must never be emitted.
 */
import {
  convertAAGUIDToString,
  decodeAttestationObject,
  decodeClientDataJSON,
  isoBase64URL,
  parseAuthenticatorData,
} from '@simplewebauthn/server/helpers';
import { AUTHENTICATOR_ATTACHMENTS } from './vocabulary.ts';
import type { AuthenticatorAttachment, AuthenticatorFlags } from './types.ts';

const MAX_CREDENTIAL_ID = 1024;
const ORIGIN = /^(https?:\/\/[^\s/?#@]+|android:apk-key-hash:[A-Za-z0-9_-]+|ios:bundle-id:[\w.-]+)$/;

export interface ResponseFacts {
  credentialId?: string;
  flags?: AuthenticatorFlags;
  counter?: number;
  aaguid?: string;
  attestationFormat?: string;
  origin?: string;
  challenge?: string;
  authenticatorAttachment?: AuthenticatorAttachment;
  transports?: string[];
}

type UnknownResponse = {
  id?: unknown;
  authenticatorAttachment?: unknown;
  response?: {
    clientDataJSON?: unknown;
    attestationObject?: unknown;
    authenticatorData?: unknown;
    transports?: unknown;
  };
};

type Bytes = ReturnType<typeof isoBase64URL.toBuffer>;

function bytesOf(value: unknown): Bytes | undefined {
  if (typeof value !== 'string' || !isoBase64URL.isBase64URL(value)) return undefined;
  try {
    return isoBase64URL.toBuffer(value);
  } catch {
    return undefined;
  }
}

function attempt<T>(read: () => T): T | undefined {
  try {
    return read();
  } catch {
    return undefined;
  }
}

function flagsAndAaguid(authData: Bytes | undefined): Pick<ResponseFacts, 'flags' | 'counter' | 'aaguid'> {
  if (!authData) return {};
  // A copy: the parser patches a known Firefox CBOR bug in place.
  const parsed = attempt(() => parseAuthenticatorData(authData.slice()));
  if (!parsed) return {};
  const { up, uv, be, bs } = parsed.flags;
  return {
    flags: { up, uv, be, bs },
    counter: parsed.counter,
    aaguid: parsed.aaguid ? attempt(() => convertAAGUIDToString(parsed.aaguid as Bytes)) : undefined,
  };
}

export function responseFacts(input: unknown): ResponseFacts {
  if (typeof input !== 'object' || input === null) return {};
  const response = input as UnknownResponse;
  const inner = typeof response.response === 'object' && response.response !== null ? response.response : {};
  const facts: ResponseFacts = {};

  if (typeof response.id === 'string' && response.id.length <= MAX_CREDENTIAL_ID && isoBase64URL.isBase64URL(response.id)) {
    facts.credentialId = response.id;
  }
  if ((AUTHENTICATOR_ATTACHMENTS as readonly unknown[]).includes(response.authenticatorAttachment)) {
    facts.authenticatorAttachment = response.authenticatorAttachment as AuthenticatorAttachment;
  }
  if (Array.isArray(inner.transports)) {
    facts.transports = inner.transports.filter((t): t is string => typeof t === 'string' && t.length <= 32);
  }
  const clientData =
    typeof inner.clientDataJSON === 'string' ? attempt(() => decodeClientDataJSON(inner.clientDataJSON as string)) : undefined;
  if (clientData && typeof clientData.origin === 'string' && clientData.origin.length <= 512 && ORIGIN.test(clientData.origin)) {
    facts.origin = clientData.origin;
  }
  if (clientData && typeof clientData.challenge === 'string') facts.challenge = clientData.challenge;

  const attestationBytes = bytesOf(inner.attestationObject);
  if (attestationBytes) {
    const decoded = attempt(() => decodeAttestationObject(attestationBytes));
    const fmt = attempt(() => decoded?.get('fmt'));
    if (typeof fmt === 'string' && fmt.length <= 64) facts.attestationFormat = fmt;
    const authData = attempt(() => decoded?.get('authData'));
    Object.assign(facts, flagsAndAaguid(authData instanceof Uint8Array ? (authData as Bytes) : undefined));
  } else {
    Object.assign(facts, flagsAndAaguid(bytesOf(inner.authenticatorData)));
  }
  return facts;
}

/** Everything that must never appear in an attribute value. */
export function secretsOf(params: { expectedChallenge?: unknown; response?: unknown }, facts: ResponseFacts): (string | undefined)[] {
  const response = (typeof params.response === 'object' && params.response !== null ? params.response : {}) as {
    response?: Record<string, unknown>;
  };
  const inner = response.response ?? {};
  const raw = ['clientDataJSON', 'attestationObject', 'authenticatorData', 'signature', 'publicKey'].map((key) =>
    typeof inner[key] === 'string' ? (inner[key] as string) : undefined,
  );
  return [typeof params.expectedChallenge === 'string' ? params.expectedChallenge : undefined, facts.challenge, ...raw];
}

export function singleRpId(expected: string | string[] | undefined): string | undefined {
  if (typeof expected === 'string') return expected;
  return expected?.length === 1 ? expected[0] : undefined;
}

export function signCountAnomaly(newCounter: number | undefined, storedCounter: number | undefined): boolean | undefined {
  if (newCounter === undefined || storedCounter === undefined) return undefined;
  return newCounter > 0 && storedCounter > 0 && newCounter <= storedCounter;
}
