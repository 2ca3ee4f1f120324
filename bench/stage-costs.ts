/**
 * `NODE_OPTIONS=--conditions=react-server npx tsx bench/stage-costs.ts [DATA_DIR] [--trend 0] [--runs 2] [--serial] [--phase-out 12] [--experiment control-variant]`:
 * where a stage-gate evaluation's time goes on an existing store (stop the app first: one process
 * per data directory). Runs the evaluation of the configuration in force, as the page does, with a
 * query runner that records every query it asks (name, parameters, milliseconds), `--runs` times,
 * each without answers shared from the run before (only the engine's own caches are warm); prints
 * the total and the queries by cost. `--phase-out N` then times stage 4 over time for N weeks
 * (GET /api/v1/stages/phase-out's service) twice: cold, and again from the stage-gate query cache;
 * `--experiment V` the rollout experiment of the demo's flag (`passkey-rollout`) with V as control.
 * The `react-server` condition lets the server-only modules load outside Next.
 */
import { parseArgs } from 'node:util';
import { runQuery } from '../lib/query';
import { loadRolloutConfig } from '../lib/stage-gates/config';
import { evaluateStages, evaluationTime } from '../lib/stage-gates/evaluate';
import { createStorageMeasurer } from '../lib/stage-gates/measure';
import { compareExperiment } from '../lib/stage-gates/experiment';
import { phaseOutSeries } from '../lib/stage-gates/phase-out';
import { concurrencyLimit } from '../lib/stage-gates/query-cache';
import { openBenchStore } from './open-store';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    trend: { type: 'string', default: '0' },
    runs: { type: 'string', default: '2' },
    serial: { type: 'boolean', default: false },
    'phase-out': { type: 'string' },
    experiment: { type: 'string' },
  },
});
const bench = await openBenchStore(positionals[0]);

const config = loadRolloutConfig();
// --serial: one query at a time, so each figure is that query's own cost.
const limit = concurrencyLimit(values.serial ? 1 : 1000);
const to = evaluationTime();
for (let run = 1; run <= Number(values.runs); run += 1) {
  const asked = new Map<string, Promise<unknown[]>>();
  const costs: Array<{ name: string; ms: number }> = [];
  const runner = ((query: Parameters<typeof runQuery>[0], params: unknown) => {
    const key = `${query.name}:${JSON.stringify(params)}`;
    let result = asked.get(key);
    if (!result) {
      result = limit(async () => {
        const started = performance.now();
        const rows = await runQuery(query, params as never);
        costs.push({ name: query.name, ms: performance.now() - started });
        return rows;
      });
      asked.set(key, result);
    }
    return result;
  }) as typeof runQuery;
  const started = performance.now();
  await evaluateStages({
    config,
    decisions: [],
    to,
    stateAt: to,
    trendWindows: Number(values.trend),
    measurer: createStorageMeasurer(runner),
  });
  const total = performance.now() - started;
  const byName = new Map<string, { count: number; ms: number; max: number }>();
  for (const { name, ms } of costs) {
    const entry = byName.get(name) ?? { count: 0, ms: 0, max: 0 };
    byName.set(name, { count: entry.count + 1, ms: entry.ms + ms, max: Math.max(entry.max, ms) });
  }
  console.log(`run ${run}: trend ${values.trend}, ${costs.length} distinct queries, ${total.toFixed(0)} ms wall`);
  console.log('| query | count | sum ms | max ms |\n|---|---:|---:|---:|');
  for (const [name, entry] of [...byName].sort((a, b) => b[1].ms - a[1].ms)) {
    console.log(`| ${name} | ${entry.count} | ${entry.ms.toFixed(0)} | ${entry.max.toFixed(0)} |`);
  }
}
if (values['phase-out']) {
  const weeks = Number(values['phase-out']);
  for (const pass of ['cold', 'from the query cache']) {
    const started = performance.now();
    const series = await phaseOutSeries(to, weeks);
    console.log(`phase-out, ${weeks} weeks (${series.weeks.length} points), ${pass}: ${(performance.now() - started).toFixed(0)} ms`);
  }
}
if (values.experiment) {
  const withExperiment = { ...config, experiment: { flag: 'passkey-rollout', control: values.experiment } };
  const started = performance.now();
  const answer = await compareExperiment(withExperiment, to, createStorageMeasurer());
  const compared = answer.configured ? answer.comparisons.length : 0;
  console.log(
    `experiment (control ${values.experiment}), ${compared} criteria compared, cold: ${(performance.now() - started).toFixed(0)} ms`,
  );
}
await bench.close();
