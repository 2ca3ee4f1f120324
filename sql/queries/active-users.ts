/** Active users A(W): distinct users with a successful auth.sign_in in the window (filters applied). */
import { z } from 'zod';
import { defineQuery } from '@/lib/query';
import { sql } from '@/lib/sql';
import { SIGN_INS, zCoreParams } from './core-metric-fragments';
import { FILTERED_EVENTS } from './shared';

export const activeUsers = defineQuery({
  name: 'active-users',
  params: zCoreParams,
  row: z.object({ activeUsers: z.number().int().nonnegative() }),
  sql: sql`
    WITH ${FILTERED_EVENTS}, ${SIGN_INS}
    SELECT count() AS activeUsers FROM active_users
  `.text,
});
