/**
 * `npm test`: typecheck, lint, then every test (unit, integration against the real embedded
 * ClickHouse, end to end in Chromium) with Vitest. Ends with one plain summary line.
 *   npm test                 # everything
 *   npm test -- unit         # one Vitest project (unit | integration | e2e)
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const ROOT = path.resolve(import.meta.dirname, '..');
const bin = (name: string) => path.join(ROOT, 'node_modules', '.bin', name);
const projects = process.argv.slice(2);
const started = Date.now();

function step(title: string, command: string, args: string[]): void {
  console.log(`\n▶ ${title}`);
  const result = spawnSync(command, args, { cwd: ROOT, stdio: 'inherit', env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1' } });
  if (result.status !== 0) {
    console.error(`\n✗ ${title} failed (exit ${result.status ?? result.signal})`);
    process.exit(result.status ?? 1);
  }
}

if (projects.length === 0) {
  step('typecheck (tsc --noEmit)', bin('tsc'), ['--noEmit']);
  step('lint (eslint)', bin('eslint'), ['--max-warnings=0', '.']);
  step('format (prettier --check)', bin('prettier'), ['--check', '--log-level=warn', '.']);
}
const report = path.join(ROOT, 'test-results', 'vitest.json');
fs.mkdirSync(path.dirname(report), { recursive: true });
const vitestArgs = [
  'run',
  '--reporter=default',
  '--reporter=json',
  `--outputFile.json=${report}`,
  ...projects.flatMap((p) => ['--project', p]),
];
console.log('\n▶ tests (vitest)');
const run = spawnSync(bin('vitest'), vitestArgs, { cwd: ROOT, stdio: 'inherit', env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1' } });

let passed = 0;
let failed = 0;
let skipped = 0;
try {
  const json = JSON.parse(fs.readFileSync(report, 'utf8')) as {
    numPassedTests: number;
    numFailedTests: number;
    numPendingTests: number;
    numTodoTests: number;
  };
  passed = json.numPassedTests;
  failed = json.numFailedTests;
  skipped = json.numPendingTests + json.numTodoTests;
} catch {
  failed = Math.max(failed, 1);
}
const seconds = Math.round((Date.now() - started) / 1000);
console.log(`\nnpm test finished in ${seconds}s`);
console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exit(run.status === 0 && failed === 0 && passed > 0 ? 0 : 1);
