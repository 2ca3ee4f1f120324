/**
 * The evidence snapshots of stage decisions (migration 0012, `stage_decision_snapshots`): which
 * decisions have one (for the decision log's links) and one decision's snapshot (JSON text).
 */
import { z } from 'zod';
import { defineQuery } from '@/lib/query';
import { sql } from '@/lib/sql';

export const gateDecisionSnapshotIds = defineQuery({
  name: 'gate-decision-snapshot-ids',
  params: z.object({ limit: z.number().int().min(1).max(10_000) }),
  row: z.object({ decisionId: z.string() }),
  sql: sql`
    SELECT DISTINCT decision_id AS decisionId
    FROM stage_decision_snapshots
    ORDER BY decisionId
    LIMIT {limit:UInt32}
  `.text,
});

export const gateDecisionSnapshot = defineQuery({
  name: 'gate-decision-snapshot',
  params: z.object({ decisionId: z.string() }),
  row: z.object({ decisionId: z.string(), snapshot: z.string() }),
  sql: sql`
    SELECT decision_id AS decisionId, snapshot
    FROM stage_decision_snapshots
    WHERE decision_id = {decisionId:String}
    ORDER BY evaluated_at DESC
    LIMIT 1
  `.text,
});
