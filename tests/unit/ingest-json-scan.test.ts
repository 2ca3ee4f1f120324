/**
 * The pre-parse scan of OTLP/JSON bodies (ingest/json-scan.ts): records, groups and nesting are
 * bounded on the text, so a 16 MiB body of empty records is refused before JSON.parse builds them.
 */
import { describe, expect, it } from 'vitest';
import { decodeJson, DecodeError } from '@/ingest/decode';
import { jsonNestingLimit, JsonNestingError, keyEquals, scanOtlpJson, TooManyGroupsError } from '@/ingest/json-scan';
import { DEFAULT_LIMITS, TooManyRecordsError } from '@/ingest/limits';

const wrap = (records: string) => `{"resourceLogs":[{"scopeLogs":[{"logRecords":[${records}]}]}]}`;

/** A record at every limit: maxAttributes values, the last attribute a kvlist nested maxDepth levels. */
function maximalRecord(): string {
  let deep = '{"stringValue":"bottom"}';
  for (let i = 1; i < DEFAULT_LIMITS.maxDepth; i++) deep = `{"kvlistValue":{"values":[{"key":"level${i}","value":${deep}}]}}`;
  const attributes = Array.from(
    { length: DEFAULT_LIMITS.maxAttributes - DEFAULT_LIMITS.maxDepth },
    (_, i) => `{"key":"k${i}","value":{"intValue":"${i}"}}`,
  );
  attributes.push(`{"key":"deep","value":${deep}}`);
  return `{"timeUnixNano":"1700000000000000000","eventName":"auth.password.removed","attributes":[${attributes.join(',')}]}`;
}

