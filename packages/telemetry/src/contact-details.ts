/**
 * The one rule for "this user.id is contact details, not an opaque account id" (DESIGN.md section
 * 3), shared by ingest (which rejects the record) and the telemetry SDK (which refuses to emit it),
 * so a value the SDK sends is never one ingest rejects. Pure: runs in browsers too.
 */

// local@domain.tld anywhere in the value: an id that merely contains an address still leaks it.
// The local part is checked by a one-character lookbehind so the scan stays linear on long input.
const EMAIL = /(?<=[^\s@<>()[\]",;:])@(?:[\p{L}\p{N}](?:[\p{L}\p{N}-]*[\p{L}\p{N}])?\.)+(?:\p{L}{2,}|xn--[a-z0-9-]+)(?![\p{L}\p{N}-])/iu;
// Digits with the separators people write phone numbers with; an optional leading +.
const PHONE_SHAPE = /^\+?\(?\d[\d\s().-]*$/;
const ALL_DIGITS = /^\d+$/;

/**
 * 'email' / 'phone' when a `user.id` looks like contact details rather than an opaque account id.
 *
 * Phone rule: a leading + (E.164) or written separators make 7–15 digits a phone number. A bare
 * digit string is ambiguous, because many systems use numeric account ids: up to 9 digits passes,
 * 10–15 digits (a national or international number without its +) is flagged, and 16+ digits
 * (snowflake-style ids) passes again.
 */
export function looksLikeEmailOrPhone(userId: string): 'email' | 'phone' | null {
  // NFKC folds full-width ＠ and digits; %40 is a URL-encoded @.
  const value = userId.normalize('NFKC').replace(/%40/gi, '@').trim();
  if (value.includes('@') && EMAIL.test(value)) return 'email';

  const candidate = value.replace(/^tel:/i, '');
  if (!PHONE_SHAPE.test(candidate)) return null;
  const digits = candidate.replace(/\D/g, '').length;
  if (candidate.startsWith('+') || !ALL_DIGITS.test(candidate)) {
    return digits >= 7 && digits <= 15 ? 'phone' : null;
  }
  return digits >= 10 && digits <= 15 ? 'phone' : null;
}
