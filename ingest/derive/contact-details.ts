/**
 * Contact details outside `user.id` (DESIGN.md section 10, Privacy): a string attribute value, the
 * log body or a resource attribute value that holds an e-mail address or a phone number is replaced
 * by a fixed marker — `[redacted e-mail address]` / `[redacted phone number]` — and counted; the
 * record is kept. (A `user.id` that looks like one still rejects its record: ingest/schemas.ts.)
 *
 * Why a marker and not removal: a required attribute (a ticket id, a flag key) stays present, so the
 * record is still valid and kept, and whoever reads the row sees that a value was taken out rather
 * than never sent. The count of replaced values is stored with each row
 * (`contact_details_dropped`, ingest/columns.ts) and logged per request (ingest/sink.ts).
 *
 * The detector is the one rule `user.id` uses (`looksLikeEmailOrPhone`, shared with the SDK); an
 * e-mail address is found anywhere in a value, a phone number must be the whole value. Outside
 * `user.id` a phone number is never read into:
 *   - a version-like value — digit groups joined by dots, none zero-padded (`10.0.19045`,
 *     `131.0.6778.85`, an IPv4 address);
 *   - a date or time (`2026-11-25`, `25.11.2026`, `2026-11-25 12:30:00`);
 *   - the value of an id or version attribute: the vocabulary's ids (`session.id`, `auth.flow.id`,
 *     `webauthn.ceremony.id`, `webauthn.credential.id`, `webauthn.aaguid`, `support.ticket.id`,
 *     `feature_flag.key`) and any key whose last part is `id`, `*_id`, `uuid`, `guid`, `version`,
 *     `*_version` or `identifier` (OpenTelemetry's `service.instance.id`, `service.version`, …).
 * Those can still be redacted for an e-mail address.
 */
import type { AttributeValue, Attributes, DecodedLogRecord } from '../decode-shared';
import { looksLikeEmailOrPhone } from './credential';

export type ContactDetailKind = 'email' | 'phone';

export const REDACTED: Readonly<Record<ContactDetailKind, string>> = {
  email: '[redacted e-mail address]',
  phone: '[redacted phone number]',
};

/** The vocabulary's id and version attributes (packages/telemetry/src/attributes.ts). */
const ID_OR_VERSION_KEYS: ReadonlySet<string> = new Set([
  'user.id',
  'session.id',
  'auth.flow.id',
  'webauthn.ceremony.id',
  'webauthn.credential.id',
  'webauthn.aaguid',
  'webauthn.rp.id',
  'support.ticket.id',
  'feature_flag.key',
  'browser.version',
  'os.version',
  'service.version',
  'telemetry.sdk.version',
]);
const ID_OR_VERSION_SUFFIX = /(?:^|[._])(?:id|ids|uuid|guid|identifier|version)$|_(?:id|version)$/i;

/** Digit groups joined by single dots, none zero-padded: `10.0.19045`, `131.0.6778.85`, `192.168.1.10`. */
const VERSION_LIKE = /^v?(?:0|[1-9]\d*)(?:\.(?:0|[1-9]\d*))+$/i;
/** ISO or day-first dates, optionally with a time: never a phone number. */
const DATE_LIKE =
  /^(?:\d{4}[-./]\d{1,2}[-./]\d{1,2}|\d{1,2}[-./]\d{1,2}[-./]\d{4})(?:[T ]\d{1,2}(?::\d{2}){1,2}(?:\.\d+)?(?:Z|[+-]\d{2}:?\d{2})?)?$/i;

