/**
 * The privacy guard every SDK event goes through before it reaches the OpenTelemetry logger.
 *
 * Why: ceremony telemetry sits next to secrets. A WebAuthn response carries the challenge (inside
 * clientDataJSON), the credential public key, the attestation statement; the relying party's
 * account record carries e-mail addresses and phone numbers. None of that may leave the relying
 * party. The guard refuses:
 *   - attribute keys that name a secret or contact detail (challenge, public key, clientDataJSON,
 *     attestationObject, authenticatorData, signature, userHandle, password, token, e-mail, phone);
 *   - any string value that contains an e-mail address;
 *   - a `user.id` that looks like an e-mail address or a phone number (DESIGN.md section 3);
 *   - any value containing one of the caller's `forbiddenValues` (the server wrappers pass the
 *     expected challenge and the raw response fields, so they can never be echoed by accident).
 *
 * Strict mode (the default outside `NODE_ENV=production`) throws a `TelemetryPrivacyError` (a
 * TypeError) so the mistake is found in development; lenient mode (production) drops the
 * attribute and writes a diag warning naming the key, never the value.
 */
import { diag, type AttributeValue, type Attributes } from '@opentelemetry/api';
import { looksLikeEmailOrPhone } from './contact-details.ts';
import { ATTR_USER_ID } from './attributes.ts';

/** What callers may pass: `undefined`/`null` values are dropped. */
export type TelemetryAttributes = Record<string, AttributeValue | null | undefined>;

export class TelemetryPrivacyError extends TypeError {
  readonly attribute: string;
  constructor(attribute: string, problem: string) {
    super(`Refusing telemetry attribute "${attribute}": ${problem}`);
    this.name = 'TelemetryPrivacyError';
    this.attribute = attribute;
  }
}

export interface PrivacyOptions {
  /** Throw on a violation (true) or drop the attribute with a diag warning (false). */
  strict?: boolean;
  /** Exact secrets (challenge, raw response fields) no value may contain. */
  forbiddenValues?: readonly (string | undefined | null)[];
}

const SECRET_KEY =
  /challenge|public[._-]?key|pub[._-]?key|client[._-]?data|attestation[._-]?(object|statement)|att[._-]?stmt|authenticator[._-]?data|auth[._-]?data|signature|user[._-]?handle|password|passcode|secret|token|(^|[._-])otp($|[._-])|e[._-]?mail|phone|msisdn/i;

const EMAIL_ANYWHERE = /[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}/;

export { looksLikeEmailOrPhone };

/** Strict unless `NODE_ENV === 'production'` (written literally so bundlers inline it in browser builds). */
export function defaultStrictPrivacy(): boolean {
  try {
    return process.env.NODE_ENV !== 'production';
  } catch {
    return true; // no `process` at all (an unbundled browser page)
  }
}

function problemWith(key: string, value: AttributeValue, forbidden: readonly string[]): string | null {
  if (SECRET_KEY.test(key)) return 'the key names a secret or contact detail, which is never emitted';
  const strings = (Array.isArray(value) ? value : [value]).filter((v): v is string => typeof v === 'string');
  for (const text of strings) {
    if (key === ATTR_USER_ID) {
      const kind = looksLikeEmailOrPhone(text);
      if (kind) {
        return `user.id looks like ${kind === 'email' ? 'an e-mail address' : 'a phone number'}; pass the relying party's opaque account id`;
      }
    }
    if (EMAIL_ANYWHERE.test(text)) return 'the value contains an e-mail address';
    for (const secret of forbidden) {
      if (text.includes(secret)) return 'the value contains a WebAuthn secret (challenge or raw response field)';
    }
  }
  return null;
}

/**
 * Returns the attributes that are safe to emit (undefined/null values removed, arrays compacted).
 * Strict: throws `TelemetryPrivacyError` on the first violation. Lenient: drops violating keys.
 */
export function assertSafeAttributes(attributes: TelemetryAttributes, options: PrivacyOptions = {}): Attributes {
  const strict = options.strict ?? defaultStrictPrivacy();
  // Secrets shorter than 8 characters cannot be told apart from ordinary values.
  const forbidden = (options.forbiddenValues ?? []).filter((v): v is string => typeof v === 'string' && v.length >= 8);
  const safe: Attributes = {};
  for (const [key, raw] of Object.entries(attributes)) {
    if (raw === undefined || raw === null) continue;
    const value: AttributeValue = Array.isArray(raw)
      ? ((raw as readonly unknown[]).filter((v) => v !== null && v !== undefined) as AttributeValue)
      : raw;
    const problem = problemWith(key, value, forbidden);
    if (problem) {
      if (strict) throw new TelemetryPrivacyError(key, problem);
      diag.warn(`passkey telemetry: dropped attribute "${key}": ${problem}`);
      continue;
    }
    safe[key] = value;
  }
  return safe;
}
