import { defineRoute } from '@/lib/api/define-route';
import { listMembers } from '@/lib/auth/members-service';
import { zMembersQuery, zMembersResponse } from '@/lib/contracts/members';

export const dynamic = 'force-dynamic';

/** The members, their passkeys and sessions, and the invitations made. */
export const GET = defineRoute({
  name: 'members',
  path: '/api/v1/members',
  summary:
    'The dashboard members with their role, passkeys and live sessions, and every invitation made (pending, used, revoked, expired).',
  description: 'Needs an administrator or an admin token. Without PUBLIC_URL nobody signs in: `signIn` is false and the lists are empty.',
  access: 'admin',
  query: zMembersQuery,
  response: zMembersResponse,
  handler: async (_input, { principal }) => listMembers(principal),
});
