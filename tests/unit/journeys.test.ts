/** The pure parts of lib/metrics/journeys.ts: path rows → top paths and diagram, time rows → time to sign in, exposure rows → buckets. */
import { describe, expect, it } from 'vitest';
import { journeyGraph, timesToSignIn, TOP_PATHS, upsellExposureBuckets } from '@/lib/metrics/journeys';
import type { JourneyRow } from '@/sql/queries/journeys';

const path = (states: string[], flows: number, quantiles = [1000, 2000]): JourneyRow => ({
  part: 'path',
  path: states,
  method: '',
  deviceClass: '',
  flows,
  quantiles,
});
const time = (method: string, deviceClass: string, flows: number): JourneyRow => ({
  part: 'time',
  path: [],
  method,
  deviceClass,
  flows,
  quantiles: [1, 2, 3],
});

describe('journeyGraph', () => {
  const rows = [
    path(['autofill', 'autofill_ok', 'verified', 'passkey_success'], 6),
    path(['password_form', 'fallback_password', 'fallback_success'], 3),
    path(['autofill', 'autofill_error', 'fallback_password', 'fallback_success'], 1),
    path(['passkey_button', 'prompt_cancelled', 'in_progress'], 2),
  ];

  it('keeps in-progress flows apart from the finished ones and their shares', () => {
    const graph = journeyGraph(rows);
    expect([graph.flows, graph.inProgress]).toEqual([10, 2]);
    expect(graph.paths.map((p) => [p.flows, p.share, p.endState])).toEqual([
      [6, 0.6, 'passkey_success'],
      [3, 0.3, 'fallback_success'],
      [1, 0.1, 'fallback_success'],
    ]);
    expect(graph.endStates).toEqual([
      { state: 'passkey_success', flows: 6, share: 0.6 },
      { state: 'fallback_success', flows: 4, share: 0.4 },
      { state: 'failed', flows: 0, share: 0 },
      { state: 'abandoned', flows: 0, share: 0 },
    ]);
  });

  it('sums a link over every path that takes it; end states are one node each', () => {
    const graph = journeyGraph(rows);
    expect(graph.nodes.find((n) => n.id === '0:autofill')).toEqual({
      id: '0:autofill',
      state: 'autofill',
      role: 'entry',
      depth: 0,
      flows: 7,
    });
    expect(graph.nodes.find((n) => n.id === 'end:fallback_success')).toEqual({
      id: 'end:fallback_success',
      state: 'fallback_success',
      role: 'end',
      depth: null,
      flows: 4,
    });
    expect(graph.links.find((l) => l.source === '2:fallback_password')).toEqual({
      source: '2:fallback_password',
      target: 'end:fallback_success',
      depth: 2,
      sourceState: 'fallback_password',
      targetState: 'fallback_success',
      flows: 1,
    });
    expect(graph.links.find((l) => l.source === '1:fallback_password')!.flows).toBe(3);
    expect(graph.nodes.some((n) => n.state === 'in_progress' || n.state === 'prompt_cancelled')).toBe(false);
  });

  it('lists the top paths, most flows first and ties by path, and sums the rest', () => {
    const many = Array.from({ length: TOP_PATHS + 3 }, (_, i) =>
      path(['password_form', `fallback_m${String(i).padStart(2, '0')}`, 'fallback_success'], i < 2 ? 5 : 1),
    );
    const graph = journeyGraph(many);
    expect(graph.paths).toHaveLength(TOP_PATHS);
    expect(graph.paths.slice(0, 3).map((p) => p.path[1])).toEqual(['fallback_m00', 'fallback_m01', 'fallback_m02']);
    expect(graph.otherPaths).toEqual({ paths: 3, flows: 3 });
  });

  it('answers an empty window with zeros and null shares, never NaN', () => {
    const graph = journeyGraph([]);
    expect([graph.flows, graph.paths, graph.nodes, graph.links]).toEqual([0, [], [], []]);
    expect(graph.endStates.every((e) => e.flows === 0 && e.share === null)).toBe(true);
  });
});

describe('timesToSignIn', () => {
  it('puts the all-device-class rows first, then most flows first', () => {
    const rows = [
      time('password', 'mobile-ios', 2),
      time('passkey', '', 5),
      time('passkey', 'mobile-ios', 3),
      time('password', '', 5),
      path(['x', 'passkey_success'], 1),
    ];
    expect(timesToSignIn(rows).map((t) => [t.method, t.deviceClass, t.flows])).toEqual([
      ['passkey', null, 5],
      ['password', null, 5],
      ['passkey', 'mobile-ios', 3],
      ['password', 'mobile-ios', 2],
    ]);
    expect(timesToSignIn(rows)[0]).toMatchObject({ p25Ms: 1, medianMs: 2, p90Ms: 3 });
  });
});

describe('upsellExposureBuckets', () => {
  it('always answers the four buckets, shares of shown', () => {
    expect(upsellExposureBuckets([{ exposure: 2, shown: 4, accepted: 2, registered: 1 }])).toEqual([
      { exposure: 1, label: '1st', shown: 0, accepted: 0, registered: 0, acceptedShare: null, registeredShare: null },
      { exposure: 2, label: '2nd', shown: 4, accepted: 2, registered: 1, acceptedShare: 0.5, registeredShare: 0.25 },
      { exposure: 3, label: '3rd', shown: 0, accepted: 0, registered: 0, acceptedShare: null, registeredShare: null },
      { exposure: 4, label: '4th or later', shown: 0, accepted: 0, registered: 0, acceptedShare: null, registeredShare: null },
    ]);
  });
});