/** Cheap pre-check: ASCII text without `@`/`%` that cannot start a phone number is never contact details. */
const MAYBE_CONTACT = /[@%\u0080-\uffff]|^\s*(?:tel:)?\s*[+(\d]/i;

export function isIdOrVersionKey(key: string): boolean {
  return ID_OR_VERSION_KEYS.has(key) || ID_OR_VERSION_SUFFIX.test(key);
}

export function isVersionOrDateLike(value: string): boolean {
  const trimmed = value.trim();
  return VERSION_LIKE.test(trimmed) || DATE_LIKE.test(trimmed);
}

/** 'email' / 'phone' when a string value (of attribute `key`, if any) holds contact details. */
export function contactDetailIn(value: string, key?: string): ContactDetailKind | null {
  if (value.length === 0 || !MAYBE_CONTACT.test(value)) return null;
  const kind = looksLikeEmailOrPhone(value);
  if (kind !== 'phone') return kind;
  if (key !== undefined && isIdOrVersionKey(key)) return null;
  return isVersionOrDateLike(value.normalize('NFKC')) ? null : 'phone';
}

/** Counts what a redaction replaced, by kind. */
export interface RedactionCount {
  email: number;
  phone: number;
}

function redactValue(value: AttributeValue, key: string | undefined, count: RedactionCount): AttributeValue {
  if (typeof value === 'string') {
    const kind = contactDetailIn(value, key);
    if (!kind) return value;
    count[kind] += 1;
    return REDACTED[kind];
  }
  if (Array.isArray(value)) {
    let out: AttributeValue[] | undefined;
    for (let i = 0; i < value.length; i++) {
      const element = value[i]!;
      const redacted = redactValue(element, key, count);
      if (redacted !== element) {
        out ??= value.slice();
        out[i] = redacted;
      }
    }
    return out ?? value;
  }
  if (value !== null && typeof value === 'object') return redactAttributes(value, count) ?? value;
  return value;
}

/** A copy with the contact details replaced, or undefined when there were none. `skip`: keys left as they are. */
function redactAttributes(attributes: Attributes, count: RedactionCount, skip?: string): Attributes | undefined {
  let out: Attributes | undefined;
  for (const key of Object.keys(attributes)) {
    if (key === skip) continue;
    const value = attributes[key]!;
    const redacted = redactValue(value, key, count);
    if (redacted !== value) {
      if (!out) {
        out = {};
        // Copied with defineProperty so that a `__proto__` key stays an own property (decode-shared.ts).
        for (const k of Object.keys(attributes))
          Object.defineProperty(out, k, { value: attributes[k], enumerable: true, writable: true, configurable: true });
      }
      Object.defineProperty(out, key, { value: redacted, enumerable: true, writable: true, configurable: true });
    }
  }
  return out;
}

const total = (count: RedactionCount): number => count.email + count.phone;

/** Resource attributes are shared by every record of a ResourceLogs: redacted once. */
const redactedResources = new WeakMap<Attributes, { resource: Attributes; dropped: number }>();
function redactResource(resource: Attributes): { resource: Attributes; dropped: number } {
  let entry = redactedResources.get(resource);
  if (!entry) {
    const count: RedactionCount = { email: 0, phone: 0 };
    entry = { resource: redactAttributes(resource, count) ?? resource, dropped: total(count) };
    redactedResources.set(resource, entry);
  }
  return entry;
}

/**
 * The record with the contact details of its attributes (all but a top-level `user.id`, which
 * validation judges), body and resource replaced by the marker, and how many values were replaced.
 * The same record object when there were none.
 */
export function redactRecord(record: DecodedLogRecord): { record: DecodedLogRecord; dropped: number } {
  const count: RedactionCount = { email: 0, phone: 0 };
  const attributes = redactAttributes(record.attributes, count, 'user.id');
  const body = record.body === null ? null : redactValue(record.body, undefined, count);
  const resource = redactResource(record.resource);
  const dropped = total(count) + resource.dropped;
  if (dropped === 0) return { record, dropped };
  return { record: { ...record, attributes: attributes ?? record.attributes, body, resource: resource.resource }, dropped };
}

/**
 * For the quarantine: every value redacted the same way, `user.id` included (a rejected record must
 * not keep the contact details that got it rejected, nor any other).
 */
export function redactForQuarantine(attributes: Attributes): Attributes {
  let out = redactAttributes(attributes, { email: 0, phone: 0 }, 'user.id') ?? attributes;
  const userId = attributes['user.id'];
  if (typeof userId === 'string') {
    const kind = looksLikeEmailOrPhone(userId);
    if (kind) out = { ...out, 'user.id': REDACTED[kind] };
  }
  return out;
}
