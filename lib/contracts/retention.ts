/**
 * GET /api/v1/retention?cohort=week — do people keep using their passkeys (the stage 3 → 4
 * question)? Users by the week of their first passkey registration, and for each week since: the
 * share who signed in with a passkey, who signed in only by other methods, and who had deleted every
 * passkey by then (docs/metrics.md, "Passkey retention").
 */
import { z } from 'zod';
import { zFilterParams, zTimeRange } from '@/lib/api/params';
import { zCount, zRate, zWindowEcho } from '@/lib/metrics/contract-parts';

export const zRetentionQuery = z
  .object({
    cohort: z.enum(['week'], { message: "must be 'week'" }).default('week'),
  })
  .and(zFilterParams)
  .and(zTimeRange);
export type RetentionQuery = z.input<typeof zRetentionQuery>;

export const zRetentionWeek = z.object({
  /** Weeks since the cohort's week (0 = the week of registration). */
  offset: z.number().int().nonnegative(),
  /** [start, end) of the week, `end` cut at the window's `to` (then `partial`). */
  start: z.iso.datetime(),
  end: z.iso.datetime(),
  partial: z.boolean(),
  passkeySignIns: zCount,
  fallbackOnly: zCount,
  deletedAll: zCount,
  /** Each ÷ the cohort's users. */
  passkeyShare: zRate,
  fallbackOnlyShare: zRate,
  deletedAllShare: zRate,
});
export type RetentionWeek = z.infer<typeof zRetentionWeek>;

export const zRetentionResponse = zWindowEcho.extend({
  cohort: z.literal('week'),
  cohorts: z.array(
    z.object({
      /** The cohort's week, its Monday (UTC), `YYYY-MM-DD`. */
      week: z.iso.date(),
      /** Users whose first passkey registration fell in the week (from the window's `from` on, if it starts mid-week: `partial`). */
      users: zCount,
      partial: z.boolean(),
      weeks: z.array(zRetentionWeek),
    }),
  ),
});
export type RetentionResponse = z.infer<typeof zRetentionResponse>;
