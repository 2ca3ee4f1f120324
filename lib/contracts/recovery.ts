/**
 * GET /api/v1/recovery — recovery load, completion by method, phishable share among holders, and a
 * time series (DESIGN.md section 4). Shared by the route and the dashboard client.
 */
import { z } from 'zod';
import { DAY_MS, zFilterParams, zTimeRange } from '@/lib/api/params';
import { zCount, zRate, zWindowEcho } from '@/lib/metrics/contract-parts';

export const RECOVERY_INTERVALS = ['hour', 'day', 'week'] as const;
export type RecoveryInterval = (typeof RECOVERY_INTERVALS)[number];
export const INTERVAL_MS: Record<RecoveryInterval, number> = { hour: 3_600_000, day: DAY_MS, week: 7 * DAY_MS };
/** Hour buckets over a longer window would be thousands of points; refused with a 400. */
export const MAX_HOURLY_WINDOW_DAYS = 31;

export const zRecoveryQuery = z
  .object({ interval: z.enum(RECOVERY_INTERVALS, { message: "must be 'hour', 'day' or 'week'" }).default('day') })
  .and(zFilterParams)
  .and(zTimeRange)
  .superRefine((query, ctx) => {
    if (query.interval === 'hour' && query.to.getTime() - query.from.getTime() > MAX_HOURLY_WINDOW_DAYS * DAY_MS) {
      ctx.addIssue({
        code: 'custom',
        path: ['interval'],
        message: `hour buckets are limited to windows of at most ${MAX_HOURLY_WINDOW_DAYS} days; use interval=day or week, or a shorter from/to`,
      });
    }
  });
export type RecoveryQuery = z.input<typeof zRecoveryQuery>;

/** Recoveries (started flows) and what became of them; a started flow with no terminal stage yet is in progress. */
const zRecoveryTally = {
  started: zCount,
  completed: zCount,
  failed: zCount,
  abandoned: zCount,
  inProgress: zCount,
  /** completed ÷ started. */
  completionRate: zRate,
};

export const zRecoveryMethodRow = z.object({
  method: z.string(),
  ...zRecoveryTally,
  /** started ÷ |A(W)| × 1,000 ÷ days in W; null when there is no active user. */
  recoveryLoad: z.number().nonnegative().nullable(),
  phishable: z.boolean(),
});
export type RecoveryMethodRow = z.infer<typeof zRecoveryMethodRow>;

export const zRecoveryBucket = z.object({
  /** Buckets are aligned on `from`: [from + i·interval, min(from + (i+1)·interval, to)). */
  start: z.iso.datetime(),
  end: z.iso.datetime(),
  /** The bucket's own length in days (the last one may be shorter). */
  days: z.number().positive(),
  /** Distinct users with a successful sign-in inside the bucket. */
  activeUsers: zCount,
  started: zCount,
  completed: zCount,
  /** The bucket's starts ÷ its own active users × 1,000 ÷ its own days; null (a gap) with no active user. */
  recoveryLoad: z.number().nonnegative().nullable(),
  /** completed ÷ started for the recoveries started in the bucket. */
  completionRate: zRate,
  /** Starts per method in the bucket (methods with none are absent). */
  startedByMethod: z.record(z.string(), zCount),
});
export type RecoveryBucket = z.infer<typeof zRecoveryBucket>;

export const zPhishableRecovery = z.object({
  /** Recoveries started in W by users holding a live passkey when the recovery started. */
  holderRecoveries: zCount,
  /** …of which via sms_code, email_code, email_magic_link or support_agent_override. */
  phishableHolderRecoveries: zCount,
  /** phishableHolderRecoveries ÷ holderRecoveries. */
  phishableShare: zRate,
  /** Recoveries started in W by users holding no passkey at that time. */
  nonHolderRecoveries: zCount,
  /** Holder recoveries per method. */
  byMethod: z.array(z.object({ method: z.string(), phishable: z.boolean(), holderRecoveries: zCount })),
});
export type PhishableRecovery = z.infer<typeof zPhishableRecovery>;

export const zRecoveryResponse = zWindowEcho.extend({
  interval: z.enum(RECOVERY_INTERVALS),
  /** Length of W in days. */
  days: z.number().positive(),
  /** |A(W)|: distinct users with a successful auth.sign_in in W. */
  activeUsers: zCount,
  ...zRecoveryTally,
  /** started ÷ |A(W)| × 1,000 ÷ days in W; null when there is no active user. */
  recoveryLoad: z.number().nonnegative().nullable(),
  /** Ranked by starts. */
  byMethod: z.array(zRecoveryMethodRow),
  phishable: zPhishableRecovery,
  /** Every bucket of W, empty ones included (zero counts, null rates). */
  series: z.array(zRecoveryBucket),
});
export type RecoveryResponse = z.infer<typeof zRecoveryResponse>;
