import net from 'node:net';

/** A TCP port free on 127.0.0.1 right now (the OS picks it), for an app instance of a test. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/**
 * The environment of an app instance a test starts: loopback on `port`, its own embedded store,
 * one ingest token, no API or admin token (whatever the shell has set), then `extra`.
 */
export function testAppEnv(
  port: number,
  dataDir: string,
  ingestToken: string,
  extra: Record<string, string | undefined> = {},
): NodeJS.ProcessEnv {
  return {
    ...process.env,
    PORT: String(port),
    HOST: '127.0.0.1',
    DATA_DIR: dataDir,
    INGEST_TOKENS: ingestToken,
    API_TOKENS: '',
    ADMIN_TOKENS: '',
    CLICKHOUSE_URL: '',
    // Background work a test asks for when it tests it: the alert schedule and the stored daily
    // stage-gate evaluations (a 90-day backfill) would otherwise load every test app's two cores.
    ALERTS: 'off',
    GATE_HISTORY: 'off',
    ...extra,
  };
}
