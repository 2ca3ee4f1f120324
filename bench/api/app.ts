/** The production app (the same scripts/serve.mjs as `npm start`) on a benchmark data directory. */
import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import { startServer, waitForHealth } from '../../scripts/start';
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
