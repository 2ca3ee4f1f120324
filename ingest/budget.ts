/**
 * The global in-flight budget: bytes and records held by ingest requests being processed at once.
 *
 * Why: every request is bounded on its own (body cap, record cap), but 400 of them at once are not:
 * their bodies, decoded records and rows all wait in memory for the storage insert. Each request
 * takes a lease, reserves bytes as its body arrives and records once they are counted, and releases
 * everything in `finally`. A reservation that would exceed the budget fails, and the request is
 * answered 429 with Retry-After (OTLP/HTTP: retryable), so the exporter backs off and sends again.
 *
 * A request alone is always let through, whatever its size: the budget sheds concurrency, it never
 * makes a single request impossible.
 */

export interface InflightUsage {
  bytes: number;
  records: number;
  /** Open leases: requests past authentication and not yet answered. */
  requests: number;
}

export class InflightBudget {
  private bytes = 0;
  private records = 0;
  private requests = 0;

  constructor(
    readonly maxBytes: number,
    readonly maxRecords: number,
  ) {}

  usage(): InflightUsage {
    return { bytes: this.bytes, records: this.records, requests: this.requests };
  }

  /** A lease holding nothing yet; release it in `finally`. */
  open(): InflightLease {
    this.requests += 1;
    return new InflightLease(this);
  }

  /** @internal used by InflightLease */
  tryReserve(lease: InflightLease, bytes: number, records: number): boolean {
    const alone = this.bytes === lease.bytes && this.records === lease.records;
    if (!alone && (this.bytes + bytes > this.maxBytes || this.records + records > this.maxRecords)) return false;
    this.bytes += bytes;
    this.records += records;
    return true;
  }

  /** @internal used by InflightLease */
  give(bytes: number, records: number): void {
    this.bytes -= bytes;
    this.records -= records;
    this.requests -= 1;
  }
}

export class InflightLease {
  bytes = 0;
  records = 0;
  private released = false;

  constructor(private readonly budget: InflightBudget) {}

  /** Reserves more; false (nothing reserved) when the budget cannot take it. */
  reserve(bytes: number, records = 0): boolean {
    if (this.released) throw new Error('reserve on a released in-flight lease');
    if (bytes < 0 || records < 0) throw new RangeError('reservations are never negative');
    if (!this.budget.tryReserve(this, bytes, records)) return false;
    this.bytes += bytes;
    this.records += records;
    return true;
  }

  /** Gives everything back; idempotent. */
  release(): void {
    if (this.released) return;
    this.released = true;
    this.budget.give(this.bytes, this.records);
  }
}

/** Thrown by a body reader when the in-flight budget refuses the bytes just received. */
export class BudgetExceededError extends Error {
  override name = 'BudgetExceededError';
}
