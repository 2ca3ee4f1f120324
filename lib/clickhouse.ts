/**
 * The one storage interface: @clickhouse/client, given either the embedded chDB engine
 * (default, data under DATA_DIR) or a ClickHouse server / cluster / Cloud via CLICKHOUSE_URL.
 *
 * Why a pool of embedded sessions: one chDB session runs its queries one at a time, so with a
 * single session every viewer queued behind every other and ingest behind all of them. Several
 * sessions on the same data directory share one engine (same tables, inserts visible to all) and
 * run concurrently, each on a libuv thread (measured in docs/performance.md, "Concurrency on the
 * embedded engine"). Reads go to the least busy of READ_SESSIONS sessions; ingest has a session of
 * its own, so an insert never waits behind a dashboard query. Settings travel with each query as
 * session `SET`s (chdb/connection), so a setting never leaks from one session into another; within
 * a session every insert passes its own dedup token (sql/README.md). A `SET` stays on its session,
 * so what must hold for one query only — a read's limits and `readonly` — goes in that query's
 * SETTINGS clause instead (lib/query.ts).
 *
 * Why a globalThis singleton: chDB binds one data directory per process, and Next.js may load
 * this module more than once (separate bundles for routes and instrumentation). Every copy must
 * share the same client, so it lives on globalThis, created lazily on first use — never at
 * import time, so `next build` never opens the data directory.
 */
import { createClient, type ClickHouseClient } from '@clickhouse/client';
import { createChdbConnection } from 'chdb/connection';
import fs from 'node:fs';
import path from 'node:path';
import { dataDir, env, type Env } from './env';

export type StorageMode = 'embedded' | 'server' | 'cluster';

export interface Storage {
  /** Reads, DDL and tools: on the embedded engine, a pool of sessions. */
  client: ClickHouseClient;
  /** Ingest's writes: on the embedded engine a session of their own; on a server the same client. */
  ingestClient: ClickHouseClient;
  /**
   * The ceremony state pass (lib/ceremony-states.ts): on the embedded engine a session of its own,
   * so a pass never queues behind dashboard reads (a session runs its calls one after another) and
   * readers never queue behind a pass; on a server the same client.
   */
  stateClient: ClickHouseClient;
  mode: StorageMode;
  /** Cluster name for ON CLUSTER DDL, when CLICKHOUSE_CLUSTER is set. */
  cluster?: string;
  /** Where embedded data lives, or the server URL (without credentials). */
  location: string;
}

const STORAGE_KEY = Symbol.for('passkey-analytics.storage');
type GlobalWithStorage = typeof globalThis & { [STORAGE_KEY]?: Storage };

export interface StorageOptions {
  /** Embedded engine: how many read sessions (default READ_SESSIONS; tests use 1 to pin a session). */
  readSessions?: number;
}

export function createStorage(e: Env = env(), options: StorageOptions = {}): Storage {
  if (e.CLICKHOUSE_URL) {
    const url = new URL(e.CLICKHOUSE_URL);
    const client = createClient({
      url: e.CLICKHOUSE_URL,
      username: e.CLICKHOUSE_USER,
      password: e.CLICKHOUSE_PASSWORD,
      database: e.CLICKHOUSE_DATABASE,
      request_timeout: 30_000,
      clickhouse_settings: { date_time_output_format: 'iso', output_format_json_quote_64bit_integers: 0 },
    });
    url.username = '';
    url.password = '';
    return {
      client,
      ingestClient: client,
      stateClient: client,
      mode: e.CLICKHOUSE_CLUSTER ? 'cluster' : 'server',
      cluster: e.CLICKHOUSE_CLUSTER,
      location: url.toString(),
    };
  }
  const dir = path.join(dataDir(e), 'clickhouse');
  fs.mkdirSync(dir, { recursive: true });
  const embeddedClient = (connection: Session) =>
    createClient({
      // chdb types the connection against @clickhouse/client-common; the client re-bundles the same
      // interface under its own path, so the two declarations differ only by name.
      connection: connection as unknown as NonNullable<Parameters<typeof createClient>[0]>['connection'],
      clickhouse_settings: { date_time_output_format: 'iso', output_format_json_quote_64bit_integers: 0 },
    });
  const sessions = (): SerialSession => new SerialSession(createChdbConnection({ path: dir }));
  return {
    client: embeddedClient(new SessionPool(Array.from({ length: options.readSessions ?? READ_SESSIONS }, sessions)) as unknown as Session),
    ingestClient: embeddedClient(sessions() as unknown as Session),
    stateClient: embeddedClient(sessions() as unknown as Session),
    mode: 'embedded',
    location: dir,
  };
}

