/** The production app (the same scripts/serve.mjs as `npm start`) on a benchmark data directory. */
import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startServer, waitForHealth } from '../../scripts/start';
import { copyDir } from './population-storage';
import { freePort } from './stats';

export interface RunningApp {
  baseUrl: string;
  token: string;
  dataDir: string;
  child: ChildProcess;
  /** SIGTERM, then SIGKILL after 20 s; resolves once the process is gone (its data directory released). */
  stop(): Promise<void>;
}

export const BENCH_TOKEN = 'bench-api-token';

export async function startApp(dataDir: string, logFile: string): Promise<RunningApp> {
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const child = startServer(
    {
      ...process.env,
      PORT: String(port),
      HOST: '127.0.0.1',
      DATA_DIR: dataDir,
      INGEST_TOKENS: BENCH_TOKEN,
      API_TOKENS: '',
      ADMIN_TOKENS: '',
      CLICKHOUSE_URL: '',
    },
    'pipe',
  );
  const out = fs.createWriteStream(logFile, { flags: 'a' });
  child.stdout?.pipe(out);
  child.stderr?.pipe(out);
  const exited = new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    else child.once('exit', () => resolve());
  });
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
      await exited;
      clearTimeout(timer);
    }
    out.end();
  };
  try {
    await waitForHealth(baseUrl, 180_000, child);
  } catch (error) {
    await stop();
    throw new Error(`${(error as Error).message} (server log: ${logFile})`);
  }
  return { baseUrl, token: BENCH_TOKEN, dataDir, child, stop };
}

/**
 * `run` against the production app started on a fresh copy of a benchmark population (`source`,
 * e.g. .bench-data/api-10000000/population), so nothing a run sends leaks into the next; the app is
 * stopped and the copy removed on every path. The app's environment is this process's.
 */
export async function withAppOnCopy<T>(source: string, run: (app: RunningApp) => Promise<T>): Promise<T> {
  if (!fs.existsSync(source)) {
    throw new Error(`no population at ${source}: build one with npm run bench:api -- --events 10000000 (or pass --data)`);
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-app-'));
  try {
    copyDir(source, path.join(dir, 'data'));
    const app = await startApp(path.join(dir, 'data'), path.join(dir, 'server.log'));
    try {
      return await run(app);
    } finally {
      await app.stop();
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
