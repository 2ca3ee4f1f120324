/**
 * Phishable recovery share (DESIGN.md section 4): of the recoveries started in W by users holding a
 * passkey when the recovery started (a credential registered at or before that moment and not
 * deleted before it, from the credential's full history; registered in the environments read),
 * those via sms_code, email_code, email_magic_link or support_agent_override. Rows per method,
 * holders and non-holders apart.
 */
import { z } from 'zod';
import { defineQuery } from '@/lib/query';
import { sql } from '@/lib/sql';
import { PHISHABLE_RECOVERY_METHODS } from '@/lib/vocabulary';
import { RECOVERIES } from './recovery-flows';
import { CREDENTIAL_IN_ENVIRONMENT, CREDENTIAL_STATES, LIVE_AT, zWindowFilterParams } from './shared';

export const zPhishableRecoveryRow = z.object({
  method: z.string(),
  phishable: z.boolean(),
  holderRecoveries: z.number().int().nonnegative(),
  nonHolderRecoveries: z.number().int().nonnegative(),
});
export type PhishableRecoveryRow = z.infer<typeof zPhishableRecoveryRow>;

export const phishableRecoveryShare = defineQuery({
  name: 'phishable-recovery-share',
  params: zWindowFilterParams.extend({ phishableMethods: z.array(z.string()).default([...PHISHABLE_RECOVERY_METHODS]) }),
  row: zPhishableRecoveryRow,
  sql: sql`
    WITH ${RECOVERIES}, ${CREDENTIAL_STATES},
    recovery_holding AS (
      SELECT r.recovery_key AS recovery_key, r.user_id AS user_id, r.method AS method,
             countIf(${LIVE_AT(sql`r.started_at`)}) > 0 AS holder
      FROM recoveries AS r
      LEFT JOIN (SELECT * FROM credential_states WHERE ${CREDENTIAL_IN_ENVIRONMENT}) AS cs ON cs.user_id = r.user_id
      GROUP BY r.recovery_key, r.user_id, r.method
    )
    SELECT method, toBool(has({phishableMethods:Array(String)}, method)) AS phishable,
           countIf(holder) AS holderRecoveries, countIf(NOT holder) AS nonHolderRecoveries
    FROM recovery_holding
    GROUP BY method
    ORDER BY holderRecoveries DESC, method
  `.text,
});
