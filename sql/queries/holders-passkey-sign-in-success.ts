/**
 * Passkey sign-in success (holders): the outcome counts of authentication ceremonies by users who
 * held a passkey at ceremony time; success rate = successes / (successes + failures).
 */
import { defineQuery } from '@/lib/query';
import { sql } from '@/lib/sql';
import {
  AUTH_CEREMONIES_WITH_HOLDER,
  HOLDER_CREDENTIALS,
  KEPT_CEREMONIES,
  OUTCOME_COUNTS,
  zCoreParams,
  zOutcomeCounts,
} from './core-metric-fragments';
import { CEREMONIES, CREDENTIAL_STATES } from './shared';

export const holdersPasskeySignInSuccess = defineQuery({
  name: 'holders-passkey-sign-in-success',
  params: zCoreParams,
  row: zOutcomeCounts,
  sql: sql`
    WITH ${CEREMONIES}, ${CREDENTIAL_STATES}, ${KEPT_CEREMONIES}, ${HOLDER_CREDENTIALS}, ${AUTH_CEREMONIES_WITH_HOLDER}
    SELECT ${OUTCOME_COUNTS}
    FROM auth_ceremonies_with_holder
    WHERE is_holder
  `.text,
});
