/** The state pass's pure rules (ceremonies and flows): which hours an event can change, chunking, when patches are folded, and the read plan. */
import { describe, expect, it } from 'vitest';
import { affectedHours, chunkHours } from '@/lib/ceremony-states';
import { dueForFold, FOLD_MAX_ROWS, FOLD_MIN_ROWS, FOLD_QUIET_MS, foldClosure } from '@/lib/ceremony-state-folds';
import { beginInsert, settledBefore } from '@/ingest/unsettled';
import { ceremonyPlanParams, garbageOf, planOf } from '@/lib/ceremony-plan';
import { FLOW_SPAN_HOURS } from '@/sql/queries/journey-fragments';

const H = 3_600_000;

describe('affectedHours', () => {
  it("takes each event hour with a flow's span of hours before and after, once, in order", () => {
    const span = FLOW_SPAN_HOURS;
    const expected = Array.from({ length: 5 - 2 + 2 * span + 1 }, (_, i) => (2 - span + i) * H);
    expect(affectedHours([5 * H, 2 * H, 3 * H])).toEqual(expected);
    expect(affectedHours([])).toEqual([]);
  });
});

describe('chunkHours', () => {
  it('cuts sorted hours into consecutive chunks', () => {
    expect(chunkHours([1, 2, 3, 4, 5], 2)).toEqual([[1, 2], [3, 4], [5]]);
  });
});

describe('dueForFold', () => {
  const now = 100 * H;
  it('folds an hour whose patches went quiet', () => {
    expect(dueForFold({ lastPatch: now - FOLD_QUIET_MS, baseRows: 1_000_000, patchRows: 1 }, now)).toBe(true);
    expect(dueForFold({ lastPatch: now - FOLD_QUIET_MS + 1, baseRows: 1_000_000, patchRows: 1 }, now)).toBe(false);
  });
  it('folds small hours at the minimum, large ones at a quarter of the base, capped', () => {
    expect(dueForFold({ lastPatch: now, baseRows: 0, patchRows: FOLD_MIN_ROWS - 1 }, now)).toBe(false);
    expect(dueForFold({ lastPatch: now, baseRows: 0, patchRows: FOLD_MIN_ROWS }, now)).toBe(true);
    expect(dueForFold({ lastPatch: now, baseRows: 100_000, patchRows: 24_999 }, now)).toBe(false);
    expect(dueForFold({ lastPatch: now, baseRows: 100_000, patchRows: 25_000 }, now)).toBe(true);
    expect(dueForFold({ lastPatch: now, baseRows: 10_000_000, patchRows: FOLD_MAX_ROWS }, now)).toBe(true);
  });
});

describe('foldClosure', () => {
  it('folds the due hours alone when no key moved', () => {
    expect(foldClosure([7 * H, 5 * H], [])).toEqual([5 * H, 7 * H]);
  });
  it('adds every hour holding a row of a key whose newest row lies in a folded hour', () => {
    // a ceremony moved an hour earlier by a late prompt: its old base row in 6, its patch in 5
    expect(foldClosure([5 * H], [{ key: 'c', hours: [5 * H, 6 * H], newest: 5 * H }])).toEqual([5 * H, 6 * H]);
    // a flow moved a day earlier: its newest row far from the due hour's neighbours
    expect(foldClosure([30 * H], [{ key: 'f', hours: [30 * H, 6 * H, 18 * H], newest: 30 * H }])).toEqual([6 * H, 18 * H, 30 * H]);
  });
  it('leaves the hours of a key whose newest row lies outside the fold: the fold drops it, its patch stays valid', () => {
    expect(foldClosure([6 * H], [{ key: 'c', hours: [5 * H, 6 * H], newest: 5 * H }])).toEqual([6 * H]);
  });
  it('follows chains until nothing is added', () => {
    const moved = [
      { key: 'b', hours: [7 * H, 8 * H], newest: 7 * H },
      { key: 'a', hours: [5 * H, 7 * H], newest: 5 * H },
      { key: 'c', hours: [8 * H, 9 * H], newest: 8 * H },
      { key: 'd', hours: [2 * H, 3 * H], newest: 2 * H },
    ];
    expect(foldClosure([5 * H], moved)).toEqual([5 * H, 7 * H, 8 * H, 9 * H]);
  });
});

