import { defineRoute } from '@/lib/api/define-route';
import { changeRole } from '@/lib/auth/members-service';
import { zMemberChange, zMembersQuery, zRoleBody } from '@/lib/contracts/members';

export const dynamic = 'force-dynamic';

/** Make a member a viewer or an administrator; their sessions end, the new role applies at their next sign-in. */
export const POST = defineRoute({
  name: 'members-role',
  path: '/api/v1/members/role',
  summary:
    "Change a member's role; their sessions end so the new role applies from their next sign-in. The last administrator stays one (409).",
  access: 'admin',
  errors: [404, 409],
  query: zMembersQuery,
  body: zRoleBody,
  response: zMemberChange,
  handler: async ({ body }, { principal }) => changeRole(principal, body.id, body.role),
});
