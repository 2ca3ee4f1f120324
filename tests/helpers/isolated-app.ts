/**
 * A private instance of the real app (same build, fresh embedded data directory) for test files
 * whose assertions need a population nobody else writes into: golden metrics, stage-gate scenarios.
 * Use inside the integration/e2e projects (the global setup has already built the app):
 *
 *   const app = isolatedApp();            // at module level
 *   beforeAll(() => app.start(), 120_000);
 *   afterAll(() => app.stop());
 *   ... app.baseUrl, app.token
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { ChildProcess } from 'node:child_process';
import { startServer, waitForHealth } from '../../scripts/start';
import { freePort, testAppEnv } from './ports';

export interface IsolatedApp {
  baseUrl: string;
  token: string;
  dataDir: string;
  /** `publicUrl`: serve with passkey sign-in on PUBLIC_URL `http://localhost:<port>` (baseUrl becomes that). */
  start(extraEnv?: Record<string, string>, options?: { publicUrl?: boolean }): Promise<void>;
  stop(): Promise<void>;
}

export function isolatedApp(): IsolatedApp {
  let child: ChildProcess | undefined;
  const app: IsolatedApp = {
    baseUrl: '',
    token: `isolated-${process.pid}-${Date.now()}`,
    dataDir: '',
    async start(extraEnv = {}, options = {}) {
      const port = await freePort();
      app.dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'pa-isolated-'));
      // WebAuthn needs a host name for the RP ID (never an IP address): localhost, as a developer runs it.
      app.baseUrl = options.publicUrl ? `http://localhost:${port}` : `http://127.0.0.1:${port}`;
      const publicUrl = options.publicUrl ? { PUBLIC_URL: app.baseUrl } : {};
      child = startServer(testAppEnv(port, app.dataDir, app.token, { ...publicUrl, ...extraEnv }), 'pipe');
      let output = '';
      child.stdout?.on('data', (chunk: Buffer) => (output = (output + chunk.toString()).slice(-4000)));
      child.stderr?.on('data', (chunk: Buffer) => (output = (output + chunk.toString()).slice(-4000)));
      try {
        await waitForHealth(app.baseUrl, 90_000, child);
      } catch (error) {
        throw new Error(`${(error as Error).message}\n--- server output ---\n${output}`);
      }
    },
    async stop() {
      if (!child) return;
      const exited = new Promise((resolve) => child?.once('exit', resolve));
      child.kill('SIGTERM');
      await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 5000))]);
      fs.rmSync(app.dataDir, { recursive: true, force: true });
    },
  };
  return app;
}