describe('settledBefore', () => {
  it('is the time asked for unless an insert stamped earlier is still in flight', () => {
    expect(settledBefore(1_000)).toBe(1_000);
    const first = beginInsert(400);
    const second = beginInsert(700);
    expect(settledBefore(1_000)).toBe(400);
    first();
    expect(settledBefore(1_000)).toBe(700);
    second();
    second();
    expect(settledBefore(1_000)).toBe(1_000);
  });
});

describe('the ceremony read plan', () => {
  const H = 3_600;
  const rows = [
    { hour: 0, version: '10', kind: 'patch', computed_ms: 1_000 },
    { hour: 0, version: '30', kind: 'patch', computed_ms: 3_000 },
    { hour: 5 * H, version: '9', kind: 'base', computed_ms: 900 },
    { hour: 5 * H, version: '20', kind: 'base', computed_ms: 2_000 },
    { hour: 5 * H, version: '12', kind: 'patch', computed_ms: 1_200 },
    { hour: 5 * H, version: '30', kind: 'patch', computed_ms: 3_000 },
    { hour: 6 * H, version: '9', kind: 'base', computed_ms: 900 },
    { hour: 7 * H, version: '30', kind: 'patch', computed_ms: 3_000 },
  ];

  it("takes the newest watermark, each hour's newest base and the patches newer than it", () => {
    const plan = planOf(rows);
    expect(plan.watermark).toBe(3_000);
    expect([...plan.bases].sort()).toEqual([
      [5 * H, 20],
      [6 * H, 9],
    ]);
    // The patch of version 12 is older than hour 5's base; hour 7 has no base, so its patch is valid.
    expect(plan.patches.sort()).toEqual([
      [5 * H, 30],
      [7 * H, 30],
    ]);
  });

  it('garbage is what lies below the newest base committed before the grace cutoff, never the base a plan may still name', () => {
    // Hour 5: bases 9 (at 900) and 20 (at 2,000), patches 12 and 30. Hour 6: one base only.
    expect(garbageOf(rows, 2_500)).toEqual([{ version: 20, hours: [5 * H] }]);
    // Before base 20 is past the grace, base 9 may still be read through a cached plan.
    expect(garbageOf(rows, 1_500)).toEqual([]);
    expect(garbageOf([], 10_000)).toEqual([]);
  });

  it('before the first pass the plan is empty and every ceremony is regrouped from raw events', () => {
    expect(planOf([])).toEqual({ watermark: 0, bases: new Map(), patches: [] });
  });

  /** A bound pair list's text (`versionPairsText`) back as pairs. */
  const pairs = (text: string): number[][] => JSON.parse(text.replaceAll('(', '[').replaceAll(')', ']'));

  it("binds the window's hours (two either side; a flow's span and an hour for flows), the hours around each patch, and never an empty list", () => {
    const plan = planOf(rows);
    const near = ceremonyPlanParams(plan, new Date(8 * H * 1000), new Date(9 * H * 1000));
    expect(near.stateWatermark).toEqual(new Date(3_000));
    expect(pairs(near.stateBases)).toEqual([
      [6 * H, 9],
      [0, 0],
    ]);
    expect(pairs(near.statePatches)).toEqual([
      [7 * H, 30],
      [0, 0],
    ]);
    expect(near.statePatchHours.sort((a, b) => a - b)).toEqual([0, 6 * H, 7 * H, 8 * H]);
    // Flows look a span further: hour 5's patch is within FLOW_SPAN_HOURS + 1 of the window.
    expect(pairs(near.flowStatePatches).sort()).toEqual([
      [0, 0],
      [5 * H, 30],
      [7 * H, 30],
    ]);
    const margin = FLOW_SPAN_HOURS + 1;
    const later = ceremonyPlanParams(plan, new Date((7 + margin) * H * 1000), new Date((8 + margin) * H * 1000));
    expect(pairs(later.flowStatePatches)).toEqual([
      [7 * H, 30],
      [0, 0],
    ]);
    expect(pairs(later.statePatches)).toEqual([[0, 0]]);
    const far = ceremonyPlanParams(plan, new Date(100 * H * 1000), new Date(101 * H * 1000));
    expect(pairs(far.stateBases)).toEqual([[0, 0]]);
    expect(pairs(far.statePatches)).toEqual([[0, 0]]);
    expect(far.statePatchHours).toEqual([0]);
    expect(pairs(ceremonyPlanParams(plan).stateBases)).toHaveLength(3);
  });
});
