/**
 * The requests being answered now, so that background work gives way to them. Why: on two cores a
 * backfill (the stage-gate history, lib/stage-gates/history-pass.ts) that runs beside a viewer's
 * page costs that page up to half the machine; work that can wait should.
 * Process-wide: every API route counts itself in (lib/api/define-route.ts).
 */
const KEY = Symbol.for('passkey-analytics.foreground-requests');
type GlobalWithForeground = typeof globalThis & { [KEY]?: { pending: number } };

function state(): { pending: number } {
  const g = globalThis as GlobalWithForeground;
  return (g[KEY] ??= { pending: 0 });
}

/** Counts a request in; call the returned function once it is answered. */
export function beginForeground(): () => void {
  state().pending += 1;
  let ended = false;
  return () => {
    if (ended) return;
    ended = true;
    state().pending -= 1;
  };
}

/** How many requests are being answered now. */
export function foregroundPending(): number {
  return state().pending;
}

/**
 * Resolves once `busy()` is false, checking every `stepMs`, or after `maxWaitMs` at most (so a
 * stream of requests delays background work but never stops it).
 */
export async function waitWhile(busy: () => boolean, maxWaitMs: number, stepMs = 200): Promise<void> {
  const deadline = Date.now() + maxWaitMs;
  while (busy() && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, stepMs));
}
