/**
 * A software WebAuthn authenticator (ES256, `none` attestation) that produces real
 * RegistrationResponseJSON / AuthenticationResponseJSON accepted by @simplewebauthn/server.
 *
 * For tests and simulators only: it lets the SDK's server wrappers run the real verification,
 * success and every failure branch, without a browser. WebCrypto only, so it runs on Node and in
 * browsers. Never use it to authenticate anyone.
 */
import type { AuthenticationResponseJSON, RegistrationResponseJSON, WebAuthnCredential } from '@simplewebauthn/server';
import { isoBase64URL, isoCBOR, isoUint8Array } from '@simplewebauthn/server/helpers';

export interface SoftAuthenticatorOptions {
  rpId: string;
  origin: string;
  /** AAGUID as a UUID string; default all zeros. */
  aaguid?: string;
  /** BE flag: a synced passkey (true) or a device-bound credential (false). Default true. */
  backupEligible?: boolean;
  /** BS flag. Default = backupEligible. */
  backedUp?: boolean;
  attachment?: 'platform' | 'cross-platform';
  transports?: string[];
  /** Signature counter behaviour: synced passkeys usually report 0 forever. Default `zero`. */
  signCount?: 'zero' | 'increment';
}

/** Per-call deviations, to produce the failure branches. */
export interface CeremonyOverrides {
  userPresent?: boolean;
  userVerified?: boolean;
  origin?: string;
  rpId?: string;
  type?: string;
  /** Force the counter value written in the authenticator data. */
  counter?: number;
  /** Flip a bit of the signature (authentication) so it no longer verifies. */
  corruptSignature?: boolean;
  backedUp?: boolean;
}

export interface SoftAuthenticator {
  readonly credentialId: string;
  register(
    challenge: string,
    overrides?: CeremonyOverrides,
  ): Promise<{ response: RegistrationResponseJSON; credential: WebAuthnCredential }>;
  authenticate(challenge: string, overrides?: CeremonyOverrides): Promise<AuthenticationResponseJSON>;
}

type Bytes = ReturnType<typeof isoBase64URL.toBuffer>;

const FLAG_UP = 0x01;
const FLAG_UV = 0x04;
const FLAG_BE = 0x08;
const FLAG_BS = 0x10;
const FLAG_AT = 0x40;

function subtle(): SubtleCrypto {
  const crypto = globalThis.crypto;
  if (!crypto?.subtle) throw new Error('WebCrypto is not available');
  return crypto.subtle;
}

async function sha256(data: Bytes): Promise<Bytes> {
  return new Uint8Array(await subtle().digest('SHA-256', data));
}

function uint32(value: number): Bytes {
  const out = new Uint8Array(4);
  new DataView(out.buffer).setUint32(0, value >>> 0, false);
  return out;
}

function uint16(value: number): Bytes {
  const out = new Uint8Array(2);
  new DataView(out.buffer).setUint16(0, value, false);
  return out;
}

/** ECDSA raw (r‖s, IEEE P1363) → ASN.1 DER, the encoding WebAuthn signatures use. */
function rawToDer(raw: Bytes): Bytes {
  const integer = (bytes: Bytes): number[] => {
    let start = 0;
    while (start < bytes.length - 1 && bytes[start] === 0) start++;
    const body = Array.from(bytes.slice(start));
    if ((body[0] ?? 0) & 0x80) body.unshift(0);
    return [0x02, body.length, ...body];
  };
  const half = raw.length / 2;
  const sequence = [...integer(raw.slice(0, half)), ...integer(raw.slice(half))];
  return Uint8Array.from([0x30, sequence.length, ...sequence]);
}

function flagsByte(options: SoftAuthenticatorOptions, overrides: CeremonyOverrides, attested: boolean): number {
  const be = options.backupEligible ?? true;
  const bs = overrides.backedUp ?? options.backedUp ?? be;
  let flags = 0;
  if (overrides.userPresent ?? true) flags |= FLAG_UP;
  if (overrides.userVerified ?? true) flags |= FLAG_UV;
  if (be) flags |= FLAG_BE;
  if (bs) flags |= FLAG_BS;
  if (attested) flags |= FLAG_AT;
  return flags;
}

