/**
 * One series of one rule across evaluations (docs/alerts.md, "Firing, resolving, cool-down"): pure.
 *
 *   ok → firing     notifies `firing` — unless muted (a silence) or within the cool-down after the
 *                   series' previous firing notice; then it fires without notifying and notifies
 *                   at the first later evaluation where it is still firing and no longer held back.
 *   firing → firing nothing (de-duplication: one firing notice per episode).
 *   firing → ok     notifies `resolved` when its firing notice went out, else resolves quietly.
 */

export interface SeriesState {
  status: 'ok' | 'firing';
  /** When the current status began (ms). */
  since: number;
  /** The current episode's firing notice went out. */
  notified: boolean;
  /** When the last firing notice went out (ms), for the cool-down. */
  lastFiringNoticeAt: number | null;
  /** Rule-specific memory between evaluations (a gate's last verdict). */
  memo: string;
}

export interface StepInput {
  active: boolean;
  memo?: string;
}

export interface StepOptions {
  now: number;
  cooldownMs: number;
  /** A silence covers the series. */
  muted: boolean;
}

export type Notice = 'firing' | 'resolved' | null;

export interface StepResult {
  next: SeriesState;
  notice: Notice;
  /** Firing but not notified, and why. */
  heldBack: 'silenced' | 'cooldown' | null;
  /** The state differs from the previous one (worth storing). */
  changed: boolean;
}

export const INITIAL_STATE: SeriesState = { status: 'ok', since: 0, notified: false, lastFiringNoticeAt: null, memo: '' };

export function step(previous: SeriesState | undefined, input: StepInput, options: StepOptions): StepResult {
  const prev = previous ?? { ...INITIAL_STATE, since: options.now };
  const memo = input.memo ?? prev.memo;
  const { now, cooldownMs, muted } = options;
  const changedFrom = (next: SeriesState) =>
    previous === undefined
      ? next.status !== 'ok' || next.memo !== ''
      : next.status !== prev.status ||
        next.notified !== prev.notified ||
        next.memo !== prev.memo ||
        next.lastFiringNoticeAt !== prev.lastFiringNoticeAt;

  if (!input.active) {
    if (prev.status === 'ok') {
      const next = { ...prev, memo };
      return { next, notice: null, heldBack: null, changed: changedFrom(next) };
    }
    const next: SeriesState = { status: 'ok', since: now, notified: false, lastFiringNoticeAt: prev.lastFiringNoticeAt, memo };
    return { next, notice: prev.notified ? 'resolved' : null, heldBack: null, changed: true };
  }

  const startsNow = prev.status === 'ok';
  if (!startsNow && prev.notified) {
    const next = { ...prev, memo };
    return { next, notice: null, heldBack: null, changed: changedFrom(next) };
  }
  const inCooldown = prev.lastFiringNoticeAt !== null && now - prev.lastFiringNoticeAt < cooldownMs;
  const heldBack = muted ? 'silenced' : inCooldown ? 'cooldown' : null;
  const since = startsNow ? now : prev.since;
  const next: SeriesState = heldBack
    ? { status: 'firing', since, notified: false, lastFiringNoticeAt: prev.lastFiringNoticeAt, memo }
    : { status: 'firing', since, notified: true, lastFiringNoticeAt: now, memo };
  return { next, notice: heldBack ? null : 'firing', heldBack, changed: changedFrom(next) };
}
