/**
 * Where the rollout stands: the current stage, when it was entered and how long each stage lasted,
 * from the rollout config and the decision log (DESIGN.md section 5). Pure; the decision log is
 * read and written by lib/stage-gates/decisions.ts.
 *
 * The rules
 * - The newest decision wins: its `toStage` is the current stage, whatever the config's
 *   `currentStage` says. With no decision the config's `currentStage` holds.
 * - A stage is entered by the decision that moved the rollout to it (advance or roll back); a hold
 *   keeps the stage and its entry time. With no such decision the config's `stageEnteredAt` is the
 *   entry of the config's stage; otherwise the entry is unknown.
 * - A decision's `stage` is where it leaves the rollout: advance → exactly current + 1, roll back →
 *   any lower stage, hold → the current stage.
 */
import type { RolloutConfig } from './config';

export const DAY_MS = 86_400_000;

export type DecisionActionName = 'advance' | 'hold' | 'roll_back';

/** A decision as the log holds it (times as Dates). */
export interface RecordedDecision {
  id: string;
  decidedAt: Date;
  action: DecisionActionName;
  fromStage: number;
  toStage: number;
  actor: string;
  reason: string;
}

export interface StageState {
  currentStage: number;
  currentStageSource: 'decision_log' | 'config';
  /** When the current stage was entered; null when unknown. */
  stageEnteredAt: Date | null;
}

/** `decisions` in any order; only those decided at or before `at` count. */
export function stageStateAt(
  config: Pick<RolloutConfig, 'currentStage' | 'stageEnteredAt'>,
  decisions: readonly RecordedDecision[],
  at: Date,
): StageState {
  const past = chronological(decisions).filter((decision) => decision.decidedAt.getTime() <= at.getTime());
  const latest = past.at(-1);
  if (!latest) {
    return { currentStage: config.currentStage, currentStageSource: 'config', stageEnteredAt: configEntry(config) };
  }
  const currentStage = latest.toStage;
  return { currentStage, currentStageSource: 'decision_log', stageEnteredAt: entryOf(config, past, currentStage) };
}

/**
 * Days the rollout spent at `stage`, as of `at`: still running for the current stage
 * (at − entry), zero for a stage not reached yet (a gate out of it cannot open before the rollout
 * gets there), and for a stage already left the length of its last stay. Null when unknown (no
 * entry time on record).
 */
export function daysAtStage(
  config: Pick<RolloutConfig, 'currentStage' | 'stageEnteredAt'>,
  decisions: readonly RecordedDecision[],
  stage: number,
  at: Date,
): number | null {
  const state = stageStateAt(config, decisions, at);
  if (stage === state.currentStage) {
    return state.stageEnteredAt ? elapsedDays(state.stageEnteredAt, at) : null;
  }
  if (stage > state.currentStage) return 0;

  // A stage below the current one: its last stay ended with the last decision that moved away from it.
  const past = chronological(decisions).filter((decision) => decision.decidedAt.getTime() <= at.getTime());
  let leftAt: Date | null = null;
  let leftIndex = -1;
  past.forEach((decision, index) => {
    if (decision.fromStage === stage && decision.toStage !== stage) {
      leftAt = decision.decidedAt;
      leftIndex = index;
    }
  });
  if (!leftAt) return null;
  const before = past.slice(0, leftIndex);
  const enteredAt = entryOf(config, before, stage);
  return enteredAt ? elapsedDays(enteredAt, leftAt) : null;
}

export type DecisionCheck = { ok: true } | { ok: false; message: string };

/** Whether `action` to `stage` is allowed from `currentStage` (see the header). */
export function checkDecision(action: DecisionActionName, stage: number, currentStage: number): DecisionCheck {
  switch (action) {
    case 'advance':
      if (currentStage >= 5) return { ok: false, message: 'The rollout is at stage 5, the last stage: there is nothing to advance to.' };
      return stage === currentStage + 1
        ? { ok: true }
        : { ok: false, message: `An advance goes from the current stage ${currentStage} to stage ${currentStage + 1}, not ${stage}.` };
    case 'roll_back':
      if (currentStage <= 1) return { ok: false, message: 'The rollout is at stage 1: there is nothing to roll back to.' };
      return stage < currentStage
        ? { ok: true }
        : { ok: false, message: `A roll back goes to a stage below the current stage ${currentStage}, not ${stage}.` };
    case 'hold':
      return stage === currentStage
        ? { ok: true }
        : { ok: false, message: `A hold keeps the current stage ${currentStage}; stage ${stage} is not it.` };
  }
}

function chronological(decisions: readonly RecordedDecision[]): RecordedDecision[] {
  return [...decisions].sort((a, b) => a.decidedAt.getTime() - b.decidedAt.getTime() || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

function configEntry(config: Pick<RolloutConfig, 'stageEnteredAt'>): Date | null {
  if (!config.stageEnteredAt) return null;
  const value = /^\d{4}-\d{2}-\d{2}$/.test(config.stageEnteredAt) ? `${config.stageEnteredAt}T00:00:00Z` : config.stageEnteredAt;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? null : date;
}

/**
 * When the rollout last entered `stage` given decisions (chronological) that end with it at that
 * stage: the last decision that moved to it, else — when no decision ever moved it — the config's
 * entry time if the config names that stage.
 */
function entryOf(
  config: Pick<RolloutConfig, 'currentStage' | 'stageEnteredAt'>,
  chronologicalDecisions: readonly RecordedDecision[],
  stage: number,
): Date | null {
  for (let index = chronologicalDecisions.length - 1; index >= 0; index--) {
    const decision = chronologicalDecisions[index];
    if (decision && decision.toStage === stage && decision.fromStage !== stage) return decision.decidedAt;
  }
  const everMoved = chronologicalDecisions.some((decision) => decision.fromStage !== decision.toStage);
  return !everMoved && config.currentStage === stage ? configEntry(config) : null;
}

/** Whole days elapsed ("day 60" starts 60 × 24 h after the entry). */
function elapsedDays(from: Date, to: Date): number {
  return Math.max(0, Math.floor((to.getTime() - from.getTime()) / DAY_MS));
}
