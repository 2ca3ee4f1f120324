/**
 * Migration runner over the numbered files in sql/migrations, recorded in `schema_migrations`.
 *
 * One file serves both topologies. Placeholders, resolved here and nowhere else:
 *   ${LOCAL}        ''                   | '_local'         (the replicated table on each shard)
 *   ${ON_CLUSTER}   ''                   | ON CLUSTER `name`
 *   ${REPLICATED}   ''                   | 'Replicated'     (ReplicatedMergeTree with server-default paths)
 *   ${CLUSTER_NAME} (unused)             | 'name'           (Distributed engine argument)
 * A statement whose comment says "cluster only" runs only against a cluster. Every statement is
 * idempotent (IF NOT EXISTS), so a run interrupted half-way is simply run again.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Storage } from './clickhouse';

export interface Migration {
  version: number;
  name: string;
  sql: string;
  checksum: string;
}

export interface MigrationReport {
  applied: string[];
  alreadyApplied: number;
  changedSinceApplied: string[];
}

export const MIGRATIONS_DIR = path.join(/*turbopackIgnore: true*/ process.cwd(), 'sql', 'migrations');

export function loadMigrations(dir = MIGRATIONS_DIR): Migration[] {
  return fs
    .readdirSync(dir)
    .filter((file) => /^\d{4}_[a-z0-9_]+\.sql$/.test(file))
    .sort()
    .map((file) => {
      const sql = fs.readFileSync(path.join(dir, file), 'utf8');
      return {
        version: Number(file.slice(0, 4)),
        name: file.replace(/\.sql$/, ''),
        sql,
        checksum: createHash('sha256').update(sql).digest('hex').slice(0, 16),
      };
    });
}

/** Resolve placeholders and split a migration into the statements this topology runs. */
export function renderStatements(sql: string, cluster: string | undefined): string[] {
  const vars: Record<string, string> = cluster
    ? { LOCAL: '_local', ON_CLUSTER: `ON CLUSTER \`${cluster}\``, REPLICATED: 'Replicated', CLUSTER_NAME: `'${cluster}'` }
    : { LOCAL: '', ON_CLUSTER: '', REPLICATED: '', CLUSTER_NAME: "''" };
  const rendered = sql.replace(/\$\{([A-Z_]+)\}/g, (match, name: string) => {
    const value = vars[name];
    if (value === undefined) throw new Error(`Unknown migration placeholder ${match}`);
    return value;
  });
  return rendered
    .split(/;\s*(?:\n|$)/)
    .map((chunk) => chunk.trim())
    .filter((chunk) => chunk.replace(/--[^\n]*/g, '').trim().length > 0)
    .filter((chunk) => cluster !== undefined || !/^--[^\n]*cluster only/im.test(chunk));
}

export async function migrate(store: Storage, dir = MIGRATIONS_DIR): Promise<MigrationReport> {
  const { client, cluster } = store;
  const onCluster = cluster ? `ON CLUSTER \`${cluster}\`` : '';
  const engine = cluster ? 'ReplicatedReplacingMergeTree' : 'ReplacingMergeTree';
  await client.command({
    query: `CREATE TABLE IF NOT EXISTS schema_migrations ${onCluster}
      (version UInt32, name String, checksum String, applied_at DateTime64(3, 'UTC') DEFAULT now64(3))
      ENGINE = ${engine} ORDER BY version`,
  });
  const done = await (
    await client.query({
      query: 'SELECT version, name, checksum FROM schema_migrations FINAL ORDER BY version',
      format: 'JSONEachRow',
    })
  ).json<{ version: number; name: string; checksum: string }>();
  const doneByVersion = new Map(done.map((row) => [Number(row.version), row]));

  const report: MigrationReport = { applied: [], alreadyApplied: 0, changedSinceApplied: [] };
  for (const migration of loadMigrations(dir)) {
    const previous = doneByVersion.get(migration.version);
    if (previous) {
      report.alreadyApplied += 1;
      if (previous.checksum !== migration.checksum) report.changedSinceApplied.push(migration.name);
      continue;
    }
    for (const statement of renderStatements(migration.sql, cluster)) {
      await client.command({ query: statement, clickhouse_settings: { log_comment: `migration:${migration.name}` } });
    }
    await client.insert({
      table: 'schema_migrations',
      values: [{ version: migration.version, name: migration.name, checksum: migration.checksum }],
      format: 'JSONEachRow',
    });
    report.applied.push(migration.name);
  }
  return report;
}
