/**
 * The typed `sql` tag (lib/sql.ts): slots take only fragments, identifiers come only from an
 * allow-list, and `join` adds nothing but its fixed separator — so no caller can splice a value
 * into query text, whatever it is handed at run time.
 */
import { describe, expect, it } from 'vitest';
import { identifier, isSqlFragment, join, sql, type SqlFragment } from '@/lib/sql';
import { FAILURE_DIMENSIONS } from '@/lib/contracts/failures';
import { FAILURE_GROUP_COLUMNS, failuresByGroup } from '@/sql/queries/failures-by-group';

const COLUMNS = { deviceClass: 'device_class', reason: 'reason' } as const;

/** What an untyped caller (JSON, a query string) could smuggle into a slot at run time. */
const HOSTILE: unknown[] = [
  "'; DROP TABLE ceremony_events; --",
  'device_class',
  '{from:String}',
  42,
  null,
  undefined,
  { text: '1 = 1' },
  { text: 'x', [Symbol('sql-fragment')]: true },
  ['device_class'],
];

describe('sql tag', () => {
  it('keeps literal text and nests fragments', () => {
    const inner = sql`device_class = {deviceClass:String}`;
    const outer = sql`SELECT count() FROM ceremony_events WHERE ${inner} AND ${sql`1 = 1`}`;
    expect(isSqlFragment(outer)).toBe(true);
    expect(outer.text).toBe('SELECT count() FROM ceremony_events WHERE device_class = {deviceClass:String} AND 1 = 1');
  });

  it('a template without slots is its text, placeholders untouched', () => {
    expect(sql`SELECT {from:DateTime64(3, 'UTC')}`.text).toBe("SELECT {from:DateTime64(3, 'UTC')}");
  });

  it.each(HOSTILE.map((value) => [value]))('rejects a non-fragment slot at run time: %j', (value) => {
    expect(() => sql`SELECT ${value as SqlFragment}`).toThrow(TypeError);
    expect(() => sql`SELECT ${value as SqlFragment}`).toThrow(/bind values as \{name:Type\}/);
  });

  it('fragments are frozen: their text cannot be rewritten after the fact', () => {
    const fragment = sql`reason`;
    expect(Object.isFrozen(fragment)).toBe(true);
    expect(() => {
      (fragment as { text: string }).text = "reason'; DROP TABLE x; --";
    }).toThrow(TypeError);
    expect(fragment.text).toBe('reason');
  });

  it('a look-alike object is not a fragment', () => {
    expect(isSqlFragment({ text: 'x' })).toBe(false);
    expect(isSqlFragment('x')).toBe(false);
    expect(isSqlFragment(null)).toBe(false);
    expect(isSqlFragment(sql`x`)).toBe(true);
  });
});

describe('identifier', () => {
  it('maps an allowed key to its column', () => {
    expect(identifier(COLUMNS, 'deviceClass').text).toBe('device_class');
    expect(sql`GROUP BY ${identifier(COLUMNS, 'reason')}`.text).toBe('GROUP BY reason');
  });

  it.each([
    ['device_class'],
    ['os'],
    ["reason'; DROP TABLE ceremony_events; --"],
    ['toString'],
    ['constructor'],
    ['__proto__'],
    ['hasOwnProperty'],
    [''],
  ])('rejects a key outside the allow-list: %j', (key) => {
    expect(() => identifier(COLUMNS, key as keyof typeof COLUMNS)).toThrow(/not in the allow-list/);
  });

  it('quotes at most 40 characters of a refused key in its message', () => {
    const long = 'x'.repeat(100_000);
    try {
      identifier(COLUMNS, long as keyof typeof COLUMNS);
      expect.unreachable();
    } catch (error) {
      expect((error as Error).message.length).toBeLessThan(120);
    }
  });
});

describe('join', () => {
  it('joins fragments with a fixed separator', () => {
    const columns = join([identifier(COLUMNS, 'reason'), identifier(COLUMNS, 'deviceClass')], ', ');
    expect(columns.text).toBe('reason, device_class');
    expect(join([sql`a`, sql`b`], ' AND ').text).toBe('a AND b');
    expect(join([sql`a`, sql`b`], ' OR ').text).toBe('a OR b');
    expect(join([], ', ').text).toBe('');
    expect(isSqlFragment(join([sql`a`], '\n'))).toBe(true);
  });
});

describe('the failures group-by allow-list', () => {
  it('covers exactly the dimensions of the contract', () => {
    expect(Object.keys(FAILURE_GROUP_COLUMNS).sort()).toEqual([...FAILURE_DIMENSIONS].sort());
  });

  it('builds its group-by from the allow-list only, binding every value', () => {
    const query = failuresByGroup(['reason', 'deviceClass']);
    expect(query.name).toBe('failures-by-group');
    expect(query.sql).toContain('[reason, toString(device_class)] AS groupValues');
    // every value is a bound placeholder; no quoted value from the caller reaches the text
    expect(query.sql).toContain("{windowFrom:DateTime64(3, 'UTC')}");
    expect(query.sql).toContain('{limit:UInt32}');
  });

  it('refuses a dimension outside the allow-list even when the type check is bypassed', () => {
    expect(() => failuresByGroup(['reason', 'device_class; DROP TABLE ceremony_events' as 'reason'])).toThrow(/not in the allow-list/);
  });
});
