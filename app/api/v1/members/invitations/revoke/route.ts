import { defineRoute } from '@/lib/api/define-route';
import { revokeInvitation } from '@/lib/auth/members-service';
import { zIdBody, zMembersQuery, zRevoked } from '@/lib/contracts/members';

export const dynamic = 'force-dynamic';

/** Revoke an unused invitation. */
export const POST = defineRoute({
  name: 'members-invitations-revoke',
  path: '/api/v1/members/invitations/revoke',
  summary: 'Revoke an invitation that has not been used; `revoked` is false when it was already used, revoked or expired.',
  access: 'admin',
  errors: [404, 409],
  query: zMembersQuery,
  body: zIdBody,
  response: zRevoked,
  handler: async ({ body }, { principal }) => revokeInvitation(principal, body.id),
});
