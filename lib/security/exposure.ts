/**
 * Where an install may be reached (DESIGN.md section 10; docs/security.md "Exposure"). Without
 * anything guarding the API (API_TOKENS; passkey sign-in is not built yet), the product is a
 * local, single-operator install: it binds loopback only, and its open requests must name a
 * loopback host, so a web page that rebinds its own DNS name to 127.0.0.1 cannot read it.
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
 * Why the configured bind address must not be served, or undefined: a non-loopback HOST with
 * nothing guarding the API would put every user's authentication telemetry and the stage-decision
 * writes on the network.
 */
export function exposureProblem(e: Env): string | undefined {
  if (isLoopbackHostname(e.HOST) || e.API_TOKENS.length > 0) return undefined;
  return [
    `HOST=${e.HOST} would serve the dashboard and its API beyond this machine, and nothing guards them.`,
    'Either keep the default HOST=127.0.0.1 (put a reverse proxy with its own sign-in in front of it),',
    'or set API_TOKENS (every /api/v1 read then needs a token) and ADMIN_TOKENS (every write needs an admin token).',
    'Passkey sign-in for the dashboard (PUBLIC_URL) is not available yet. See docs/security.md, "Exposure".',
  ].join('\n');
}
