import { describe, expect, it } from 'vitest';
import { formatCount, formatCountDelta, formatPercent, formatRateDelta, formatRelativeChange } from '@/components/kit/format';
import { nextPageSearch, parseGlobalParams, seedWindowAnchor, windowAnchor } from '@/lib/client/global-params';

describe('formats (rates shown as %, never recomputed; null → —)', () => {
  it('formats counts, percents and deltas with a sign', () => {
    expect(formatCount(1234567)).toBe('1,234,567');
    expect(formatCount(null)).toBe('—');
    expect(formatPercent(0.4567)).toBe('45.7%');
    expect(formatPercent(0)).toBe('0%');
    expect(formatPercent(1)).toBe('100%');
    expect(formatPercent(null)).toBe('—');
    expect(formatCountDelta(12, 10)).toBe('+2');
    expect(formatCountDelta(8, 10)).toBe('−2');
    expect(formatCountDelta(10, 10)).toBe('±0');
    expect(formatCountDelta(10, null)).toBe('—');
    expect(formatRateDelta(0.52, 0.5)).toBe('+2.0 pp');
    expect(formatRateDelta(0.5, 0.52)).toBe('−2.0 pp');
    expect(formatRateDelta(null, 0.5)).toBe('—');
    expect(formatRelativeChange(120, 100)).toBe('+20%');
    expect(formatRelativeChange(5, 0)).toBe('new');
  });
});

describe('global params in the URL', () => {
  it('reads a custom window and comma-list filters, and builds the API query from them', () => {
    const params = parseGlobalParams(new URLSearchParams('from=2026-05-01&to=2026-05-08&deviceClass=mobile-ios,desktop-macos&os='), 0);
    expect(params.range).toEqual({ kind: 'custom', from: '2026-05-01', to: '2026-05-08' });
    expect(params.filters.deviceClass).toEqual(['mobile-ios', 'desktop-macos']);
    expect(params.filters.os).toEqual([]);
    expect(params.searchString).toBe('from=2026-05-01&to=2026-05-08&deviceClass=mobile-ios%2Cdesktop-macos');
  });

  it('a preset window ends at the next whole minute after the anchor', () => {
    const params = parseGlobalParams(new URLSearchParams('range=7d'), Date.UTC(2026, 4, 8, 10, 0, 30));
    expect(params.to).toBe('2026-05-08T10:01:00.000Z');
    expect(params.from).toBe('2026-05-01T10:01:00.000Z');
  });

  it('an update keeps page-specific params and drops the default preset', () => {
    const next = nextPageSearch(new URLSearchParams('groupBy=os&range=7d&os=iOS'), {
      range: { kind: 'preset', preset: '28d' },
      filters: { os: [], riskTier: ['high'] },
    });
    expect(next).toBe('groupBy=os&riskTier=high');
  });

  it("the first window the browser anchors is the server's render time; later ones are the browser's now", () => {
    const g = globalThis as { window?: unknown };
    g.window = {}; // in a browser
    try {
      const rendered = Date.now() - 90_000;
      seedWindowAnchor(rendered);
      expect(windowAnchor('range=7d')).toBe(rendered);
      expect(windowAnchor('range=7d')).toBe(rendered);
      seedWindowAnchor(rendered); // a later render of the layout changes nothing
      expect(windowAnchor('range=90d')).toBeGreaterThan(rendered + 60_000);
    } finally {
      delete g.window;
    }
  });
});
