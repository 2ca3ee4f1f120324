/**
 * Global setup for the integration and e2e projects: build the app when its sources changed, start
 * `next start` on a free port with a fresh embedded data directory, and hand the tests its URL and
 * ingest token. The same server the README's `npm start` runs — no test double in between.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { buildIfNeeded, startServer, waitForHealth } from '../../scripts/start';
import { freePort, testAppEnv } from '../helpers/ports';

declare module 'vitest' {
  export interface ProvidedContext {
    baseUrl: string;
    ingestToken: string;
    /** An `ingest:browser` token, named `web`. */
    browserToken: string;
    dataDir: string;
  }
}

export default async function setup(project: TestProject) {
  buildIfNeeded((line) => console.log(line));
  const port = await freePort();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), `pa-${project.name}-`));
  const token = `test-token-${process.pid}`;
  const browserToken = `test-browser-token-${process.pid}`;
  const child = startServer(
    testAppEnv(port, dataDir, token, {
      INGEST_BROWSER_TOKENS: `web:${browserToken}`,
      ROLLOUT_CONFIG: process.env.TEST_ROLLOUT_CONFIG ?? '',
    }),
    'pipe',
  );
  const logFile = path.join(process.cwd(), 'test-results', `server-${project.name}.log`);
  fs.mkdirSync(path.dirname(logFile), { recursive: true });
  const log = fs.createWriteStream(logFile);
  child.stdout?.pipe(log);
  child.stderr?.pipe(log);
  const baseUrl = `http://127.0.0.1:${port}`;
  await waitForHealth(baseUrl, 120_000, child);
  project.provide('baseUrl', baseUrl);
  project.provide('ingestToken', token);
  project.provide('browserToken', browserToken);
  project.provide('dataDir', dataDir);

  return async () => {
    child.kill('SIGTERM');
    await new Promise((resolve) => {
      if (child.exitCode !== null) resolve(undefined);
      child.once('exit', resolve);
      setTimeout(resolve, 5000);
    });
    fs.rmSync(dataDir, { recursive: true, force: true });
  };
}
