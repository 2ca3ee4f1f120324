/**
 * Same-origin `/v1/logs` for the page's SDK (browser telemetry mode `proxy`, the default): the
 * body is forwarded unchanged to the product with the ingest token added here, so the token never
 * reaches the page, no CORS preflight is needed, and the keepalive flush on page hide stays
 * same-origin. Only this origin's pages may use it (it is not an open relay).
 */
import type { RelyingPartyContext } from '../context';
import { assertSameOrigin, HttpError, readBody, sendJson, type Router } from '../http';

/** The browser SDK's batches are small; the keepalive budget is 64 KiB anyway. */
export const MAX_BROWSER_BATCH_BYTES = 1024 * 1024;
const FORWARD_TIMEOUT_MS = 10_000;

export function telemetryProxyRoutes(router: Router, rp: RelyingPartyContext): void {
  router.on('POST', '/v1/logs', async (req, res) => {
    assertSameOrigin(req, rp.origin());
    const contentType = req.headers['content-type'];
    if (!contentType) throw new HttpError(415, 'Send OTLP as application/json or application/x-protobuf');
    const body = await readBody(req, MAX_BROWSER_BATCH_BYTES);
    const headers: Record<string, string> = { 'content-type': contentType, authorization: `Bearer ${rp.config.token}` };
    const encoding = req.headers['content-encoding'];
    if (encoding) headers['content-encoding'] = encoding;
    let upstream: Response;
    try {
      upstream = await fetch(`${rp.config.product}/v1/logs`, {
        method: 'POST',
        headers,
        body: new Uint8Array(body),
        signal: AbortSignal.timeout(FORWARD_TIMEOUT_MS),
      });
    } catch {
      return sendJson(res, 502, { error: 'The analytics product is unreachable' }, { 'retry-after': '5' });
    }
    const answer = Buffer.from(await upstream.arrayBuffer());
    const forwarded: Record<string, string> = { 'content-type': upstream.headers.get('content-type') ?? 'application/json' };
    const retryAfter = upstream.headers.get('retry-after');
    if (retryAfter) forwarded['retry-after'] = retryAfter;
    res.writeHead(upstream.status, forwarded);
    res.end(answer);
  });
}
