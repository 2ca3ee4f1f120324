/**
 * `npx tsx bench/state-deletes.ts [DATA_DIR] [--rounds 3]`: what a lightweight DELETE on the state
 * tables costs the state pass, waited for (`lightweight_deletes_sync` 2, the default) and not
 * (0, what the pass does since 2026-12-07), on an existing store (stop the app first). Each DELETE
 * names an hour and `version < 0`, so it deletes nothing: the figure is the mutation's fixed cost.
 * For the not-waited one it also reports when the mutation was done.
 */
import { parseArgs } from 'node:util';
import { openBenchStore } from './open-store';

const { values, positionals } = parseArgs({ allowPositionals: true, options: { rounds: { type: 'string', default: '3' } } });
const bench = await openBenchStore(positionals[0]);
const client = bench.store.stateClient;

async function rows<T>(query: string): Promise<T[]> {
  return (await client.query({ query, format: 'JSONEachRow' })).json<T>();
}

async function pendingMutations(table: string): Promise<number> {
  const [row] = await rows<{ n: string }>(
    `SELECT count() AS n FROM system.mutations WHERE database = currentDatabase() AND table = '${table}' AND NOT is_done`,
  );
  return Number(row?.n);
}

const parts = await rows<{ table: string; parts: string; n: string }>(
  `SELECT table, count() AS parts, sum(rows) AS n FROM system.parts
   WHERE active AND database = currentDatabase() AND table IN ('ceremony_states', 'flow_states') GROUP BY table ORDER BY table`,
);
for (const row of parts) console.log(`${row.table}: ${row.parts} active parts, ${row.n} rows`);
const hours = await rows<{ hour: string }>(
  `SELECT toString(h) AS hour FROM (SELECT hour AS h FROM ceremony_state_commits WHERE h > toDateTime(0, 'UTC') GROUP BY h ORDER BY h DESC LIMIT ${Number(values.rounds) * 2})`,
);
console.log('| table | waited for | returned after, ms | mutation done after, ms |');
console.log('|---|---|---:|---:|');
let next = 0;
for (let round = 0; round < Number(values.rounds); round += 1) {
  for (const sync of ['2', '0']) {
    for (const table of ['ceremony_states', 'flow_states']) {
      const hour = hours[next++ % hours.length]?.hour ?? '1970-01-02 00:00:00';
      const started = Date.now();
      await client.command({
        query: `DELETE FROM ${table} WHERE hour = toDateTime({hour:String}, 'UTC') AND version < 0`,
        query_params: { hour },
        clickhouse_settings: { lightweight_deletes_sync: sync },
      });
      const returned = Date.now() - started;
      while ((await pendingMutations(table)) > 0) await new Promise((resolve) => setTimeout(resolve, 50));
      console.log(`| ${table} | ${sync === '0' ? 'no' : 'yes'} | ${returned} | ${Date.now() - started} |`);
    }
  }
}
await bench.close();
