/** The sign-in endpoints under /api/auth (lib/auth/auth-route.ts) and what the pages send them. */
import { z } from 'zod';

const zCredentialResponse = z
  .object({
    id: z.string().min(1).max(1024),
    rawId: z.string().max(1024),
    type: z.literal('public-key'),
    response: z.record(z.string(), z.unknown()),
  })
  .passthrough();

export const zEmptyBody = z.union([z.null(), z.strictObject({})]);
export const zCode = z.string().trim().min(8, 'is required').max(64);
export const zMemberName = z
  .string()
  .trim()
  .min(1, 'is required')
  .max(80, 'must be at most 80 characters')
  .refine((value) => !/[\u0000-\u001f<>]/.test(value), { message: 'must be plain text' });

export const zJoinOptionsBody = z.strictObject({ code: zCode, name: zMemberName });
export const zJoinVerifyBody = z.strictObject({ code: zCode, name: zMemberName, response: zCredentialResponse });
export const zSignInVerifyBody = z.strictObject({ response: zCredentialResponse });

export const zSignedIn = z.object({ member: z.object({ name: z.string(), role: z.enum(['viewer', 'admin']) }) });
export type SignedInResponse = z.infer<typeof zSignedIn>;
