/**
 * POST /v1/logs — the OTLP/HTTP logs receiver, framework-free (Web Request in, Response out).
 *
 * Order of checks: method → token → content type → in-flight budget → body (size-capped, gzip) →
 * decode (record count first) → per-record limits and validation. A 200 means every accepted record is durably inserted; if storage fails, the answer
 * is 503 with Retry-After and the client's identical retry is deduplicated, so nothing is lost or
 * counted twice. One invalid record never sinks its batch: it is counted in partial_success and
 * quarantined.
 *
 * No request can take the process down: the body is capped, the decoders refuse a request over the
 * record cap before building its records and truncate records over the per-record limits
 * (./limits.ts), and the bytes and records of all requests in flight share one budget
 * (./budget.ts) — beyond it the answer is 429 with Retry-After, and the lease is released in
 * `finally` whatever happens.
 */
import type { ClickHouseClient } from '@clickhouse/client';
import { addressList, clientAddress, type AddressList } from '@/lib/security/addresses';
import { bearerSecret, BROWSER_EVENTS, findToken, type Token } from '@/lib/security/tokens';
import { BodyEncodingError, BodyTooLargeError, discardBody, formatBytes, readBody, UnsupportedEncodingError } from './body';
import { BudgetExceededError, InflightBudget, type InflightLease } from './budget';
import { decodeJson, decodeProtobuf, DecodeError, type DecodedLogRecord } from './decode';
import { resolveLimits, TooManyRecordsError, type IngestLimits } from './limits';
import { exportResponse, RpcCode, statusResponse, type WireFormat } from './response';
import { markRequest, partitionOf, type CoalescedSink } from './coalesced-sink';
import { dedupToken, insertEventsIsolating, insertQuarantine, type RowFailure } from './sink';
import { mapRecords, storageRejection, type Rejection } from './to-rows';
import { beginInsert } from './unsettled';
import { IngestRates, type RateSettings } from './rates';

const NO_PROXIES = addressList([]);

export interface IngestDeps {
  client: () => ClickHouseClient;
  /** Resolves once storage is migrated and ready; rejects while it is not. */
  ready: () => Promise<void>;
  /** The ingest tokens (`ingest`, `ingest:browser`; lib/security/tokens.ts). */
  tokens: () => readonly Token[];
  /** Whether a record of this user at this time falls under an erasure (lib/privacy/erasure.ts). */
  erased?: (userId: string, timeMs: number) => boolean;
  maxBodyBytes: number;
  corsOrigins: readonly string[];
  log?: (message: string) => void;
  /** Per-request limits; DEFAULT_LIMITS for what is not given. */
  limits?: Partial<IngestLimits>;
  /** The global in-flight budget, read once on the first request. */
  maxInflightBytes?: number;
  maxInflightRecords?: number;
  /** Records per second per token and per browser client (ingest/rates.ts); unset = no rate limit. */
  rates?: RateSettings;
  /** Proxies whose X-Forwarded-For names a browser client (TRUSTED_PROXIES); unset = none. */
  trustedProxies?: AddressList;
  /** Told what each stored request held (self-telemetry, lib/self-telemetry.ts). */
  onStored?: (counts: { accepted: number; rejected: number; quarantined: number }, format: WireFormat) => void;
  /** Told when storage refused a request (answered 503). */
  onStorageError?: (error: unknown) => void;
  /**
   * The coalesced path (ingest/coalesced-sink.ts; embedded engine): requests whose rows fall in one
   * partition are stored together with concurrent ones. Unset or undefined: one insert per request.
   */
  coalesced?: () => CoalescedSink | undefined;
}

export const RETRY_AFTER_SECONDS = 5;
/** After a 429: the budget frees up as soon as the requests ahead are stored. */
export const BUSY_RETRY_AFTER_SECONDS = 2;
export const DEFAULT_MAX_INFLIGHT_BYTES = 64 * 1024 * 1024;
export const DEFAULT_MAX_INFLIGHT_RECORDS = 40_000;
const ALLOWED_METHODS = 'POST, OPTIONS';

