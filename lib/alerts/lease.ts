/**
 * Exactly one evaluator per cluster (docs/alerts.md, "Schedule and the single evaluator"). Time is
 * cut into terms of TERM_MS; every instance that wants to evaluate claims the current term with a
 * row in `alert_lease`, waits `settleMs` for concurrent claims to become visible, and reads the
 * term's claims: the holder is the previous term's holder when it claimed this one (the lease
 * sticks), else the earliest claim (ties by holder name). Every instance computes the same holder
 * from the same rows; a claim made later in a term can only lose. On the embedded engine there is
 * one process and nothing to wait for.
 */
import 'server-only';
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { runQuery } from '@/lib/query';
import { alertLeaseClaims } from '@/sql/queries/alerts-store';
import { saveLeaseClaim } from './store';

export const TERM_MS = 60_000;
/** How long a claim takes to become visible to every instance on a server or cluster. */
export const SERVER_SETTLE_MS = 2_000;

export interface Claim {
  term: number;
  holder: string;
  claimedAt: number;
}

/** The holder of `term` from its claims and the previous term's holder. Pure. */
export function termHolder(
  claims: readonly Claim[],
  term: number,
  previousHolder: string | null,
  settleMs = SERVER_SETTLE_MS,
): string | null {
  const own = claims.filter((claim) => claim.term === term);
  const sorted = [...own].sort((a, b) => a.claimedAt - b.claimedAt || (a.holder < b.holder ? -1 : a.holder > b.holder ? 1 : 0));
  const earliest = sorted[0];
  if (!earliest) return null;
  // The previous holder keeps the lease if it claimed within the settle time of the first claim
  // (every instance decides after that time, so a later claim cannot change anyone's answer).
  const sticky = sorted.find((claim) => claim.holder === previousHolder && claim.claimedAt <= earliest.claimedAt + settleMs);
  return (sticky ?? earliest).holder;
}

// One name and one decision per process, even when bundles load this module more than once.
const LEASE_KEY = Symbol.for('passkey-analytics.alerts-lease');
interface LeaseState {
  holder: string;
  decided: { term: number; holder: string | null } | undefined;
}
function leaseState(): LeaseState {
  const g = globalThis as typeof globalThis & { [LEASE_KEY]?: LeaseState };
  g[LEASE_KEY] ??= { holder: `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`, decided: undefined };
  return g[LEASE_KEY];
}

/** This process's name in the lease. */
export function holderName(): string {
  return leaseState().holder;
}

/** Whether this process holds the lease for the term of `now` (claims it first if not yet decided). */
export async function holdsLease(now: number, settleMs: number): Promise<{ held: boolean; holder: string | null }> {
  const state = leaseState();
  const term = Math.floor(now / TERM_MS);
  if (state.decided?.term === term) return { held: state.decided.holder === state.holder, holder: state.decided.holder };
  const read = async (terms: number[]) =>
    (await runQuery(alertLeaseClaims, { terms })).map((row) => ({
      term: row.term,
      holder: row.holder,
      claimedAt: Date.parse(row.claimedAt),
    }));
  const before = await read([term - 2, term - 1]);
  const previousHolder = termHolder(before, term - 1, termHolder(before, term - 2, null, settleMs), settleMs);
  await saveLeaseClaim(term, state.holder, now);
  if (settleMs > 0) await new Promise((resolve) => setTimeout(resolve, settleMs));
  const holder = termHolder(await read([term]), term, previousHolder, settleMs);
  state.decided = { term, holder };
  return { held: holder === state.holder, holder };
}
