/**
 * The simulated rollout: four stages advancing over the simulated period (DESIGN.md section 1),
 * as fractions of it so any `--days` keeps the same story — stage 4 is reached in the last fifth,
 * and stage 3 has lasted well under the 60 days the 3 → 4 gate asks for.
 */
export const ROLLOUT_FLAG_KEY = 'passkey-rollout';

export type RolloutStage = 1 | 2 | 3 | 4;

/** Where each stage starts, as a fraction of the simulated period. */
export const STAGE_STARTS: Readonly<Record<RolloutStage, number>> = { 1: 0, 2: 0.25, 3: 0.5, 4: 0.8 };

export interface SimulationWindow {
  /** Epoch milliseconds, inclusive. */
  start: number;
  /** Epoch milliseconds ("now"), inclusive. */
  end: number;
}

export function stageAt(window: SimulationWindow, time: number): RolloutStage {
  const fraction = (time - window.start) / Math.max(1, window.end - window.start);
  if (fraction >= STAGE_STARTS[4]) return 4;
  if (fraction >= STAGE_STARTS[3]) return 3;
  if (fraction >= STAGE_STARTS[2]) return 2;
  return 1;
}

export function stageStart(window: SimulationWindow, stage: RolloutStage): number {
  return window.start + STAGE_STARTS[stage] * (window.end - window.start);
}

export function variantOf(stage: RolloutStage): string {
  return `stage-${stage}`;
}
