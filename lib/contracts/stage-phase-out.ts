/**
 * GET /api/v1/stages/phase-out — stage 4 over time (issue 12; docs/stage-gates.md "Stage 4 over
 * time"): per UTC week (Monday to Monday; the first one cut by the window) the password removals,
 * and as of the week's end the holders without a password and the lock-out blast radius. Client-safe.
 */
import { z } from 'zod';
import { zFilterParams, zTimeZone } from '@/lib/api/params';
import { zStagesQuery } from './stages';

export const MAX_PHASE_OUT_WEEKS = 26;
export const DEFAULT_PHASE_OUT_WEEKS = 12;

export const zPhaseOutQuery = z.object({
  /** The last week ends here (ISO-8601); default now, to the minute. */
  to: zStagesQuery.shape.to,
  weeks: z.coerce
    .number()
    .int('must be a whole number')
    .min(1, 'must be at least 1')
    .max(MAX_PHASE_OUT_WEEKS, `must be at most ${MAX_PHASE_OUT_WEEKS}`)
    .default(DEFAULT_PHASE_OUT_WEEKS),
  /** `deployment.environment.name` list, or `*` for every environment; default DEFAULT_ENVIRONMENT when configured. */
  environment: zFilterParams.shape.environment,
  /** Whose weeks (Monday to Monday local time), an IANA zone; default UTC. */
  tz: zTimeZone.default('UTC'),
});
export type PhaseOutQuery = z.input<typeof zPhaseOutQuery>;

const zInstant = z.iso.datetime();
const zShare = z.number().min(0).max(1).nullable();

export const zPhaseOutWeek = z.object({
  start: zInstant,
  /** Exclusive; "as of" values are at this instant. */
  end: zInstant,
  /** The window cuts this week (the first one, or the current one). */
  partial: z.boolean(),
  /** `auth.password.removed` events in [start, end), and the distinct users they came from. */
  removals: z.number().int().nonnegative(),
  usersRemoving: z.number().int().nonnegative(),
  /** H(end): users with a live passkey at the week's end. */
  holders: z.number().int().nonnegative(),
  /** Holders whose password was removed before the week's end. */
  holdersWithoutPassword: z.number().int().nonnegative(),
  shareWithoutPassword: zShare,
  /** The lock-out blast radius as of the week's end (its 28-day lookback): holders at risk and their share. */
  atRisk: z.number().int().nonnegative(),
  atRiskShare: zShare,
});
export type PhaseOutWeek = z.infer<typeof zPhaseOutWeek>;

export const zPhaseOutResponse = z.object({
  to: zInstant,
  /** The zone of the weeks. */
  tz: z.string().default('UTC'),
  environments: z.array(z.string()),
  weeks: z.array(zPhaseOutWeek),
});
export type PhaseOutResponse = z.infer<typeof zPhaseOutResponse>;
