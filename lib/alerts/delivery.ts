/**
 * Webhook delivery (docs/alerts.md, "Delivery and retries"): one POST per target, signed, retried
 * with exponential backoff on a network error, a timeout, 429 or 5xx (base × 2^attempt: 2 s, 4 s,
 * 8 s … by default); any other 4xx is final. The outcome of every delivery is returned to be stored.
 */
import { deliveryHeaders, payloadBody, type AlertNotice, type WebhookTarget } from './payload';

export interface DeliveryOptions {
  secret: string | undefined;
  attempts: number;
  backoffMs: number;
  timeoutMs?: number;
  dashboardUrl: string | null;
  /** Injected in tests. */
  fetchImpl?: typeof fetch;
  sleep?: (ms: number) => Promise<void>;
}

export interface DeliveryOutcome {
  target: string;
  format: WebhookTarget['format'];
  status: 'delivered' | 'failed';
  attempts: number;
  httpStatus: number | null;
  error: string | null;
  durationMs: number;
}

const RETRYABLE = (status: number) => status === 408 || status === 429 || status >= 500;

export async function deliver(target: WebhookTarget, notice: AlertNotice, options: DeliveryOptions): Promise<DeliveryOutcome> {
  const fetchImpl = options.fetchImpl ?? fetch;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const body = payloadBody(target.format, notice, options.dashboardUrl);
  const started = performance.now();
  let httpStatus: number | null = null;
  let error: string | null = null;
  let attempt = 0;
  while (attempt < options.attempts) {
    if (attempt > 0) await sleep(options.backoffMs * 2 ** (attempt - 1));
    attempt += 1;
    try {
      // Signed per attempt: a receiver rejecting stale timestamps still accepts a late retry.
      const headers = deliveryHeaders(body, notice.id, options.secret, Math.floor(Date.now() / 1000));
      const response = await fetchImpl(target.url, {
        method: 'POST',
        headers,
        body,
        signal: AbortSignal.timeout(options.timeoutMs ?? 10_000),
        redirect: 'manual',
      });
      httpStatus = response.status;
      await response.arrayBuffer().catch(() => undefined);
      if (response.status >= 200 && response.status < 300) {
        return {
          target: target.target,
          format: target.format,
          status: 'delivered',
          attempts: attempt,
          httpStatus,
          error: null,
          durationMs: performance.now() - started,
        };
      }
      error = `HTTP ${response.status}`;
      if (!RETRYABLE(response.status)) break;
    } catch (caught) {
      httpStatus = null;
      error = caught instanceof Error ? `${caught.name}: ${caught.message}`.slice(0, 300) : String(caught).slice(0, 300);
    }
  }
  return {
    target: target.target,
    format: target.format,
    status: 'failed',
    attempts: attempt,
    httpStatus,
    error,
    durationMs: performance.now() - started,
  };
}
