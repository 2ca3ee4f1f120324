/** Pure helpers of lib/metrics: rates (null, never NaN), tallies, windows and day buckets, CSV escaping. */
import { describe, expect, it } from 'vitest';
import { csvDocument, csvField, neutraliseFormula } from '@/lib/metrics/csv';
import { addOutcomes, rate, tallies } from '@/lib/metrics/rates';
import { appliedFilters, fillDays, previousWindow, windowDays, windowEcho } from '@/lib/metrics/windows';
import { isTimeZone, localDate, startOfLocalDate, zoneDays, zoneWeeks } from '@/lib/domain/time-zone';

describe('rate', () => {
  it('is the proportion, and null when the denominator is 0', () => {
    expect(rate(1, 4)).toBe(0.25);
    expect(rate(0, 5)).toBe(0);
    expect(rate(3, 3)).toBe(1);
    expect(rate(0, 0)).toBeNull();
    expect(rate(5, 0)).toBeNull();
  });

  it('never returns NaN or a value outside [0, 1]', () => {
    expect(rate(Number.NaN, 3)).toBeNull();
    expect(rate(1, Number.POSITIVE_INFINITY)).toBeNull();
    expect(rate(4, 3)).toBe(1);
    expect(rate(-1, 3)).toBe(0);
  });
});

describe('tallies', () => {
  it('success rate over decided ceremonies, cancel rate over all: a cancel is not a failure', () => {
    expect(tallies({ successes: 9, failures: 3, cancellations: 2 })).toEqual({
      ceremonies: 14,
      successes: 9,
      failures: 3,
      cancellations: 2,
      successRate: 0.75,
      cancelRate: 2 / 14,
    });
  });

  it('only cancels: success rate null (0 / 0), cancel rate 1', () => {
    expect(tallies({ successes: 0, failures: 0, cancellations: 3 })).toMatchObject({ successRate: null, cancelRate: 1 });
  });

  it('nothing: both rates null', () => {
    expect(tallies({ successes: 0, failures: 0, cancellations: 0 })).toMatchObject({ ceremonies: 0, successRate: null, cancelRate: null });
  });

  it('adds outcome counts', () => {
    expect(addOutcomes({ successes: 1, failures: 2, cancellations: 3 }, { successes: 4, failures: 5, cancellations: 6 })).toEqual({
      successes: 5,
      failures: 7,
      cancellations: 9,
    });
  });
});

describe('windows', () => {
  const from = new Date('2026-03-01T00:00:00Z');
  const to = new Date('2026-03-29T00:00:00Z');

  it('the previous window has the same length and ends where the window starts', () => {
    expect(previousWindow({ from, to })).toEqual({ from: new Date('2026-02-01T00:00:00Z'), to: from });
    const odd = previousWindow({ from: new Date('2026-03-01T06:30:00Z'), to: new Date('2026-03-02T08:00:00Z') });
    expect(odd).toEqual({ from: new Date('2026-02-28T05:00:00Z'), to: new Date('2026-03-01T06:30:00Z') });
  });

  it('lists every UTC day the window touches (to is exclusive)', () => {
    expect(windowDays({ from, to })).toHaveLength(28);
    expect(windowDays({ from, to })[0]).toBe('2026-03-01');
    expect(windowDays({ from, to }).at(-1)).toBe('2026-03-28');
    expect(windowDays({ from: new Date('2026-03-01T23:00:00Z'), to: new Date('2026-03-02T00:00:01Z') })).toEqual([
      '2026-03-01',
      '2026-03-02',
    ]);
    expect(windowDays({ from: new Date('2026-03-01T10:00:00Z'), to: new Date('2026-03-01T11:00:00Z') })).toEqual(['2026-03-01']);
  });

  it('fills missing days with the empty row and keeps the present ones', () => {
    const filled = fillDays({ from, to: new Date('2026-03-04T00:00:00Z') }, [{ day: '2026-03-02', n: 5 }], (day) => ({ day, n: 0 }));
    expect(filled).toEqual([
      { day: '2026-03-01', n: 0 },
      { day: '2026-03-02', n: 5 },
      { day: '2026-03-03', n: 0 },
    ]);
  });

  it('echoes the window as ISO text and copies the filters', () => {
    const filters = {
      deviceClass: ['mobile-ios' as const],
      os: [],
      browser: [],
      provider: ['iCloud Keychain'],
      credentialKind: [],
      riskTier: [],
      variant: [],
    };
    expect(windowEcho({ from, to }, filters)).toEqual({
      from: '2026-03-01T00:00:00.000Z',
      to: '2026-03-29T00:00:00.000Z',
      tz: 'UTC',
      filters: { ...filters, environment: [], service: [], serviceVersion: [], osVersion: [], browserVersion: [] },
    });
    expect(appliedFilters(filters).deviceClass).not.toBe(filters.deviceClass);
  });
});

