/**
 * POST /api/v1/erasures — erase one user's data everywhere (lib/privacy/erasure.ts); GET lists the
 * erasures made. Both need an admin token when API_TOKENS or ADMIN_TOKENS is set.
 */
import { z } from 'zod';

export const zErasureBody = z.strictObject({
  userId: z.string().trim().min(1, 'is required').max(2048, 'must be at most 2048 characters'),
});
export type ErasureBody = z.input<typeof zErasureBody>;

export const zErasureQuery = z.object({});

const zRemoved = z.object({
  /** Raw events: the user's own, and the anonymous events of their ceremonies and sign-in flows. */
  events: z.number().int().nonnegative(),
  /** Ceremonies removed from the ceremony state. */
  ceremonies: z.number().int().nonnegative(),
  /** Credentials removed from the credential state. */
  credentials: z.number().int().nonnegative(),
  /** Rejected records of theirs removed from the quarantine. */
  quarantined: z.number().int().nonnegative(),
});

export const zErasure = z.object({
  userId: z.string(),
  erasedAt: z.string(),
  /** `token:<name>`, or `local` on an open install. */
  actor: z.string(),
  removed: zRemoved,
});
export type Erasure = z.infer<typeof zErasure>;

export const zErasuresQuery = z.object({
  limit: z.coerce.number().int().min(1).max(10_000).default(1000),
});

export const zErasuresResponse = z.object({
  /** Newest first; `removed` is null for an erasure that has not finished (it is retried by erasing again). */
  erasures: z.array(zErasure.extend({ removed: zRemoved.nullable() })),
});