describe('scanOtlpJson', () => {
  it('lets a valid maximal request through: the record cap, every record at the attribute and depth limits', () => {
    const text = wrap(Array.from({ length: DEFAULT_LIMITS.maxRecords }, maximalRecord).join(','));
    const scan = scanOtlpJson(text);
    expect(scan).toMatchObject({ records: DEFAULT_LIMITS.maxRecords, resourceGroups: 1, scopeGroups: 1 });
    expect(scan.nesting).toBeLessThanOrEqual(jsonNestingLimit(DEFAULT_LIMITS.maxDepth));
    const decoded = decodeJson(wrap(Array.from({ length: 3 }, maximalRecord).join(',')));
    expect(decoded.map((r) => r.limitViolation)).toEqual([undefined, undefined, undefined]);
  });

  it('refuses the 5 M empty-record bomb quickly, naming the limit', () => {
    const bomb = Buffer.from(wrap(`${'{},'.repeat(5_000_000)}{}`)).toString('utf8');
    const started = performance.now();
    expect(() => scanOtlpJson(bomb)).toThrow(TooManyRecordsError);
    expect(() => decodeJson(bomb)).toThrow(/more than 10,000 log records \(INGEST_MAX_RECORDS\)/);
    expect(performance.now() - started).toBeLessThan(100);
  });

  it('scans 16 MiB in linear time without building it', () => {
    // Under the record cap, so the whole text is walked: strings, numbers, containers.
    const filler = `{"key":"k","value":{"stringValue":"${'x'.repeat(1000)}"}}`;
    // Flat, as the handler's Buffer#toString gives it (a concatenated string would be flattened on first read).
    const text = Buffer.from(`{"padding":[${Array.from({ length: 16_000 }, () => filler).join(',')}],${wrap('{}').slice(1)}`).toString(
      'utf8',
    );
    expect(text.length).toBeGreaterThan(16_000_000);
    const heapBefore = process.memoryUsage().heapUsed;
    const started = performance.now();
    expect(scanOtlpJson(text)).toMatchObject({ records: 1, containers: 32_008 });
    expect(performance.now() - started).toBeLessThan(2000);
    expect(process.memoryUsage().heapUsed - heapBefore).toBeLessThan(4 * 1024 * 1024);
  });

  it('counts every element at the right place only: any value, both spellings, every group', () => {
    expect(scanOtlpJson(wrap('{}, 1, "x", null, [], {"logRecords":[{},{}]}')).records).toBe(6);
    const groups = '{"resource_logs":[{"scope_logs":[{"log_records":[{},{}]},{"logRecords":[{}]}]},{"scopeLogs":[{"logRecords":[{}]}]}]}';
    expect(scanOtlpJson(groups)).toMatchObject({ records: 4, resourceGroups: 2, scopeGroups: 3 });
    // Elsewhere the same names are not records: a logRecords key at the top or inside a record.
    expect(scanOtlpJson('{"logRecords":[{},{},{}],"resourceLogs":[{"logRecords":[{}]}]}').records).toBe(0);
    // Duplicated keys are all counted, so the count is never below what JSON.parse keeps.
    expect(scanOtlpJson('{"resourceLogs":[{"scopeLogs":[{"logRecords":[{},{}],"logRecords":[{}]}]}]}').records).toBe(3);
    expect(() => scanOtlpJson(wrap('{},{},{}'), { maxRecords: 2 })).toThrow(TooManyRecordsError);
    expect(scanOtlpJson(wrap('{},{}'), { maxRecords: 2 }).records).toBe(2);
  });

  it('is not fooled by braces, brackets, quotes and escapes inside strings', () => {
    const tricky = '{"stringValue":"}]}]}]} \\" ,{},{} \\\\"}';
    const record = `{"body":${tricky},"attributes":[{"key":"a\\"],[{","value":${tricky}}],"severityText":"\\\\\\""}`;
    const text = wrap(`${record},${record}`);
    expect(scanOtlpJson(text)).toMatchObject({ records: 2, containers: 6 + 2 * 5 });
    expect(decodeJson(text)).toHaveLength(2);
    // A string holding a fake record list is one value, not many.
    expect(scanOtlpJson(wrap('"{},{},{},{}"')).records).toBe(1);
  });

  it('reads escaped keys as JSON.parse does', () => {
    const escaped = '{"resource\\u004cogs":[{"scope\\u004Cogs":[{"log\\u0052ecords":[{},{},{}]}]}]}';
    expect(JSON.parse(escaped)).toHaveProperty('resourceLogs');
    expect(scanOtlpJson(escaped).records).toBe(3);
    expect(() => scanOtlpJson(escaped, { maxRecords: 2 })).toThrow(TooManyRecordsError);
    const text = 'x"log\\/Records\\n"';
    expect(keyEquals(text, 2, text.length - 1, 'log/Records\n')).toBe(true);
    expect(keyEquals(text, 2, text.length - 1, 'log/Records')).toBe(false);
    expect(keyEquals('"\\u00zz"', 1, 7, 'x')).toBe(false);
  });

  it('refuses more groups than the record cap (empty groups are the same bomb one level up)', () => {
    const emptyGroups = `{"resourceLogs":[${'{},'.repeat(1_000_000)}{}]}`;
    expect(() => scanOtlpJson(emptyGroups)).toThrow(TooManyGroupsError);
    expect(() => decodeJson(emptyGroups)).toThrow(/more than 10,000 resourceLogs groups \(INGEST_MAX_RECORDS/);
    expect(() => scanOtlpJson(`{"resourceLogs":[{"scopeLogs":[${'{},'.repeat(10)}{}]}]}`, { maxRecords: 10 })).toThrow(/scopeLogs groups/);
  });

  it('refuses nesting deeper than 4 × INGEST_MAX_DEPTH + 32 levels, before JSON.parse', () => {
    expect(jsonNestingLimit(DEFAULT_LIMITS.maxDepth)).toBe(64);
    expect(scanOtlpJson(`${'['.repeat(64)}${']'.repeat(64)}`).nesting).toBe(64);
    expect(() => scanOtlpJson(`${'['.repeat(65)}${']'.repeat(65)}`)).toThrow(JsonNestingError);
    const bomb = `${'['.repeat(8_000_000)}${']'.repeat(8_000_000)}`;
    const started = performance.now();
    expect(() => decodeJson(bomb)).toThrow(DecodeError);
    expect(() => decodeJson(bomb)).toThrow(/deeper than 64 levels.*INGEST_MAX_DEPTH/);
    expect(performance.now() - started).toBeLessThan(1000);
    // The bound follows a configured depth.
    expect(() => scanOtlpJson(`${'{"a":'.repeat(100)}1${'}'.repeat(100)}`, { maxDepth: 20 })).not.toThrow();
  });

  it('leaves malformed JSON to JSON.parse', () => {
    for (const text of ['', '{', '}}}', ']', '{"resourceLogs":[{"scopeLogs":[{"logRecords":[{},', '"unterminated', 'nul']) {
      expect(() => scanOtlpJson(text)).not.toThrow();
      expect(() => decodeJson(text)).toThrow(DecodeError);
    }
  });
});
