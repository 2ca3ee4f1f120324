/**
 * Passkey holders H(to): users holding at `to` a live credential (registered at or before `to`,
 * not deleted before it), from each credential's full history — active in the window or not.
 */
import { z } from 'zod';
import { defineQuery } from '@/lib/query';
import { sql } from '@/lib/sql';
import { HOLDERS_AT_TO, HOLDER_CREDENTIALS, zCoreParams } from './core-metric-fragments';
import { CREDENTIAL_STATES } from './shared';

export const passkeyHolders = defineQuery({
  name: 'passkey-holders',
  params: zCoreParams,
  row: z.object({ holders: z.number().int().nonnegative() }),
  sql: sql`
    WITH ${CREDENTIAL_STATES}, ${HOLDER_CREDENTIALS}, ${HOLDERS_AT_TO}
    SELECT count() AS holders FROM holders_at_to
  `.text,
});