/**
 * Embedded read sessions. Two cores run two queries at a time; a few more sessions keep a cheap
 * query from waiting behind an expensive one. Each session needs a libuv thread while it runs a
 * query: scripts/start.ts raises UV_THREADPOOL_SIZE so these and ingest's session never starve
 * Node's own file and zlib work.
 */
export const READ_SESSIONS = 4;

/** One embedded session, as @clickhouse/client's Connection. */
type Session = ReturnType<typeof createChdbConnection>;

type Calls = Pick<Session, 'ping' | 'query' | 'insert' | 'command' | 'exec' | 'close'>;

/**
 * One embedded session whose calls run one after another, cleaned after a failure. Why: a chDB
 * session that fails a query after the query produced part of its output keeps that output and
 * returns it as the start of the NEXT query's result on the session (chdb 3.4 / libchdb 26.7: a
 * UNION read stopped by max_execution_time after its first branch, then `SELECT 42 AS m` on the
 * same session, returned [{"x":1},{"m":42}]). Reads stopped by their limits (lib/query.ts) make
 * such failures routine, so after any failed call the session runs a throwaway query that takes
 * the leftovers before the next call starts (tests/integration/query-limits.ch.test.ts). A chDB
 * session runs one query at a time anyway, so keeping its calls in order here costs no concurrency.
 */
class SerialSession implements Calls {
  #tail: Promise<unknown> = Promise.resolve();
  constructor(private readonly session: Session) {}
  #run<T>(call: () => Promise<T>): Promise<T> {
    const result = this.#tail.then(call);
    this.#tail = result.then(
      () => undefined,
      () => this.session.command({ query: 'SELECT 1' }).catch(() => undefined),
    );
    return result;
  }
  ping(params: Parameters<Session['ping']>[0]) {
    return this.#run(() => this.session.ping(params));
  }
  query(params: Parameters<Session['query']>[0]) {
    return this.#run(() => this.session.query(params));
  }
  insert(params: Parameters<Session['insert']>[0]) {
    return this.#run(() => this.session.insert(params));
  }
  command(params: Parameters<Session['command']>[0]) {
    return this.#run(() => this.session.command(params));
  }
  exec(params: Parameters<Session['exec']>[0]) {
    return this.#run(() => this.session.exec(params));
  }
  async close() {
    await this.#tail;
    await this.session.close();
  }
}

/** A Connection that hands each call to the session with the fewest calls in flight. */
class SessionPool implements Calls {
  readonly #busy: number[];
  constructor(private readonly sessions: SerialSession[]) {
    this.#busy = sessions.map(() => 0);
  }
  async #on<T>(call: (session: SerialSession) => Promise<T>): Promise<T> {
    const index = this.#busy.indexOf(Math.min(...this.#busy));
    this.#busy[index]! += 1;
    try {
      return await call(this.sessions[index]!);
    } finally {
      this.#busy[index]! -= 1;
    }
  }
  ping(params: Parameters<Session['ping']>[0]) {
    return this.#on((s) => s.ping(params));
  }
  query(params: Parameters<Session['query']>[0]) {
    return this.#on((s) => s.query(params));
  }
  insert(params: Parameters<Session['insert']>[0]) {
    return this.#on((s) => s.insert(params));
  }
  command(params: Parameters<Session['command']>[0]) {
    return this.#on((s) => s.command(params));
  }
  exec(params: Parameters<Session['exec']>[0]) {
    return this.#on((s) => s.exec(params));
  }
  async close() {
    await Promise.all(this.sessions.map((s) => s.close()));
  }
}

/** The process-wide storage, created on first use. */
export function storage(): Storage {
  const g = globalThis as GlobalWithStorage;
  g[STORAGE_KEY] ??= createStorage();
  return g[STORAGE_KEY];
}

/** For tests and tools that manage their own storage (e.g. a temporary data directory). */
export function setStorage(value: Storage | undefined): void {
  (globalThis as GlobalWithStorage)[STORAGE_KEY] = value;
}

/** Server mode: create CLICKHOUSE_DATABASE (on every node of the cluster) before migrating. */
export async function ensureDatabase(e: Env = env()): Promise<void> {
  if (!e.CLICKHOUSE_URL) return; // embedded: the data directory is the database
  const admin = createClient({ url: e.CLICKHOUSE_URL, username: e.CLICKHOUSE_USER, password: e.CLICKHOUSE_PASSWORD });
  try {
    const onCluster = e.CLICKHOUSE_CLUSTER ? ` ON CLUSTER \`${e.CLICKHOUSE_CLUSTER}\`` : '';
    await admin.command({ query: `CREATE DATABASE IF NOT EXISTS \`${e.CLICKHOUSE_DATABASE}\`${onCluster}` });
  } finally {
    await admin.close();
  }
}