function clientData(type: string, challenge: string, origin: string): string {
  return isoBase64URL.fromUTF8String(JSON.stringify({ type, challenge, origin, crossOrigin: false }));
}

export async function createSoftAuthenticator(options: SoftAuthenticatorOptions): Promise<SoftAuthenticator> {
  const keyPair = (await subtle().generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, true, ['sign', 'verify'])) as CryptoKeyPair;
  const jwk = await subtle().exportKey('jwk', keyPair.publicKey);
  const cosePublicKey = isoCBOR.encode(
    new Map<number, number | Bytes>([
      [1, 2], // kty: EC2
      [3, -7], // alg: ES256
      [-1, 1], // crv: P-256
      [-2, isoBase64URL.toBuffer(jwk.x ?? '')],
      [-3, isoBase64URL.toBuffer(jwk.y ?? '')],
    ]),
  ) as Bytes;
  const rawId = crypto.getRandomValues(new Uint8Array(32));
  const credentialId = isoBase64URL.fromBuffer(rawId);
  const aaguid = isoUint8Array.fromHex((options.aaguid ?? '00000000-0000-0000-0000-000000000000').replace(/-/g, ''));
  let counter = 0;

  const nextCounter = (overrides: CeremonyOverrides) => {
    if (overrides.counter !== undefined) return overrides.counter;
    if (options.signCount === 'increment') counter += 1;
    return counter;
  };

  return {
    credentialId,
    async register(challenge, overrides = {}) {
      const clientDataJSON = clientData(overrides.type ?? 'webauthn.create', challenge, overrides.origin ?? options.origin);
      const authData = isoUint8Array.concat([
        await sha256(isoUint8Array.fromUTF8String(overrides.rpId ?? options.rpId)),
        Uint8Array.of(flagsByte(options, overrides, true)),
        uint32(nextCounter(overrides)),
        aaguid,
        uint16(rawId.length),
        rawId,
        cosePublicKey,
      ]);
      const attestationObject = isoCBOR.encode(
        new Map<string, unknown>([
          ['fmt', 'none'],
          ['attStmt', new Map()],
          ['authData', authData],
        ]) as never,
      );
      const transports = options.transports ?? (options.attachment === 'cross-platform' ? ['usb'] : ['internal', 'hybrid']);
      return {
        response: {
          id: credentialId,
          rawId: credentialId,
          type: 'public-key',
          authenticatorAttachment: options.attachment ?? 'platform',
          clientExtensionResults: {},
          response: {
            clientDataJSON,
            attestationObject: isoBase64URL.fromBuffer(attestationObject),
            transports,
            publicKeyAlgorithm: -7,
          },
        },
        credential: { id: credentialId, publicKey: cosePublicKey, counter, transports },
      };
    },
    async authenticate(challenge, overrides = {}) {
      const clientDataJSON = clientData(overrides.type ?? 'webauthn.get', challenge, overrides.origin ?? options.origin);
      const authData = isoUint8Array.concat([
        await sha256(isoUint8Array.fromUTF8String(overrides.rpId ?? options.rpId)),
        Uint8Array.of(flagsByte(options, overrides, false)),
        uint32(nextCounter(overrides)),
      ]);
      const signed = isoUint8Array.concat([authData, await sha256(isoBase64URL.toBuffer(clientDataJSON))]);
      const raw = new Uint8Array(await subtle().sign({ name: 'ECDSA', hash: 'SHA-256' }, keyPair.privateKey, signed));
      if (overrides.corruptSignature) raw[raw.length - 1] = (raw[raw.length - 1] ?? 0) ^ 0x01;
      return {
        id: credentialId,
        rawId: credentialId,
        type: 'public-key',
        authenticatorAttachment: options.attachment ?? 'platform',
        clientExtensionResults: {},
        response: {
          clientDataJSON,
          authenticatorData: isoBase64URL.fromBuffer(authData),
          signature: isoBase64URL.fromBuffer(rawToDer(raw)),
        },
      };
    },
  };
}
