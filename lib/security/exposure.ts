/**
 * Where an install may be reached (DESIGN.md section 10; docs/security.md "Exposure"). Without
 * sign-in configured (PUBLIC_URL or AUTH_PROXY_HEADER), the product is a local, single-operator install: it binds
 * loopback only, and its open requests must name a loopback host, so a web page that rebinds its
 * own DNS name to 127.0.0.1 cannot read it.
 */
import type { Env } from '../env';

const LOOPBACK_HOSTNAMES = new Set(['localhost', '127.0.0.1', '::1', '[::1]']);

/** A hostname (no port) that only this machine can reach. */
export function isLoopbackHostname(hostname: string): boolean {
  const name = hostname.toLowerCase().replace(/\.$/, '');
  return LOOPBACK_HOSTNAMES.has(name) || name.endsWith('.localhost') || /^127(\.\d{1,3}){3}$/.test(name);
}

/** Whether a request's `Host` header (`name[:port]`) may reach an open install. */
export function isAllowedHost(host: string): boolean {
  const hostname = host.startsWith('[') ? host.slice(0, host.indexOf(']') + 1) : host.replace(/:\d*$/, '');
  return isLoopbackHostname(hostname);
}

/**
 * Why the configured bind address must not be served, or undefined: a non-loopback HOST without
 * sign-in would put every user's authentication telemetry and the stage-decision writes on the
 * network (tokens alone leave the dashboard's pages open).
 */
export function exposureProblem(e: Env): string | undefined {
  if (isLoopbackHostname(e.HOST) || e.PUBLIC_URL || e.AUTH_PROXY_HEADER) return undefined;
  return [
    `HOST=${e.HOST} would serve the dashboard and its API beyond this machine without sign-in.`,
    'Set PUBLIC_URL to the address people will open (e.g. PUBLIC_URL=https://analytics.example.com): passkey sign-in',
    'then guards every page and /api/v1 route, and the first administrator joins with a setup code printed at start.',
    'Or let an SSO reverse proxy sign people in: AUTH_PROXY_HEADER with AUTH_PROXY_ADDRESSES (docs/security.md).',
    'Or keep the default HOST=127.0.0.1 (and put a reverse proxy with its own sign-in in front of it).',
    'Machines use API_TOKENS / ADMIN_TOKENS either way. See docs/security.md, "Exposure".',
  ].join('\n');
}
