/** Credentials live at `to` by kind (synced / device_bound / unknown), from each credential's full history. */
import { z } from 'zod';
import { defineQuery } from '@/lib/query';
import { sql } from '@/lib/sql';
import { HOLDER_CREDENTIALS, TO, zCoreParams } from './core-metric-fragments';
import { CREDENTIAL_STATES, LIVE_AT } from './shared';

export const liveCredentialsByKind = defineQuery({
  name: 'live-credentials-by-kind',
  params: zCoreParams,
  row: z.object({ credentialKind: z.string(), liveCredentials: z.number().int().nonnegative() }),
  sql: sql`
    WITH ${CREDENTIAL_STATES}, ${HOLDER_CREDENTIALS}
    SELECT credential_kind AS credentialKind, count() AS liveCredentials
    FROM holder_credentials
    WHERE ${LIVE_AT(TO)}
    GROUP BY credentialKind
    ORDER BY credentialKind
  `.text,
});
