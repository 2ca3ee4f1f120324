/**
 * A private instance of the real app (like ./isolated-app.ts) that a fault test can kill with
 * SIGKILL and start again on the same DATA_DIR and port, and whose data directory outlives it so the
 * test can open the store afterwards. Use inside the integration project (the app is built).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { ChildProcess } from 'node:child_process';
import { startServer, waitForHealth } from '../../scripts/start';
import { freePort, testAppEnv } from './ports';

export interface RestartableApp {
  baseUrl: string;
  token: string;
  dataDir: string;
  /** The server's output, last 64 KB, across restarts. */
  output(): string;
  /** Starts (or starts again, same port and DATA_DIR); resolves once /api/v1/health answers 200. */
  start(extraEnv?: Record<string, string>): Promise<void>;
  /** SIGKILL: no shutdown, no flush. Resolves once the process is gone. */
  kill(): Promise<void>;
  /** SIGTERM, waiting for the exit; the data directory stays. */
  stop(): Promise<void>;
  /** Removes the data directory (after stop). */
  remove(): void;
}

export function restartableApp(): RestartableApp {
  let child: ChildProcess | undefined;
  let port = 0;
  let env: Record<string, string> = {};
  let log = '';
  const exit = (process: ChildProcess) =>
    new Promise<void>((resolve) => {
      if (process.exitCode !== null || process.signalCode !== null) resolve();
      else process.once('exit', () => resolve());
    });
  const app: RestartableApp = {
    baseUrl: '',
    token: `restartable-${process.pid}-${Date.now()}`,
    dataDir: '',
    output: () => log,
    async start(extraEnv) {
      if (!port) {
        port = await freePort();
        app.dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'pa-restartable-'));
        app.baseUrl = `http://127.0.0.1:${port}`;
      }
      if (extraEnv) env = extraEnv;
      child = startServer(testAppEnv(port, app.dataDir, app.token, env), 'pipe');
      const append = (chunk: Buffer) => (log = (log + chunk.toString()).slice(-65_536));
      child.stdout?.on('data', append);
      child.stderr?.on('data', append);
      try {
        await waitForHealth(app.baseUrl, 90_000, child);
      } catch (error) {
        throw new Error(`${(error as Error).message}\n--- server output ---\n${log.slice(-4000)}`);
      }
    },
    async kill() {
      if (!child) return;
      const exited = exit(child);
      child.kill('SIGKILL');
      await exited;
      child = undefined;
    },
    async stop() {
      if (!child) return;
      const current = child;
      const exited = exit(current);
      current.kill('SIGTERM');
      await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 10_000))]);
      if (current.exitCode === null && current.signalCode === null) {
        current.kill('SIGKILL');
        await exited;
      }
      child = undefined;
    },
    remove() {
      if (app.dataDir) fs.rmSync(app.dataDir, { recursive: true, force: true });
    },
  };
  return app;
}
