/**
 * `NODE_OPTIONS=--conditions=react-server npx tsx bench/api/gate-history.ts <data dir>`: the stored
 * daily stage-gate evaluations (183 days at the default configuration: docs/stage-gates.md
 * "History") brought up to date on a stopped store with the app's own pass (lib/stage-gates/history-pass.ts), as a
 * long-running app would have them. `npm run bench:api` runs it on the population before each run:
 * minutes the first time at 10 M events, seconds once done (only the days since the last run).
 * The `react-server` condition lets the server-only modules load outside Next.
 */
import { runGateHistoryTick } from '../../lib/stage-gates/history-pass';
import { openBenchStore } from '../open-store';
import { log } from './stats';

const dir = process.argv[2];
if (!dir) throw new Error('usage: bench/api/gate-history.ts <data dir>');
const bench = await openBenchStore(dir);
try {
  const started = performance.now();
  let evaluated = 0;
  for (;;) {
    const report = await runGateHistoryTick(Date.now(), 5);
    evaluated += report.evaluated.length;
    if (report.evaluated.length > 0) {
      log(
        `stage-gate history: evaluated ${report.evaluated.join(', ')} in ${(report.ms / 1000).toFixed(1)} s, ${report.remaining} days to go`,
      );
    }
    if (report.remaining === 0) break;
  }
  log(`stage-gate history up to date: ${evaluated} days evaluated in ${((performance.now() - started) / 1000).toFixed(1)} s`);
} finally {
  await bench.close();
}
