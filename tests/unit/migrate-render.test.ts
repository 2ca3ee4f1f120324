import { describe, expect, it } from 'vitest';
import { loadMigrations, renderStatements } from '@/lib/migrate';

describe('migration rendering', () => {
  const migrations = loadMigrations();

  it('finds the numbered migrations in order', () => {
    expect(migrations.map((m) => m.version)).toEqual([...migrations.map((m) => m.version)].sort((a, b) => a - b));
    expect(migrations[0]?.name).toBe('0001_ceremony_events');
  });

  it('renders single-node DDL without cluster statements or placeholders', () => {
    for (const migration of migrations) {
      for (const statement of renderStatements(migration.sql, undefined)) {
        expect(statement).not.toMatch(/\$\{|ON CLUSTER|Distributed|Replicated|_local/);
      }
    }
    const events = renderStatements(migrations[0]!.sql, undefined);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatch(/CREATE TABLE IF NOT EXISTS ceremony_events\s+\(/);
    expect(events[0]).toMatch(/ENGINE = MergeTree/);
  });

  it('renders the cluster variant: replicated local tables on every node and a Distributed table', () => {
    const events = renderStatements(migrations[0]!.sql, 'analytics');
    expect(events).toHaveLength(2);
    expect(events[0]).toMatch(/CREATE TABLE IF NOT EXISTS ceremony_events_local ON CLUSTER `analytics`/);
    expect(events[0]).toMatch(/ENGINE = ReplicatedMergeTree/);
    expect(events[1]).toMatch(/CREATE TABLE IF NOT EXISTS ceremony_events ON CLUSTER `analytics` AS ceremony_events_local/);
    expect(events[1]).toMatch(/ENGINE = Distributed\('analytics', currentDatabase\(\), ceremony_events_local, cityHash64\(user_id\)\)/);
    const credentials = renderStatements(migrations[1]!.sql, 'analytics');
    expect(
      credentials.some((s) => /MATERIALIZED VIEW IF NOT EXISTS credentials_mv_local ON CLUSTER `analytics` TO credentials_local/.test(s)),
    ).toBe(true);
    expect(credentials.some((s) => /FROM ceremony_events_local/.test(s))).toBe(true);
    expect(credentials.some((s) => /ReplicatedAggregatingMergeTree/.test(s))).toBe(true);
  });

  it('renders the flow rollups for both topologies, emptying both states for the rebuild', () => {
    const rollups = migrations.find((m) => m.name === '0015_flow_rollups')!;
    const single = renderStatements(rollups.sql, undefined);
    expect(single[0]).toMatch(/CREATE TABLE IF NOT EXISTS flow_rollups\s+\(/);
    expect(single[0]).toMatch(/ENGINE = MergeTree\s+PARTITION BY toYYYYMM\(hour\)\s+ORDER BY \(kind, hour, version\)/);
    expect(single.filter((s) => /^TRUNCATE/m.test(s.replace(/^--.*\n/gm, '')))).toHaveLength(3);
    const cluster = renderStatements(rollups.sql, 'analytics');
    expect(cluster[0]).toMatch(/CREATE TABLE IF NOT EXISTS flow_rollups_local ON CLUSTER `analytics`/);
    expect(cluster[0]).toMatch(/ENGINE = ReplicatedMergeTree/);
    expect(cluster[1]).toMatch(
      /CREATE TABLE IF NOT EXISTS flow_rollups ON CLUSTER `analytics` AS flow_rollups_local\s+ENGINE = Distributed\('analytics', currentDatabase\(\), flow_rollups_local, toUInt64\(hour\)\)/,
    );
    for (const table of ['ceremony_states', 'flow_states', 'ceremony_state_commits'])
      expect(cluster.some((s) => s.includes(`TRUNCATE TABLE IF EXISTS ${table}_local ON CLUSTER \`analytics\``))).toBe(true);
  });

  it.each([
    ['0016_user_device_days', 'user_device_days', 'user_id, device_class, day'],
    ['0017_variant_exposures', 'variant_exposures', 'variant, user_id, day'],
    ['0018_user_sign_in_days', 'user_sign_in_days', 'auth_method, user_id, environment, day'],
  ])("renders %s: per-user state with its view, on the user's shard on a cluster, filled once", (name, table, key) => {
    const migration = migrations.find((m) => m.name === name)!;
    const single = renderStatements(migration.sql, undefined);
    expect(single).toHaveLength(3);
    expect(single[0]).toMatch(new RegExp(`CREATE TABLE IF NOT EXISTS ${table}\\s+\\(`));
    expect(single[0]).toMatch(new RegExp(`ENGINE = AggregatingMergeTree\\s+ORDER BY \\(${key}\\)`));
    expect(single[1]).toMatch(new RegExp(`CREATE MATERIALIZED VIEW IF NOT EXISTS ${table}_mv\\s+TO ${table}\\s`));
    expect(single[1]).toMatch(/FROM ceremony_events\s/);
    expect(single[2]).toContain(`INSERT INTO ${table} (`);
    const cluster = renderStatements(migration.sql, 'analytics');
    expect(cluster).toHaveLength(4);
    expect(cluster[0]).toContain(`CREATE TABLE IF NOT EXISTS ${table}_local ON CLUSTER \`analytics\``);
    expect(cluster[0]).toMatch(/ENGINE = ReplicatedAggregatingMergeTree/);
    expect(cluster[1]).toContain(`${table}_mv_local ON CLUSTER \`analytics\` TO ${table}_local`);
    expect(cluster[1]).toMatch(/FROM ceremony_events_local\s/);
    // sharded as the events are, so a user's state sits beside the user's events
    expect(cluster[2]).toContain(`ENGINE = Distributed('analytics', currentDatabase(), ${table}_local, cityHash64(user_id))`);
    // the backfill goes through the Distributed tables: every shard's events, each row to its user's shard
    expect(cluster[3]).toMatch(new RegExp(`INSERT INTO ${table} \\([^)]*\\)\\s+SELECT[\\s\\S]*FROM ceremony_events\\s`));
  });

  it('refuses an unknown placeholder', () => {
    expect(() => renderStatements('CREATE TABLE x${NOPE} (a UInt8) ENGINE = Memory', undefined)).toThrow(/Unknown migration placeholder/);
  });
});
