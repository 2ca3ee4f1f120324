/**
 * Security headers (DESIGN.md section 10). Two places set them, one per kind of response:
 *
 * - pages: proxy.ts sets PAGE_SECURITY_HEADERS and a Content-Security-Policy with a fresh nonce per
 *   request. Next.js reads the nonce back from the request's CSP header while rendering and puts it
 *   on its bootstrap scripts, inline flight data and chunk scripts; `'strict-dynamic'` lets the
 *   chunks those scripts load run too. A nonce needs a per-request render, so the root layout opts
 *   every page into dynamic rendering (app/layout.tsx).
 * - everything else (`/api/*`, `/v1/logs`, `/_next/*`): next.config.mjs `headers()` sets the same
 *   headers with API_CONTENT_SECURITY_POLICY. The proxy does not run there on purpose: Next.js
 *   buffers the body of every request a proxy sees (`proxyClientMaxBodySize`, 10 MB by default),
 *   which would cut OTLP batches and bypass the ingest budget.
 *
 * next.config.mjs cannot import TypeScript, so it repeats SECURITY_HEADERS and the API policy;
 * tests/unit/security-headers.test.ts checks that the two agree.
 *
 * The page policy allows no remote origin. Style attributes stay allowed (`style-src-attr
 * 'unsafe-inline'`): React renders some server-side (chart heights, bar widths) and a nonce cannot
 * cover an attribute; style elements and scripts need the nonce.
 */

/** On every response, pages and API alike. */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'strict-origin-when-cross-origin',
  'X-Frame-Options': 'DENY',
};

/** Responses that are not pages (JSON, CSV, protobuf, static files): nothing may load or frame them. */
export const API_CONTENT_SECURITY_POLICY = "default-src 'none'; frame-ancestors 'none'";

/** A fresh nonce: 128 random bits, base64. */
export function newNonce(): string {
  return btoa(String.fromCharCode(...crypto.getRandomValues(new Uint8Array(16))));
}

/**
 * The policy of a page. `dev` adds what `next dev` needs (React's eval-based error overlays and
 * inline styles of the dev tools); a production build needs neither.
 */
export function pageContentSecurityPolicy(nonce: string, dev = false): string {
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${dev ? " 'unsafe-eval'" : ''}`,
    dev ? "style-src 'self' 'unsafe-inline'" : `style-src 'self' 'nonce-${nonce}'`,
    "style-src-attr 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
}
