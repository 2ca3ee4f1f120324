/** The stage-gate decision log (migration 0004), newest first. */
import { z } from 'zod';
import { defineQuery } from '@/lib/query';
import { sql } from '@/lib/sql';

export const zStageDecisionRow = z.object({
  id: z.string(),
  decidedAt: z.string(),
  action: z.enum(['advance', 'hold', 'roll_back']),
  fromStage: z.number().int().min(1).max(5),
  toStage: z.number().int().min(1).max(5),
  actor: z.string(),
  reason: z.string(),
});
export type StageDecisionRow = z.infer<typeof zStageDecisionRow>;

export const gateStageDecisions = defineQuery({
  name: 'gate-stage-decisions',
  params: z.object({ limit: z.number().int().min(1).max(10_000) }),
  row: zStageDecisionRow,
  sql: sql`
    SELECT id, decided_at AS decidedAt, action, from_stage AS fromStage, to_stage AS toStage, actor, reason
    FROM stage_decisions
    ORDER BY decided_at DESC, id DESC
    LIMIT {limit:UInt32}
  `.text,
});
