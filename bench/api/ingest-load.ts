/**
 * Background ingest during every read measurement: OTLP/HTTP protobuf requests of `batch` records
 * (prompt + server verification + sign-in, current timestamps, the ingest benchmark's records)
 * fired on a fixed schedule of `requestsPerSecond`, at most `maxInFlight` at once, each request's
 * latency recorded. A request that would exceed `maxInFlight` is skipped and counted: the achieved
 * rate then falls below the target, which the report shows.
 */
import { benchRecords } from '../ingest-fixtures';
import { otlpProtobuf } from '../../tests/helpers/otlp';
import { round1, summarize, type Summary } from './stats';

export interface IngestSample {
  /** performance.now() at send and at response. */
  start: number;
  end: number;
  ms: number;
  status: number;
  records: number;
}

export interface IngestStats extends Summary {
  requests: number;
  errors: number;
  skipped: number;
  eventsPerSecond: number;
  seconds: number;
}

export const INGEST_SERVICE = 'bench-api-ingest';

export class IngestLoad {
  readonly samples: IngestSample[] = [];
  skipped: number[] = [];
  #timer: NodeJS.Timeout | undefined;
  #inFlight = new Set<Promise<void>>();
  #seq = 0;
  #startedAt = 0;
  #stoppedAt = 0;
  lastError = '';

  constructor(
    private readonly baseUrl: string,
    private readonly token: string,
    private readonly options: { requestsPerSecond: number; batch: number; maxInFlight: number } = {
      requestsPerSecond: 12,
      batch: 100,
      maxInFlight: 32,
    },
  ) {}

  start(): void {
    this.#startedAt = performance.now();
    this.#timer = setInterval(() => this.#fire(), 1000 / this.options.requestsPerSecond);
  }

  #fire(): void {
    if (this.#inFlight.size >= this.options.maxInFlight) {
      this.skipped.push(performance.now());
      return;
    }
    const prefix = `bi${process.pid}-${this.#seq++}`;
    const body = otlpProtobuf(benchRecords(this.options.batch, prefix), {
      'service.name': INGEST_SERVICE,
      'deployment.environment.name': 'production',
    });
    const start = performance.now();
    const request = (async () => {
      let status = 0;
      try {
        const response = await fetch(`${this.baseUrl}/v1/logs`, {
          method: 'POST',
          body,
          headers: { 'content-type': 'application/x-protobuf', authorization: `Bearer ${this.token}` },
          signal: AbortSignal.timeout(60_000),
        });
        const text = await response.text();
        status = response.status;
        if (status !== 200 || text.includes('rejected')) this.lastError = `HTTP ${status}: ${text.slice(0, 200)}`;
      } catch (error) {
        this.lastError = (error as Error).message;
      }
      const end = performance.now();
      this.samples.push({ start, end, ms: end - start, status, records: this.options.batch });
    })();
    this.#inFlight.add(request);
    void request.finally(() => this.#inFlight.delete(request));
  }

  async stop(): Promise<void> {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = undefined;
    this.#stoppedAt = performance.now();
    await Promise.all([...this.#inFlight]);
  }

  /** Latency and throughput of the requests sent in [from, to] (performance.now() times). */
  stats(from = this.#startedAt, to = this.#stoppedAt || performance.now()): IngestStats {
    const inside = this.samples.filter((s) => s.start >= from && s.start <= to);
    const ok = inside.filter((s) => s.status === 200);
    // Throughput: records acknowledged by requests sent in the interval, over the interval.
    const seconds = Math.max(0.001, (to - from) / 1000);
    return {
      ...summarize(inside.map((s) => s.ms)),
      requests: inside.length,
      errors: inside.length - ok.length,
      skipped: this.skipped.filter((t) => t >= from && t <= to).length,
      eventsPerSecond: Math.round(ok.reduce((sum, s) => sum + s.records, 0) / seconds),
      seconds: round1(seconds),
    };
  }
}
