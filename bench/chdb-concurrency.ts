/**
 * `npx tsx bench/chdb-concurrency.ts`: what the embedded engine serializes. Runs N × `SELECT sleep(0.2)`
 * and N × a CPU-bound query (a) on one chDB session, (b) spread over several sessions on the same data
 * directory, and checks that concurrent parameterized queries on different sessions each get their own
 * answer and that a setting made on one session does not show on another. The figures behind
 * lib/clickhouse.ts's session pool (docs/performance.md, "Concurrency on the embedded engine").
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Session } from 'chdb';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pa-chdb-concurrency-'));
const sessions = Array.from({ length: 4 }, () => new Session(dir));
const N = 8;
const SLEEP = 'SELECT sleep(0.2)';
const CPU = 'SELECT count() FROM numbers(100000000) WHERE number % 7 = 3';

async function timed(label: string, run: () => Promise<unknown>): Promise<void> {
  const started = performance.now();
  await run();
  console.log(`${label.padEnd(48)} ${(performance.now() - started).toFixed(0).padStart(6)} ms`);
}

console.log(`UV_THREADPOOL_SIZE=${process.env.UV_THREADPOOL_SIZE ?? '(default 4)'}, ${os.cpus().length} cores`);
await timed('1 × sleep(0.2)', () => sessions[0]!.queryAsync(SLEEP));
await timed(`${N} × sleep(0.2), one session`, () => Promise.all(Array.from({ length: N }, () => sessions[0]!.queryAsync(SLEEP))));
await timed(`${N} × sleep(0.2), ${sessions.length} sessions`, () =>
  Promise.all(Array.from({ length: N }, (_, i) => sessions[i % sessions.length]!.queryAsync(SLEEP))),
);
await timed('1 × CPU-bound query', () => sessions[0]!.queryAsync(CPU));
await timed(`${N} × CPU-bound query, one session`, () => Promise.all(Array.from({ length: N }, () => sessions[0]!.queryAsync(CPU))));
await timed(`${N} × CPU-bound query, ${sessions.length} sessions`, () =>
  Promise.all(Array.from({ length: N }, (_, i) => sessions[i % sessions.length]!.queryAsync(CPU))),
);

const answers = await Promise.all(
  Array.from({ length: 200 }, (_, i) =>
    sessions[i % sessions.length]!.queryBindAsync(
      'SELECT {n:UInt32} * 3 AS v, {s:String} AS s',
      { n: i, s: `q${i}` },
      { format: 'JSONEachRow' },
    ),
  ),
);
const wrong = answers.filter((result, i) => {
  const row = JSON.parse(result.text()) as { v: number; s: string };
  return row.v !== i * 3 || row.s !== `q${i}`;
}).length;
console.log(`200 concurrent parameterized queries over ${sessions.length} sessions: ${wrong} wrong answers`);
await sessions[1]!.queryAsync("SET log_comment = 'only-session-1'");
const seen = (await sessions[2]!.queryAsync("SELECT getSetting('log_comment')", { format: 'TSV' })).text().trim();
console.log(`a SET on session 1 seen on session 2: ${seen === 'only-session-1' ? 'yes' : 'no'}`);
for (const session of sessions) session.close();
fs.rmSync(dir, { recursive: true, force: true });
