import { defineRoute } from '@/lib/api/define-route';
import { revokeSessions } from '@/lib/auth/members-service';
import { zIdBody, zMemberChange, zMembersQuery } from '@/lib/contracts/members';

export const dynamic = 'force-dynamic';

/** End every session of a member (a lost laptop). */
export const POST = defineRoute({
  name: 'members-sessions-revoke',
  path: '/api/v1/members/sessions/revoke',
  summary: 'End every session of a member at once (a lost or shared device); their passkeys stay.',
  access: 'admin',
  errors: [404, 409],
  query: zMembersQuery,
  body: zIdBody,
  response: zMemberChange,
  handler: async ({ body }, { principal }) => revokeSessions(principal, body.id),
});
