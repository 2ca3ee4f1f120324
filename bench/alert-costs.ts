/**
 * `NODE_OPTIONS=--conditions=react-server npx tsx bench/alert-costs.ts [DATA_DIR] [--runs 3]`: what one
 * alert evaluation costs on an existing store (stop the app first: one process per data directory).
 * Times every enabled rule of the configuration in force on its own (its reads, no sharing between
 * rules), then whole evaluations as the scheduler runs them (rules in order, shared reads, states
 * stored, no webhook configured). The `react-server` condition lets the server-only modules load
 * outside Next. docs/performance.md has the figures.
 */
import { parseArgs } from 'node:util';
import { alertRulesOf } from '../lib/alerts/config';
import { evaluateAlertsOnce } from '../lib/alerts/evaluator';
import { TERM_MS } from '../lib/alerts/lease';
import { observe } from '../lib/alerts/rules';
import { loadRolloutConfig } from '../lib/stage-gates/config';
import { openBenchStore } from './open-store';

const { values, positionals } = parseArgs({ allowPositionals: true, options: { runs: { type: 'string', default: '3' } } });
const bench = await openBenchStore(positionals[0]);

const config = loadRolloutConfig();
const runs = Number(values.runs);
const median = (times: number[]) => [...times].sort((a, b) => a - b)[Math.floor(times.length / 2)]!;
console.log('| rule | kind | series | best ms | median ms |\n|---|---|---:|---:|---:|');
for (const rule of alertRulesOf(config).filter((candidate) => candidate.enabled)) {
  const times: number[] = [];
  let series = 0;
  for (let run = 0; run < runs; run += 1) {
    const started = performance.now();
    series = (await observe(rule, { now: Date.now(), config, previous: new Map() })).length;
    times.push(performance.now() - started);
  }
  console.log(`| ${rule.id} | ${rule.kind} | ${series} | ${Math.min(...times).toFixed(0)} | ${median(times).toFixed(0)} |`);
}
const whole: number[] = [];
for (let run = 0; run < runs; run += 1) {
  const started = performance.now();
  // A term ahead of the clock: the lease a previous run of this script took (one term) has lapsed for it.
  const report = await evaluateAlertsOnce(() => Date.now() + TERM_MS);
  whole.push(performance.now() - started);
  if (!report.evaluated || report.errors.length > 0) console.log(`evaluation ${run + 1}: ${JSON.stringify(report)}`);
}
console.log(`| **whole evaluation** | | | ${Math.min(...whole).toFixed(0)} | ${median(whole).toFixed(0)} |`);
await bench.close();