function wireFormatOf(contentType: string | null): WireFormat | null {
  const media = (contentType ?? '').split(';')[0]?.trim().toLowerCase();
  if (media === 'application/x-protobuf' || media === 'application/protobuf') return 'protobuf';
  if (media === 'application/json') return 'json';
  return null;
}

function corsHeaders(request: Request, origins: readonly string[]): Record<string, string> {
  const origin = request.headers.get('origin');
  if (!origin || !(origins.includes('*') || origins.includes(origin))) return {};
  return {
    'access-control-allow-origin': origins.includes('*') ? '*' : origin,
    'access-control-allow-methods': ALLOWED_METHODS,
    'access-control-allow-headers': 'authorization, content-type, content-encoding',
    'access-control-max-age': '600',
    vary: 'Origin',
  };
}

function declaredLength(request: Request, cap: number): number {
  const value = Number(request.headers.get('content-length') ?? '');
  return Number.isSafeInteger(value) && value > 0 ? Math.min(value, cap) : 0;
}

export function createIngestHandler(deps: IngestDeps) {
  const log = deps.log ?? ((message: string) => console.error(message));
  let inflight: InflightBudget | undefined;
  /** The process-wide budget, created on first use so that configuration is read at request time. */
  function budget(): InflightBudget {
    inflight ??= new InflightBudget(
      deps.maxInflightBytes ?? DEFAULT_MAX_INFLIGHT_BYTES,
      deps.maxInflightRecords ?? DEFAULT_MAX_INFLIGHT_RECORDS,
    );
    return inflight;
  }
  let rateLimits: IngestRates | undefined;
  /** The per-token rates, created on first use (configuration is read at request time). */
  function rates(): IngestRates | undefined {
    if (!deps.rates) return undefined;
    rateLimits ??= new IngestRates(deps.rates);
    return rateLimits;
  }

  /** 429; `connectionUnusable` when part of the body was left unread. */
  function busy(format: WireFormat, cors: Record<string, string>, connectionUnusable = false): Response {
    const b = budget();
    return statusResponse(
      format,
      429,
      RpcCode.RESOURCE_EXHAUSTED,
      `Too much ingest in flight (budget: ${formatBytes(b.maxBytes)} and ${b.maxRecords.toLocaleString('en-US')} records across concurrent requests; INGEST_MAX_INFLIGHT_BYTES, INGEST_MAX_INFLIGHT_RECORDS). Nothing from this request was stored; retry after ${BUSY_RETRY_AFTER_SECONDS} s.`,
      { ...cors, 'retry-after': String(BUSY_RETRY_AFTER_SECONDS), ...(connectionUnusable ? { connection: 'close' } : {}) },
    );
  }

  /**
   * 503: storage failed in a way a retry can fix. `partlyStored`: some rows may already be stored
   * (a part of an isolated batch, or the events before their quarantine), so the answer does not
   * claim nothing was — the identical retry is deduplicated either way.
   */
  function unavailable(format: WireFormat, cors: Record<string, string>, error: unknown, partlyStored = false): Response {
    log(`[ingest] storage unavailable, answered 503: ${(error as Error).message?.slice(0, 300)}`);
    const what = partlyStored ? 'part of this request may already be stored; retry it unchanged' : 'nothing from this request was accepted';
    return statusResponse(
      format,
      503,
      RpcCode.UNAVAILABLE,
      `Storage is unavailable; ${what}. Retry after ${RETRY_AFTER_SECONDS} s (identical retries are deduplicated: nothing is stored twice).`,
      { ...cors, 'retry-after': String(RETRY_AFTER_SECONDS) },
    );
  }

  async function handle(request: Request): Promise<Response> {
    const cors = corsHeaders(request, deps.corsOrigins);
    const format: WireFormat = wireFormatOf(request.headers.get('content-type')) ?? 'json';

    if (request.method === 'OPTIONS') return new Response(null, { status: 204, headers: { ...cors, allow: ALLOWED_METHODS } });
    if (request.method !== 'POST') {
      return statusResponse(format, 405, RpcCode.UNIMPLEMENTED, `Method ${request.method} is not allowed on /v1/logs; use POST.`, {
        ...cors,
        allow: ALLOWED_METHODS,
      });
    }
    const token = findToken(
      bearerSecret(request),
      deps.tokens().filter((t) => t.scope === 'ingest' || t.scope === 'ingest:browser'),
    );
    if (!token) {
      return statusResponse(
        format,
        401,
        RpcCode.UNAUTHENTICATED,
        'Missing or invalid ingest token: send "Authorization: Bearer <token>" (OTEL_EXPORTER_OTLP_HEADERS="Authorization=Bearer <token>").',
        { ...cors, 'www-authenticate': 'Bearer' },
      );
    }
    const requestFormat = wireFormatOf(request.headers.get('content-type'));
    if (!requestFormat) {
      return statusResponse(
        'json',
        415,
        RpcCode.INVALID_ARGUMENT,
        `Content-Type '${(request.headers.get('content-type') ?? '').slice(0, 80)}' is not supported; use application/x-protobuf or application/json.`,
        cors,
      );
    }

    const lease = budget().open();
    try {
      return await handleLeased(request, requestFormat, cors, lease, token);
    } finally {
      lease.release();
    }
  }

  async function handleLeased(
    request: Request,
    requestFormat: WireFormat,
    cors: Record<string, string>,
    lease: InflightLease,
    sender: Token,
  ): Promise<Response> {
    // Reserve the declared size up front, then whatever arrives beyond it.
    let reservedReceived = declaredLength(request, deps.maxBodyBytes);
    if (!lease.reserve(reservedReceived)) {
      // Read and dropped (never held), so the client gets its 429 on a connection it can reuse.
      const drained = await discardBody(request.body, deps.maxBodyBytes);
      return busy(requestFormat, cors, !drained);
    }
    let received = 0;
    const onBytes = (bytes: number, stage: 'received' | 'inflated') => {
      let needed = bytes;
      if (stage === 'received') {
        received += bytes;
        needed = Math.max(0, received - reservedReceived);
        reservedReceived = Math.max(reservedReceived, received);
      }
      if (needed > 0 && !lease.reserve(needed)) throw new BudgetExceededError();
    };

    let body: Buffer;
    try {
      body = await readBody(request.body, request.headers.get('content-encoding'), deps.maxBodyBytes, onBytes);
    } catch (error) {
      if (error instanceof BudgetExceededError) return busy(requestFormat, cors);
      // The unread rest of an oversize body makes the connection unusable: ask the client to close it.
      if (error instanceof BodyTooLargeError) {
        return statusResponse(requestFormat, 413, RpcCode.RESOURCE_EXHAUSTED, error.message, { ...cors, connection: 'close' });
      }
      if (error instanceof UnsupportedEncodingError)
        return statusResponse(requestFormat, 415, RpcCode.INVALID_ARGUMENT, error.message, cors);
      if (error instanceof BodyEncodingError) return statusResponse(requestFormat, 400, RpcCode.INVALID_ARGUMENT, error.message, cors);
      return statusResponse(requestFormat, 400, RpcCode.INVALID_ARGUMENT, 'The request body could not be read.', cors);
    }

    let records: DecodedLogRecord[];
    try {
      const limits = resolveLimits(deps.limits);
      records = requestFormat === 'protobuf' ? decodeProtobuf(body, limits) : decodeJson(body.toString('utf8'), limits);
    } catch (error) {
      if (error instanceof TooManyRecordsError) return statusResponse(requestFormat, 413, RpcCode.RESOURCE_EXHAUSTED, error.message, cors);
      const message = error instanceof DecodeError ? error.message : 'The body could not be decoded.';
      return statusResponse(requestFormat, 400, RpcCode.INVALID_ARGUMENT, message, cors);
    }
    if (!lease.reserve(0, records.length)) return busy(requestFormat, cors);
    const limited = rates();
    if (limited && records.length > 0) {
      const browser = sender.scope === 'ingest:browser';
      const decision = limited.admit(
        sender.name,
        browser ? clientAddress(request.headers, deps.trustedProxies ?? NO_PROXIES) : null,
        records.length,
      );
      if (!decision.ok) {
        const { tokenRecordsPerSecond, browserClientRecordsPerSecond, burstSeconds } = limited.settings;
        const limit =
          decision.limit === 'client'
            ? `${browserClientRecordsPerSecond.toLocaleString('en-US')} records/s per client address of a browser token (INGEST_BROWSER_CLIENT_RATE)`
            : `${tokenRecordsPerSecond.toLocaleString('en-US')} records/s for token '${sender.name}' (INGEST_TOKEN_RATE)`;
        return statusResponse(
          requestFormat,
          429,
          RpcCode.RESOURCE_EXHAUSTED,
          `Rate limit: ${limit}, bursts of ${burstSeconds} s. Nothing from this request was stored; retry after ${decision.retryAfterSeconds} s.`,
          { ...cors, 'retry-after': String(decision.retryAfterSeconds) },
        );
      }
    }

    // Ready before mapping: the erased users (lib/privacy/erasure.ts) are loaded by then.
    try {
      await deps.ready();
    } catch (error) {
      return unavailable(requestFormat, cors, error);
    }
    const receivedMs = Date.now();
    // A browser token's records beyond the browser's events are rejected one by one (partial_success).
    const { rows, sources, rejections } = mapRecords(records, receivedMs, {
      tokenName: sender.name,
      allowedEvents: sender.scope === 'ingest:browser' ? BROWSER_EVENTS : undefined,
      erased: deps.erased,
    });
    const token = dedupToken(body, requestFormat);
    // Synchronous since the stamp: no state pass can take a watermark in between.
    const settled = beginInsert(receivedMs);
    let refused: Rejection[];
    let quarantined: Rejection[] = [];
    let storedRows = 0;
    try {
      const client = deps.client();
      const coalesced = rows.length > 0 ? deps.coalesced?.() : undefined;
      const partition = coalesced ? partitionOf(rows) : null;
      const outcome = coalesced && partition !== null ? await coalesced.store({ token, partition, rows }) : 'per-request';
      // Per request: rows the engine itself refuses are isolated and rejected one by one; the rest is
      // stored. The contact-details line is the operator's warning (console.warn, ingest/sink.ts).
      if (outcome === 'per-request') markRequest(rows, 'r', token);
      const failures: RowFailure[] = outcome === 'per-request' ? await insertEventsIsolating(client, rows, token) : [];
      refused = [...rejections, ...failures.map((failure) => storageRejection(sources[failure.row]!, failure.reason))];
      storedRows = rows.length - failures.length;
      // An erased user's records are refused, and not kept in quarantine either.
      quarantined = refused.filter((r) => r.reason !== 'erased_user');
      await insertQuarantine(client, quarantined, token, receivedMs);
    } catch (error) {
      deps.onStorageError?.(error);
      const partlyStored = storedRows > 0 || (error as { partlyStored?: boolean }).partlyStored === true;
      return unavailable(requestFormat, cors, error, partlyStored);
    } finally {
      settled();
    }
    deps.onStored?.({ accepted: storedRows, rejected: refused.length, quarantined: quarantined.length }, requestFormat);
    // Every record refused by the storage itself, none stored: a permanent error, not worth a retry.
    if (storedRows === 0 && refused.length > rejections.length && refused.length === records.length) {
      const reason = refused.find((r) => r.reason === 'storage_rejected')!.detail;
      return statusResponse(requestFormat, 400, RpcCode.INVALID_ARGUMENT, `Nothing was stored: ${reason}`, cors);
    }
    return exportResponse(requestFormat, refused, cors);
  }

  /** Never throws: anything unexpected becomes a 400/503 with a message, not a 500. */
  return async function ingest(request: Request): Promise<Response> {
    try {
      return await handle(request);
    } catch (error) {
      log(`[ingest] unexpected error: ${(error as Error).stack ?? String(error)}`);
      return statusResponse('json', 503, RpcCode.UNAVAILABLE, 'The request could not be processed; retry later.', {
        'retry-after': String(RETRY_AFTER_SECONDS),
      });
    }
  };
}
