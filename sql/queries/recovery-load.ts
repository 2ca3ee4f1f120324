/**
 * Recovery load over W: |A(W)| and, per method, the recoveries started in W and what became of them.
 * The route derives load = started ÷ |A(W)| × 1,000 ÷ days in W and completion = completed ÷ started.
 */
import { z } from 'zod';
import { defineQuery } from '@/lib/query';
import { sql } from '@/lib/sql';
import { ACTIVE_SIGN_INS, RECOVERIES } from './recovery-flows';
import { zWindowFilterParams } from './shared';

const count = z.number().int().nonnegative();

export const zRecoveryLoadRow = z.object({
  activeUsers: count,
  /** [method, started, completed, failed, abandoned] per method. */
  methods: z.array(z.tuple([z.string(), count, count, count, count])),
});
export type RecoveryLoadRow = z.infer<typeof zRecoveryLoadRow>;

export const recoveryLoad = defineQuery({
  name: 'recovery-load',
  params: zWindowFilterParams,
  row: zRecoveryLoadRow,
  sql: sql`
    WITH ${RECOVERIES}, ${ACTIVE_SIGN_INS}
    SELECT
      (SELECT uniqExact(active_user) FROM active_sign_ins) AS activeUsers,
      (SELECT groupArray((method, started, completed, failed, abandoned))
       FROM (
         SELECT method, count() AS started, countIf(outcome = 'completed') AS completed,
                countIf(outcome = 'failed') AS failed, countIf(outcome = 'abandoned') AS abandoned
         FROM recoveries
         GROUP BY method
       )) AS methods
  `.text,
});
