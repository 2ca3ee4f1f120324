/**
 * GET /api/v1/security — verification signals an engineer or security team must see (server
 * `passkey.registration` / `passkey.authentication` events in W) and phishable recoveries followed
 * by a passkey from a never-seen device class. Each signal: exact counts plus the newest affected
 * events (at most `limit`).
 */
import { z } from 'zod';
import { zFilterParams, zTimeRange } from '@/lib/api/params';
import { zCount, zWindowEcho } from '@/lib/metrics/contract-parts';
import { zSecurityEvent } from '@/lib/domain/event-rows';

export const SECURITY_SIGNALS = [
  'originMismatch',
  'rpIdMismatch',
  'challengeReuse',
  'counterAnomaly',
  'credentialUserMismatch',
  'userNotVerified',
] as const;
export type SecuritySignal = (typeof SECURITY_SIGNALS)[number];

/** Within this long after a phishable recovery started, a registration from a new device class is flagged. */
export const NEW_DEVICE_WINDOW_HOURS = 24;

export const zSecurityQuery = z
  .object({
    limit: z.coerce.number().int('must be a whole number').min(1, 'must be at least 1').max(500, 'must be at most 500').default(50),
  })
  .and(zFilterParams)
  .and(zTimeRange);
export type SecurityQuery = z.input<typeof zSecurityQuery>;

export { zSecurityEvent, type SecurityEvent } from '@/lib/domain/event-rows';

export const zSecuritySignalSummary = z.object({
  /** Server verification events with the signal. */
  events: zCount,
  /** Distinct ceremonies (events without a ceremony id count one each). */
  ceremonies: zCount,
  users: zCount,
  /** The newest `limit` events, newest first. */
  items: z.array(zSecurityEvent),
});
export type SecuritySignalSummary = z.infer<typeof zSecuritySignalSummary>;

export const zOriginMismatchRow = z.object({
  origin: z.string(),
  /** Events failing with origin_mismatch / rp_id_mismatch from this origin. */
  originMismatches: zCount,
  rpIdMismatches: zCount,
  events: zCount,
  users: zCount,
  /** The RP IDs those events claimed. */
  rpIds: z.array(z.string()),
});
export type OriginMismatchRow = z.infer<typeof zOriginMismatchRow>;

export const zRecoveryNewDeviceItem = z.object({
  userId: z.string(),
  recoveryAt: z.iso.datetime(),
  recoveryMethod: z.string(),
  recoveryFlowId: z.string(),
  registrationAt: z.iso.datetime(),
  ceremonyId: z.string(),
  credentialId: z.string(),
  deviceClass: z.string(),
});
export type RecoveryNewDeviceItem = z.infer<typeof zRecoveryNewDeviceItem>;

export const zSecurityResponse = zWindowEcho.extend({
  limit: z.number().int().positive(),
  /** origin_mismatch and rp_id_mismatch failures grouped by the origin they came from, most first. */
  originMismatchesByOrigin: z.array(zOriginMismatchRow),
  /** One summary per signal: origin_mismatch, rp_id_mismatch, challenge_reused, sign-count anomaly or counter_regression, credential_user_mismatch, user_not_verified. */
  signals: z.object(
    Object.fromEntries(SECURITY_SIGNALS.map((signal) => [signal, zSecuritySignalSummary])) as Record<
      SecuritySignal,
      typeof zSecuritySignalSummary
    >,
  ),
  /**
   * Phishable recoveries (sms_code, email_code, email_magic_link, support_agent_override) started in W
   * and followed within 24 h by a successful registration from a device class on which the user had
   * no event before the recovery started.
   */
  phishableRecoveryNewDevice: z.object({
    recoveries: zCount,
    registrations: zCount,
    users: zCount,
    items: z.array(zRecoveryNewDeviceItem),
  }),
});
export type SecurityResponse = z.infer<typeof zSecurityResponse>;
