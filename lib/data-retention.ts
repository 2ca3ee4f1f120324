/**
 * Data retention (issue 10, docs/security.md "Retention"): with RETENTION_DAYS set, every table
 * that holds users' data keeps it that many days — the raw events, the ceremony and flow state
 * derived from them, the credential state and each user's state kept by day (lib/user-day-tables.ts),
 * on the same horizon — through ClickHouse TTLs, so the engine drops expired rows as it
 * merges. Quarantine keeps its own, shorter 14 days (or RETENTION_DAYS if that is shorter).
 * Bookkeeping without personal data (migrations, state versions, decisions, erasures, alert
 * history) is not touched.
 *
 * Applied at start, after the migrations: a table whose TTL already says the same is left alone
 * (changing a TTL rewrites the table's parts once), so restarts cost nothing; unsetting the
 * variable removes the TTLs again.
 */
import type { ClickHouseClient } from '@clickhouse/client';
import { USER_DAY_TABLES } from './user-day-tables';

export const QUARANTINE_DAYS = 14;

interface RetainedTable {
  table: string;
  /** The DateTime a row expires from (plus the horizon). */
  expiresFrom: string;
  /** A fixed horizon that applies when RETENTION_DAYS is unset or longer. */
  ownDays?: number;
}

export const RETAINED_TABLES: readonly RetainedTable[] = [
  { table: 'ceremony_events', expiresFrom: 'toDateTime(timestamp)' },
  { table: 'ceremony_states', expiresFrom: 'hour' },
  { table: 'flow_states', expiresFrom: 'hour' },
  // no user ids, but counts of users' flows: it expires with the flows it counts
  { table: 'flow_rollups', expiresFrom: 'hour' },
  // A credential stays while anything of it is within the horizon: its newest registration, use or deletion.
  {
    table: 'credentials',
    expiresFrom:
      "toDateTime(greatest(ifNull(registered_at, toDateTime64(0, 3, 'UTC')), ifNull(last_used_at, toDateTime64(0, 3, 'UTC')), ifNull(deleted_at, toDateTime64(0, 3, 'UTC'))))",
  },
  // A user's day (on a device class, in a variant, by a sign-in method) stays while any event of that day does (its last one).
  ...USER_DAY_TABLES.map((table) => ({ table, expiresFrom: 'toDateTime(last_at)' })),
  { table: 'quarantine', expiresFrom: 'toDateTime(received_at)', ownDays: QUARANTINE_DAYS },
];

/** The TTL clause a table should have, or null for none. */
export function ttlFor(table: RetainedTable, retentionDays: number | undefined): string | null {
  const days = Math.min(retentionDays ?? Infinity, table.ownDays ?? Infinity);
  return Number.isFinite(days) ? `${table.expiresFrom} + toIntervalDay(${days})` : null;
}

/** Normalizes a TTL as ClickHouse prints it in `engine_full`, or as written here, for comparison. */
export function normalizeTtl(text: string): string {
  return text
    .replace(/\s+DELETE\s*$/i, '')
    .replace(/INTERVAL\s+(\d+)\s+DAY/gi, 'toIntervalDay($1)')
    .replace(/[\s`]+/g, '')
    .toLowerCase();
}

/** The TTL in a table's `engine_full`, or null. */
export function currentTtl(engineFull: string): string | null {
  const match = /\bTTL\s+([\s\S]*?)(?:\s+SETTINGS\s|$)/.exec(engineFull);
  return match?.[1]?.trim() ?? null;
}

export interface RetentionChange {
  table: string;
  ttl: string | null;
}

/**
 * Sets each retained table's TTL to what RETENTION_DAYS asks (on a cluster, on every shard's local
 * table). Returns the tables it changed.
 */
export async function applyRetention(
  client: ClickHouseClient,
  retentionDays: number | undefined,
  cluster?: string,
): Promise<RetentionChange[]> {
  const suffix = cluster ? '_local' : '';
  const onCluster = cluster ? `ON CLUSTER \`${cluster}\`` : '';
  const rows = await (
    await client.query({
      query: 'SELECT name, engine_full FROM system.tables WHERE database = currentDatabase() AND name IN {names:Array(String)}',
      query_params: { names: RETAINED_TABLES.map(({ table }) => table + suffix) },
      format: 'JSONEachRow',
    })
  ).json<{ name: string; engine_full: string }>();
  const engines = new Map(rows.map((row) => [row.name, row.engine_full]));
  const changes: RetentionChange[] = [];
  for (const table of RETAINED_TABLES) {
    const name = table.table + suffix;
    const engine = engines.get(name);
    if (engine === undefined) continue;
    const wanted = ttlFor(table, retentionDays);
    const current = currentTtl(engine);
    if ((wanted === null && current === null) || (wanted !== null && current !== null && normalizeTtl(wanted) === normalizeTtl(current)))
      continue;
    const statement = wanted === null ? 'REMOVE TTL' : `MODIFY TTL ${wanted}`;
    await client.command({ query: `ALTER TABLE ${name} ${onCluster} ${statement}` });
    changes.push({ table: table.table, ttl: wanted });
  }
  return changes;
}
