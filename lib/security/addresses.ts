/**
 * Where a request comes from: its TCP peer as scripts/serve.mjs stamps it, and lists of addresses
 * from configuration (AUTH_PROXY_ADDRESSES, TRUSTED_PROXIES) — IP addresses and CIDR ranges, checked
 * at start (lib/env.ts) and matched with Node's BlockList.
 */
import { timingSafeEqual } from 'node:crypto';
import { BlockList, isIP } from 'node:net';

/** The headers scripts/serve.mjs sets on every request (replacing what a client sent under them). */
export const PEER_ADDRESS_HEADER = 'x-pa-peer-address';
export const PEER_STAMP_HEADER = 'x-pa-peer-stamp';

/** Why an entry is not an IP address or CIDR range, or undefined. */
export function addressEntryProblem(entry: string): string | undefined {
  const [address, bits, extra] = entry.split('/');
  const family = isIP(address ?? '');
  const max = family === 6 ? 128 : 32;
  if (family === 0 || extra !== undefined || (bits !== undefined && !(/^\d{1,3}$/.test(bits) && Number(bits) <= max)))
    return `'${entry.slice(0, 60)}' is not an IP address or CIDR range (e.g. 10.0.0.5 or 10.0.0.0/24)`;
  return undefined;
}

const familyOf = (address: string) => (isIP(address) === 6 ? 'ipv6' : 'ipv4');

export interface AddressList {
  has(address: string): boolean;
}

/** The entries (valid ones: lib/env.ts has checked them) as a list to match addresses against. */
export function addressList(entries: readonly string[]): AddressList {
  const list = new BlockList();
  for (const entry of entries) {
    const [address, bits] = entry.split('/') as [string, string | undefined];
    if (bits === undefined) list.addAddress(address, familyOf(address));
    else list.addSubnet(address, Number(bits), familyOf(address));
  }
  return { has: (address) => isIP(address) !== 0 && list.check(address, familyOf(address)) };
}

/** The TCP peer of a request as scripts/serve.mjs stamped it; undefined when nothing trustworthy did. */
export function peerAddress(headers: Headers, stamp: string | undefined = process.env.PA_PEER_STAMP): string | undefined {
  const sent = Buffer.from(headers.get(PEER_STAMP_HEADER) ?? '');
  const expected = Buffer.from(stamp ?? '');
  if (expected.length === 0 || sent.length !== expected.length || !timingSafeEqual(sent, expected)) return undefined;
  const address = headers.get(PEER_ADDRESS_HEADER) ?? '';
  return isIP(address) ? address : undefined;
}

/**
 * The client address of a request: its TCP peer, or — when the peer is one of `trusted` (a reverse
 * proxy or load balancer, TRUSTED_PROXIES) — the nearest X-Forwarded-For entry, walking back from the
 * right past every trusted address (what the outermost trusted proxy saw; entries further left are
 * whatever the client claimed). Without a stamped peer (a server other than scripts/serve.mjs, such
 * as `next dev`) it is the first X-Forwarded-For entry, which a client can set at will.
 */
export function clientAddress(headers: Headers, trusted: AddressList, stamp: string | undefined = process.env.PA_PEER_STAMP): string {
  const forwarded = (headers.get('x-forwarded-for') ?? '')
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean);
  const peer = peerAddress(headers, stamp);
  if (peer === undefined) return (forwarded[0] ?? '').slice(0, 64) || 'unknown';
  let address = peer;
  while (trusted.has(address) && forwarded.length > 0) address = forwarded.pop()!;
  return address.slice(0, 64);
}
