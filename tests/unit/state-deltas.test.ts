import { describe, expect, it } from 'vitest';
import { FLOW_SPAN_HOURS } from '@/lib/domain/journeys';
import { sql } from '@/lib/sql';
import { deltaPart, hasDeltaParts, withoutSettledDeltas } from '@/lib/state-deltas';
import { journeyFlows } from '@/sql/queries/journey-flows';
import { journeyPaths } from '@/sql/queries/journeys';
import { registrationCeremonyBreakdown } from '@/sql/queries/registration-ceremonies-by-dimension';

const HOUR = 3_600_000;
const from = new Date(Date.UTC(2026, 10, 1, 10, 30));
const to = new Date(Date.UTC(2026, 10, 29, 10, 30));
const text = sql`SELECT 1 ${deltaPart('ceremony', sql`AND c`)} ${deltaPart('flow', sql`AND f`)} ${deltaPart('ceremony', sql`AND c2`)}`.text;
const kept = (recent: { first: number; last: number } | null) =>
  ['AND c', 'AND f', 'AND c2'].filter((part) => withoutSettledDeltas(text, recent, from, to).includes(part));

describe('leaving out the regrouping of what no new event can reach', () => {
  it('keeps every part when new events lie in the window', () => {
    const inside = from.getTime() + 5 * 24 * HOUR;
    expect(kept({ first: inside, last: inside })).toEqual(['AND c', 'AND f', 'AND c2']);
  });

  it('leaves every part out when nothing new arrived, or only far from the window', () => {
    expect(kept(null)).toEqual([]);
    expect(kept({ first: to.getTime() + 30 * HOUR, last: to.getTime() + 40 * HOUR })).toEqual([]);
    expect(kept({ first: from.getTime() - 60 * HOUR, last: from.getTime() - 30 * HOUR })).toEqual([]);
  });

  it("uses each kind's reach: a ceremony's events lie within an hour or two, a flow's within 25 hours", () => {
    // 3 hours after the window: beyond a ceremony's reach (2 h), within a flow's (25 h)
    expect(kept({ first: to.getTime() + 3 * HOUR, last: to.getTime() + 3 * HOUR })).toEqual(['AND f']);
    // just before the window's first hour, by less than an hour: both
    const hour = Math.floor(from.getTime() / HOUR) * HOUR;
    expect(kept({ first: hour - HOUR / 2, last: hour - HOUR / 2 })).toEqual(['AND c', 'AND f', 'AND c2']);
    // a new event spanning the window from before to after it reaches both
    expect(kept({ first: from.getTime() - 100 * HOUR, last: to.getTime() + 100 * HOUR })).toEqual(['AND c', 'AND f', 'AND c2']);
  });

  it("states each kind's reach as its delta branch reads events", () => {
    // ceremony_delta_keys: from the hour before `from`'s to two hours past `to`
    expect(registrationCeremonyBreakdown.deviceClass.sql).toMatch(
      /toStartOfHour\(\{from:DateTime64\(3, 'UTC'\)\}\) - INTERVAL 1 HOUR\s+AND timestamp < \{to:DateTime64\(3, 'UTC'\)\} \+ INTERVAL 2 HOUR\s+AND received_at >= \{stateWatermark/,
    );
    // flow_delta: a flow's span either side
    const span = `INTERVAL ${FLOW_SPAN_HOURS} HOUR`;
    expect(journeyPaths.sql).toContain(
      `timestamp >= toStartOfHour({from:DateTime64(3, 'UTC')}) - ${span} AND timestamp < {to:DateTime64(3, 'UTC')} + ${span}`,
    );
    const beyondFlowSpan = to.getTime() + (FLOW_SPAN_HOURS + 1) * HOUR;
    expect(kept({ first: beyondFlowSpan, last: beyondFlowSpan })).toEqual([]);
  });

  it('strips the regrouping branches of the real state-reading queries, and nothing else', () => {
    for (const query of [registrationCeremonyBreakdown.deviceClass, journeyPaths, journeyFlows]) {
      expect(hasDeltaParts(query.sql), query.name).toBe(true);
      const settled = withoutSettledDeltas(query.sql, null, from, to);
      expect(hasDeltaParts(settled)).toBe(false);
      expect(settled).not.toMatch(/ceremony_delta_keys|flow_delta|stateWatermark/);
      // the committed state is still read
      expect(settled).toMatch(/\{stateBases:String/);
    }
  });
});
