import { actorOf } from '@/lib/api/auth';
import { audit } from '@/lib/auth/audit';
import { defineRoute } from '@/lib/api/define-route';
import { storage } from '@/lib/clickhouse';
import { zErasure, zErasureBody, zErasureQuery, zErasuresQuery, zErasuresResponse } from '@/lib/contracts/privacy';
import { eraseUser, listErasures } from '@/lib/privacy/erasure';

export const dynamic = 'force-dynamic';

/** Erase one user's data from every table, and remember the erasure. */
export const POST = defineRoute({
  name: 'erasures-create',
  path: '/api/v1/erasures',
  summary: "Erase one user's data everywhere (raw events, ceremony and credential state, quarantine) and remember the erasure.",
  description:
    "Needs an admin token when API_TOKENS or ADMIN_TOKENS is set. Removes the user's events and the anonymous events of their " +
    'ceremonies and sign-in flows, and reports what it removed; afterwards ingest refuses their records dated up to the erasure ' +
    '(a retried batch cannot bring them back). Erasing again is safe and removes whatever arrived since.',
  access: 'admin',
  query: zErasureQuery,
  body: zErasureBody,
  response: zErasure,
  handler: async ({ body }, { principal }) => {
    const erasure = await eraseUser(storage().client, body.userId, actorOf(principal));
    audit(principal, 'erasure', body.userId, { removed: erasure.removed });
    return erasure;
  },
});

/** The erasures made, newest first. */
export const GET = defineRoute({
  name: 'erasures',
  path: '/api/v1/erasures',
  summary: 'The erasures made, newest first, with what each removed.',
  description: 'Needs an admin token when API_TOKENS or ADMIN_TOKENS is set: the list names erased users.',
  access: 'admin',
  query: zErasuresQuery,
  response: zErasuresResponse,
  handler: async ({ query }) => ({ erasures: await listErasures(storage().client, query.limit) }),
});
