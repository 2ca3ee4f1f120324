import { defineRoute } from '@/lib/api/define-route';
import { invite } from '@/lib/auth/members-service';
import { zInvitationBody, zInvitationCreated, zMembersQuery } from '@/lib/contracts/members';

export const dynamic = 'force-dynamic';

/** A single-use invitation as viewer or admin. */
export const POST = defineRoute({
  name: 'members-invitations-create',
  path: '/api/v1/members/invitations',
  summary:
    'Invite a person as viewer or admin — or, with `memberId`, let an existing member add a passkey (another device): a single-use code (shown once) and its link, valid INVITATION_HOURS.',
  description:
    'Needs an administrator or an admin token, and PUBLIC_URL (409 `sign_in_not_configured` otherwise). Recorded in the audit log.',
  access: 'admin',
  errors: [404, 409],
  query: zMembersQuery,
  body: zInvitationBody,
  response: zInvitationCreated,
  status: 201,
  handler: async ({ body }, { principal }) => invite(principal, body.role, body.note, body.memberId),
});