describe('csv', () => {
  it('leaves plain fields alone', () => {
    expect(csvField('gc-u01')).toBe('gc-u01');
    expect(csvField(42)).toBe('42');
  });

  it('quotes fields with commas, quotes, line breaks or edge spaces, doubling quotes', () => {
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('line\nbreak')).toBe('"line\nbreak"');
    expect(csvField('cr\rhere')).toBe('"cr\rhere"');
    expect(csvField(' padded')).toBe('" padded"');
    expect(csvField('=HYPERLINK("x")', { raw: true })).toBe('"=HYPERLINK(""x"")"');
  });

  it("neutralises spreadsheet formulas with a leading ' (OWASP CSV injection): = + - @ tab CR", () => {
    for (const text of ['=1+1', '+1+1', '-1+1', '@SUM(A1)', '\tx', '\rx', "=cmd|' /C calc'!A0"]) {
      expect(neutraliseFormula(text)).toBe(`'${text}`);
    }
    for (const text of ['gc-u01', "'=already", ' =spaced', 'a=b', '1-2', '', '\nx']) {
      expect(neutraliseFormula(text)).toBe(text);
    }
  });

  it('neutralises by default, then quotes; raw keeps the exact text; numbers are never rewritten', () => {
    expect(csvField('=HYPERLINK("x")')).toBe('"\'=HYPERLINK(""x"")"');
    expect(csvField('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(csvField('-2+3')).toBe("'-2+3");
    expect(csvField('\tx')).toBe("'\tx");
    expect(csvField('\rx')).toBe('"\'\rx"');
    expect(csvField('-2+3', { raw: true })).toBe('-2+3');
    expect(csvField('\rx', { raw: true })).toBe('"\rx"');
    expect(csvField(-5)).toBe('-5');
    expect(
      csvDocument(
        ['user_id', 'n'],
        [
          ['=1+1', -1],
          ['u2', 2],
        ],
      ),
    ).toBe("user_id,n\r\n'=1+1,-1\r\nu2,2\r\n");
    expect(csvDocument(['user_id', 'n'], [['=1+1', -1]], { raw: true })).toBe('user_id,n\r\n=1+1,-1\r\n');
  });

  it('writes a header and CRLF-terminated lines', () => {
    expect(
      csvDocument(
        ['user_id', 'reason'],
        [
          ['u,1', 'no_passkey'],
          ['u2', 'chooses_fallback'],
        ],
      ),
    ).toBe('user_id,reason\r\n"u,1",no_passkey\r\nu2,chooses_fallback\r\n');
    expect(csvDocument(['user_id'], [])).toBe('user_id\r\n');
  });
});

describe('day buckets in a time zone (tz)', () => {
  it('a day runs from local midnight to local midnight, across daylight-saving changes', () => {
    // Berlin: CET (UTC+1) until 2026-03-29 01:00 UTC, then CEST (UTC+2)
    expect(localDate(Date.parse('2026-03-28T23:30:00Z'), 'Europe/Berlin')).toBe('2026-03-29');
    expect(localDate(Date.parse('2026-03-28T23:30:00Z'), 'UTC')).toBe('2026-03-28');
    expect(new Date(startOfLocalDate('2026-03-29', 'Europe/Berlin')).toISOString()).toBe('2026-03-28T23:00:00.000Z');
    expect(new Date(startOfLocalDate('2026-03-30', 'Europe/Berlin')).toISOString()).toBe('2026-03-29T22:00:00.000Z');
    expect(new Date(startOfLocalDate('2026-11-01', 'America/Los_Angeles')).toISOString()).toBe('2026-11-01T07:00:00.000Z');
    expect(new Date(startOfLocalDate('2026-11-02', 'America/Los_Angeles')).toISOString()).toBe('2026-11-02T08:00:00.000Z');
  });

  it('lists the local days a window touches: the same UTC window has other days in another zone', () => {
    const window = { from: new Date('2026-03-01T00:00:00Z'), to: new Date('2026-03-03T00:00:00Z') };
    expect(windowDays(window)).toEqual(['2026-03-01', '2026-03-02']);
    expect(windowDays({ ...window, tz: 'Europe/Berlin' })).toEqual(['2026-03-01', '2026-03-02', '2026-03-03']);
    expect(windowDays({ ...window, tz: 'America/New_York' })).toEqual(['2026-02-28', '2026-03-01', '2026-03-02']);
    expect(zoneDays(Date.parse('2026-03-29T10:00:00Z'), Date.parse('2026-03-29T10:00:00Z'), 'UTC')).toEqual([]);
  });

  it('accepts UTC and IANA names, refuses anything else', () => {
    for (const name of ['UTC', 'Europe/Berlin', 'America/Argentina/Buenos_Aires', 'Asia/Kolkata'])
      expect(isTimeZone(name), name).toBe(true);
    for (const name of ['Mars/Olympus', 'Europe/Berlin; DROP', '', '../etc/passwd', 'x'.repeat(80)])
      expect(isTimeZone(name), name).toBe(false);
  });
});

describe('weeks in a time zone (tz)', () => {
  it('run Monday 00:00 to Monday 00:00 local time, 167 hours across the spring clock change', () => {
    const weeks = zoneWeeks(Date.parse('2026-03-25T12:00:00Z'), Date.parse('2026-04-01T00:00:00Z'), 'Europe/Berlin');
    expect(weeks.map(({ start, end }) => [new Date(start).toISOString(), new Date(end).toISOString()])).toEqual([
      ['2026-03-22T23:00:00.000Z', '2026-03-29T22:00:00.000Z'],
      ['2026-03-29T22:00:00.000Z', '2026-04-05T22:00:00.000Z'],
    ]);
    expect((weeks[0]!.end - weeks[0]!.start) / 3_600_000).toBe(167);
    expect(
      zoneWeeks(Date.parse('2026-03-25T12:00:00Z'), Date.parse('2026-03-26T00:00:00Z'), 'UTC').map((w) => new Date(w.start).toISOString()),
    ).toEqual(['2026-03-23T00:00:00.000Z']);
  });
});

describe('zone days at the edges of the calendar', () => {
  it('holds for a window at the end of year 9999 and in 1900, in UTC and in a zone', () => {
    const from = Date.parse('9999-12-01T00:00:00Z');
    const to = Date.parse('9999-12-31T00:00:00Z');
    for (const tz of ['UTC', 'Europe/Berlin', 'Pacific/Kiritimati']) {
      const days = zoneDays(from, to, tz);
      expect(days.length, tz).toBeGreaterThanOrEqual(30);
      const weeks = zoneWeeks(from, to, tz);
      expect(
        weeks.every((w) => Number.isFinite(w.start) && w.end > w.start),
        tz,
      ).toBe(true);
      expect(new Date(weeks.at(-1)!.end).toISOString(), tz).toMatch(/^\+010000-01-0/);
    }
    expect(zoneDays(Date.parse('1900-01-01T00:00:00Z'), Date.parse('1900-01-03T00:00:00Z'), 'UTC')).toEqual(['1900-01-01', '1900-01-02']);
    expect(zoneDays(Number.NaN, 5, 'UTC')).toEqual([]);
  });
});
