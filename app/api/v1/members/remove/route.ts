import { defineRoute } from '@/lib/api/define-route';
import { removeMember } from '@/lib/auth/members-service';
import { zIdBody, zMemberChange, zMembersQuery } from '@/lib/contracts/members';

export const dynamic = 'force-dynamic';

/** Remove a member: their passkeys go and their sessions end at once. */
export const POST = defineRoute({
  name: 'members-remove',
  path: '/api/v1/members/remove',
  summary:
    'Remove a member: their passkeys are deleted and every session of theirs ends at once. The last administrator stays (409 `last_admin`).',
  access: 'admin',
  errors: [404, 409],
  query: zMembersQuery,
  body: zIdBody,
  response: zMemberChange,
  handler: async ({ body }, { principal }) => removeMember(principal, body.id),
});
