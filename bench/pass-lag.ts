/**
 * `NODE_OPTIONS=--conditions=react-server npx tsx bench/pass-lag.ts [--data DIR] [--lags 20000,60000,120000] [--runs 3]`:
 * what a read costs more for every event the state pass has not seen yet. Readers are exact
 * whatever the passes have done: each regroups from raw events the ceremonies and flows with an
 * event received since the last pass's watermark (sql/README.md, "Ceremony state"), so the longer a
 * pass rests, the more every read regroups. On a fresh copy of a benchmark population (default the
 * 10 M one; the copy is removed afterwards), for each lag: events of the last day copied with fresh
 * flow and ceremony ids and received now (the pass has not seen them), three reads timed — sign-in
 * journeys, a link's flows and the Overview (28 days) — then one pass, and the reads again.
 * No app runs; one process, nothing else should run beside it.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { runCeremonyStatePass } from '../lib/ceremony-states';
import { storage } from '../lib/clickhouse';
import { journeyFlowsResponse, journeysResponse } from '../lib/metrics/journeys';
import { overviewResponse } from '../lib/metrics/overview';
import { copyDir } from './api/population-storage';
import { openBenchStore } from './open-store';

const { values } = parseArgs({
  options: {
    data: { type: 'string', default: '.bench-data/api-10000000/population' },
    lags: { type: 'string', default: '20000,60000,120000' },
    runs: { type: 'string', default: '3' },
  },
});
const RUNS = Number(values.runs);
const DAY = 86_400_000;
const NO_FILTERS = { deviceClass: [], os: [], browser: [], provider: [], credentialKind: [], riskTier: [], variant: [] };

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-pass-lag-'));
copyDir(path.resolve(values.data), dir);
const bench = await openBenchStore(dir);
try {
  const reads = (): Array<[string, () => Promise<unknown>]> => {
    const to = new Date();
    const window = { from: new Date(to.getTime() - 28 * DAY), to, tz: 'UTC', ...NO_FILTERS };
    return [
      ['sign-in journeys', () => journeysResponse({ ...window, kind: 'sign_in' } as Parameters<typeof journeysResponse>[0])],
      [
        'a link’s flows',
        () =>
          journeyFlowsResponse({
            ...window,
            kind: 'sign_in',
            depth: 0,
            source: 'passkey_button',
            target: 'prompt_ok',
            limit: 50,
          } as Parameters<typeof journeyFlowsResponse>[0]),
      ],
      ['overview', () => overviewResponse({ ...window } as Parameters<typeof overviewResponse>[0])],
    ];
  };
  const timeReads = async (label: string) => {
    const cells: string[] = [];
    for (const [name, read] of reads()) {
      const times: number[] = [];
      for (let i = 0; i < RUNS; i += 1) {
        const started = performance.now();
        await read();
        times.push(Math.round(performance.now() - started));
      }
      cells.push(`${name} ${times.join(' ')}`);
    }
    console.log(`| ${label} | ${cells.join(' | ')} |`);
  };
  const { client } = storage();
  await timeReads('nothing unseen');
  for (const lag of values.lags.split(',').map(Number)) {
    await client.command({
      query: `INSERT INTO ceremony_events
        SELECT * REPLACE (concat(flow_id, '-lag${lag}') AS flow_id, concat(ceremony_id, '-lag${lag}') AS ceremony_id,
                          now64(3) AS received_at, timestamp + INTERVAL 1 HOUR AS timestamp)
        FROM ceremony_events WHERE timestamp >= now64(3) - INTERVAL 26 HOUR AND timestamp < now64(3) - INTERVAL 2 HOUR
        LIMIT ${lag}`,
    });
    await timeReads(`${lag.toLocaleString('en')} events unseen`);
    const pass = await runCeremonyStatePass(bench.store.stateClient);
    await timeReads(`after a pass (${pass.ms} ms)`);
  }
} finally {
  await bench.close();
  fs.rmSync(dir, { recursive: true, force: true });
}
