import { defineRoute } from '@/lib/api/define-route';
import { auditLog } from '@/lib/auth/audit';
import { zAuditQuery, zAuditResponse } from '@/lib/contracts/members';

export const dynamic = 'force-dynamic';

/** The audit log, newest first. */
export const GET = defineRoute({
  name: 'audit',
  path: '/api/v1/audit',
  summary: 'The audit log, newest first: sign-ins, invitations, member changes, exports, stage decisions, alert silences and erasures.',
  parameters: {
    before: 'Entries before this sequence number (page back with the last `seq` seen).',
    action: 'Only entries of this action.',
  },
  access: 'admin',
  query: zAuditQuery,
  response: zAuditResponse,
  handler: async ({ query }) => ({ entries: auditLog(query) }),
});
