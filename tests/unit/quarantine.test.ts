/** The quarantine endpoint without storage: its parameters and the breakdown of its tallies. */
import { describe, expect, it } from 'vitest';
import { zQuarantineQuery } from '@/lib/contracts/quarantine';
import { quarantineBreakdown } from '@/lib/metrics/quarantine';

describe('the quarantine query', () => {
  it('takes reason and service lists and a sample count (0–200, default 50)', () => {
    const parsed = zQuarantineQuery.parse({ reason: 'invalid_attributes,unknown_event', service: 'checkout' });
    expect([parsed.reason, parsed.service, parsed.samples]).toEqual([['invalid_attributes', 'unknown_event'], ['checkout'], 50]);
    for (const bad of [{ samples: '201' }, { samples: '-1' }, { reason: 'x'.repeat(65) }])
      expect(zQuarantineQuery.safeParse(bad).success, JSON.stringify(bad)).toBe(false);
  });
});

describe('quarantineBreakdown', () => {
  it('sums by reason, service and day, largest first, every day of the window', () => {
    const rows = [
      { day: '2026-11-02', reason: 'invalid_attributes', service: 'checkout', records: 3 },
      { day: '2026-11-02', reason: 'unknown_event', service: 'web', records: 1 },
      { day: '2026-11-04', reason: 'invalid_attributes', service: 'web', records: 2 },
    ];
    const breakdown = quarantineBreakdown(rows, { from: new Date('2026-11-02T06:00:00Z'), to: new Date('2026-11-05T00:00:00Z') });
    expect(breakdown.records).toBe(6);
    expect(breakdown.byReason).toEqual([
      { reason: 'invalid_attributes', records: 5, services: 2 },
      { reason: 'unknown_event', records: 1, services: 1 },
    ]);
    expect(breakdown.byService).toEqual([
      { service: 'checkout', records: 3, reasons: ['invalid_attributes'] },
      { service: 'web', records: 3, reasons: ['invalid_attributes', 'unknown_event'] },
    ]);
    expect(breakdown.series).toEqual([
      { day: '2026-11-02', records: 4, byReason: { invalid_attributes: 3, unknown_event: 1 } },
      { day: '2026-11-03', records: 0, byReason: {} },
      { day: '2026-11-04', records: 2, byReason: { invalid_attributes: 2 } },
    ]);
  });
});
