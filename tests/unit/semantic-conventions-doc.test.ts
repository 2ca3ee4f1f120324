/**
 * docs/semantic-conventions.md is the contract relying parties instrument against, so it must say
 * what the code does. Every OTLP/JSON example in it goes through the real decoder and row mapper;
 * its "Stored as" lines, strict/lenient and required markers, DOMException table, AAGUID table,
 * column reference (generated from ingest/columns.ts) and partial-success sample are checked against
 * the code they describe.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeJson, type Attributes, type DecodedLogRecord } from '@/ingest/decode';
import { KNOWN_AUTHENTICATORS } from '@/ingest/derive/providers';
import { exportResponse } from '@/ingest/response';
import { KNOWN_ATTRIBUTE_KEYS, LENIENT_KEYS } from '@/ingest/schemas';
import { EVENT_COLUMNS, storedEvent, type EventValues } from '@/ingest/columns';
import { eventNameOf, mapRecords } from '@/ingest/to-rows';
import { classifyClientError } from '@passkey-rollout/telemetry';
import * as vocabulary from '@/lib/vocabulary';
import { EVENT_NAMES } from '@/lib/vocabulary';
import { expectedRegion, generatedRegion } from '@/scripts/docs-columns';

const ROOT = path.resolve(import.meta.dirname, '../..');
const DOC = readFileSync(path.join(ROOT, 'docs/semantic-conventions.md'), 'utf8');

interface Example {
  /** 1-based position among the doc's OTLP examples, for test names. */
  number: number;
  json: string;
  /** The "Stored as:" line right after the block, if any. */
  storedAs: string | undefined;
}

function examplesIn(text: string): Example[] {
  const found: Example[] = [];
  for (const match of text.matchAll(/```json\n([\s\S]*?)\n```[ \t]*\n(?:\s*\n)?(Stored as:[^\n]*)?/g)) {
    const json = match[1] ?? '';
    if (json.includes('"resourceLogs"')) found.push({ number: found.length + 1, json, storedAs: match[2] });
  }
  return found;
}

/** The text from a heading line to the next heading of the same or a higher level. */
function section(heading: string): string {
  const level = /^#+/.exec(heading)?.[0] ?? '##';
  const start = DOC.indexOf(`\n${heading}\n`);
  if (start < 0) throw new Error(`heading not found: ${heading}`);
  const rest = DOC.slice(start + heading.length + 2);
  const next = rest.search(new RegExp(`\\n#{1,${level.length}} `));
  return next < 0 ? rest : rest.slice(0, next);
}

/** The stored row as an object, indexable by any column name a doc line gives. */
function asObject(row: EventValues): Record<string, unknown> {
  return storedEvent(row);
}

function display(value: unknown): string {
  if (value === null || value === undefined) return 'NULL';
  if (Array.isArray(value)) return JSON.stringify(value);
  return String(value);
}

function describeRejections(records: DecodedLogRecord[]): string[] {
  return mapRecords(records).rejections.map((r) => `record ${r.index} (${r.eventName}): ${r.detail}`);
}

/** The single record of an event section's first example, to mutate. */
function exampleRecordOf(eventName: string): DecodedLogRecord {
  const [example] = examplesIn(section(`### ${eventName}`));
  if (!example) throw new Error(`no example in section ${eventName}`);
  const [record] = decodeJson(example.json);
  if (!record) throw new Error(`empty example in section ${eventName}`);
  return record;
}

function withAttributes(record: DecodedLogRecord, change: (attributes: Attributes) => void): DecodedLogRecord {
  const attributes = { ...record.attributes };
  change(attributes);
  return { ...record, attributes };
}

const EXAMPLES = examplesIn(DOC);

describe('docs/semantic-conventions.md examples', () => {
  it('has OTLP/JSON examples covering every event of the vocabulary', () => {
    expect(EXAMPLES.length).toBeGreaterThanOrEqual(EVENT_NAMES.length);
    const names = new Set(EXAMPLES.flatMap((example) => decodeJson(example.json).map(eventNameOf)));
    expect([...names].sort()).toEqual([...EVENT_NAMES].sort());
  });

  it.each(EXAMPLES.map((example) => [example.number, example] as const))(
    'example %i decodes and maps with zero rejections',
    (_number, example) => {
      const records = decodeJson(example.json);
      expect(records.length).toBeGreaterThan(0);
      expect(describeRejections(records)).toEqual([]);
      expect(mapRecords(records).rows).toHaveLength(records.length);
    },
  );

  const withStoredAs = EXAMPLES.filter((example) => example.storedAs !== undefined);
  it('states the stored columns of most examples', () => {
    expect(withStoredAs.length).toBeGreaterThanOrEqual(EVENT_NAMES.length);
  });

  it.each(withStoredAs.map((example) => [example.number, example] as const))(
    'example %i is stored as its "Stored as" line says',
    (_number, example) => {
      const records = decodeJson(example.json);
      expect(records, 'a "Stored as" line describes a one-record example').toHaveLength(1);
      const [row] = mapRecords(records).rows;
      if (!row) throw new Error('example was rejected');
      const stored = asObject(row);
      const claims = [...(example.storedAs ?? '').matchAll(/`([\w.]+)` = `([^`]*)`/g)];
      expect(claims.length).toBeGreaterThan(0);
      for (const [, column = '', expected] of claims) {
        if (column.startsWith('attributes.')) {
          const map = stored.attributes as Record<string, string>;
          expect(map[column.slice('attributes.'.length)], column).toBe(expected);
        } else {
          expect(EVENT_COLUMNS as readonly string[], `${column} is a ceremony_events column`).toContain(column);
          expect(display(stored[column]), column).toBe(expected);
        }
      }
    },
  );
});

describe('attribute tables', () => {
  const eventSections = EVENT_NAMES.map((eventName) => [eventName, section(`### ${eventName}`)] as const);

  it('name every attribute the schemas know', () => {
    for (const key of KNOWN_ATTRIBUTE_KEYS) expect(DOC, key).toContain(`\`${key}\``);
  });

  it('mark exactly the lenient keys as lenient enums', () => {
    const marked = new Map<string, Set<string>>();
    for (const match of DOC.matchAll(/^\| `([\w.]+)` \| (strict|lenient) enum/gm)) {
      const [, key = '', kind = ''] = match;
      marked.set(key, (marked.get(key) ?? new Set()).add(kind));
    }
    for (const [key, kinds] of marked) {
      expect([...kinds], key).toEqual([LENIENT_KEYS.has(key) ? 'lenient' : 'strict']);
    }
    for (const key of LENIENT_KEYS) expect(marked.has(key), `${key} is documented as an enum`).toBe(true);
  });

  it.each(eventSections)('%s: strict values reject the record, lenient ones become other', (eventName, text) => {
    const record = exampleRecordOf(eventName);
    const rows = [...text.matchAll(/^\| `([\w.]+)` \| (strict|lenient) enum/gm)];
    const common = [...section('## 3. Common attributes').matchAll(/^\| `([\w.]+)` \| (strict|lenient) enum/gm)];
    for (const [, key = '', kind] of [...rows, ...common]) {
      const changed = withAttributes(record, (attributes) => {
        attributes[key] = 'not_in_the_vocabulary';
      });
      const { rows: stored, rejections } = mapRecords([changed]);
      if (kind === 'strict') {
        expect(rejections.map((r) => r.detail).join(), key).toContain(`${key}: `);
      } else {
        expect(rejections, key).toEqual([]);
        const [row] = stored;
        if (!row) throw new Error('no row');
        const asRow = asObject(row);
        expect(Object.values(asRow), key).toContain('other');
        expect((asRow.attributes as Record<string, string>)[key], key).toBe('not_in_the_vocabulary');
      }
    }
  });

  it.each(eventSections)('%s: a required attribute missing rejects the record', (eventName, text) => {
    const record = exampleRecordOf(eventName);
    const success = record.attributes['passkey.result'] === 'success' || record.attributes['auth.result'] === 'success';
    const required = [...text.matchAll(/^\| `([\w.]+)` \| [^|\n]+ \| \*\*(yes|on success)\*\* \|/gm)];
    if (eventName !== 'passkey.client.capabilities') expect(required.length, 'required attributes are marked').toBeGreaterThan(0);
    for (const [, key = '', when] of required) {
      if (when === 'on success' && !success) continue;
      const changed = withAttributes(record, (attributes) => {
        delete attributes[key];
      });
      expect(describeRejections([changed]).join(), key).toContain(`${key}: `);
    }
  });

  it('list every value of every enum of lib/vocabulary.ts', () => {
    for (const [name, values] of Object.entries(vocabulary)) {
      if (!Array.isArray(values)) continue;
      for (const value of values as readonly string[]) expect(DOC, `${name}: ${value}`).toContain(`\`${value}\``);
    }
  });
});

describe('failure reasons', () => {
  const rows = [...section('### Client side, from the DOMException').matchAll(/^\| `(\w+)` \| `(\w+)` \| `(\w+)` \|$/gm)];

  it('the DOMException table covers every name the classifier knows', () => {
    expect(rows.map(([, name]) => name).sort()).toEqual([
      'AbortError',
      'ConstraintError',
      'InvalidStateError',
      'NotAllowedError',
      'NotSupportedError',
      'SecurityError',
      'TypeError',
      'UnknownError',
    ]);
  });

  it.each(rows.map(([, name = '', onCreate = '', onGet = '']) => [name, onCreate, onGet] as const))(
    '%s → %s on create, %s on get, in ingest and in the SDK',
    (name, onCreate, onGet) => {
      const base = exampleRecordOf('passkey.prompt');
      for (const [ceremonyType, expected] of [
        ['registration', onCreate],
        ['authentication', onGet],
      ] as const) {
        expect(classifyClientError({ name }, { ceremonyType, abortedByUs: false }).reason).toBe(expected);
        const prompt = withAttributes(base, (attributes) => {
          attributes['webauthn.ceremony.type'] = ceremonyType;
          attributes['passkey.prompt.outcome'] = 'error';
          attributes['error.type'] = name;
          delete attributes['webauthn.client.failure_reason'];
        });
        const [row] = mapRecords([prompt]).rows;
        if (!row) throw new Error('prompt rejected');
        expect(asObject(row).client_failure_reason).toBe(expected);
      }
    },
  );

  it('an unknown DOMException name is other', () => {
    expect(classifyClientError({ name: 'QuotaExceededError' }, { ceremonyType: 'registration', abortedByUs: false }).reason).toBe('other');
  });
});

describe('derived columns', () => {
  it('the AAGUID table is KNOWN_AUTHENTICATORS', () => {
    const documented: Record<string, { name: string; kind: string }> = {};
    for (const [, aaguid = '', name = '', kind = ''] of DOC.matchAll(/^\| `([0-9a-f-]{36})` \| ([^|]+?) \| `(\w+)` \|$/gm)) {
      expect(documented[aaguid], `${aaguid} listed once`).toBeUndefined();
      documented[aaguid] = { name, kind };
    }
    expect(documented).toEqual(JSON.parse(JSON.stringify(KNOWN_AUTHENTICATORS)));
  });
});

describe('privacy rules', () => {
  const rows = section('## 8. Privacy rules')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line.startsWith('| `'))
    .map((line) => line.replaceAll('\\|', '\u0000').split(' | '))
    .map((cells) => cells.map((cell) => [...cell.matchAll(/`([^`]+)`/g)].map(([, value = '']) => value.replaceAll('\u0000', '|'))));
  const rejected = rows.flatMap(([values = []]) => values);
  const accepted = rows.flatMap(([, values = []]) => values);

  function removedPasswordOf(userId: string): DecodedLogRecord {
    return withAttributes(exampleRecordOf('auth.password.removed'), (attributes) => {
      attributes['user.id'] = userId;
    });
  }

  it('give accepted and rejected user ids', () => {
    expect(rejected.length).toBeGreaterThanOrEqual(10);
    expect(accepted.length).toBeGreaterThanOrEqual(10);
  });

  it.each(rejected)('user.id %j is rejected as contact details', (userId) => {
    expect(describeRejections([removedPasswordOf(userId)]).join()).toMatch(/user\.id: looks like (an e-mail address|a phone number)/);
  });

  it.each(accepted)('user.id %j is accepted', (userId) => {
    const [row] = mapRecords([removedPasswordOf(userId)]).rows;
    if (!row) throw new Error(describeRejections([removedPasswordOf(userId)]).join());
    expect(asObject(row).user_id).toBe(userId);
  });
});

describe('column reference', () => {
  it('is the table generated from ingest/columns.ts (regenerate: npm run docs:columns)', () => {
    expect(section('## 11. Column reference')).toContain(generatedRegion(DOC) ?? 'the generated region');
    expect(generatedRegion(DOC)).toBe(expectedRegion());
  });

  it('lists every column of ceremony_events in insert order', () => {
    const documented = [...section('## 11. Column reference').matchAll(/^\| `(\w+)` \| /gm)].map(([, column]) => column);
    expect(documented).toEqual([...EVENT_COLUMNS]);
  });
});

describe('rejected records', () => {
  it('shows the partial-success response the code gives for the described batch', () => {
    const sample = /^\{"partialSuccess".*\}$/m.exec(DOC)?.[0];
    expect(sample).toBeDefined();
    const record = (eventName: string, attributes: Attributes, timeMs: number, index: number): DecodedLogRecord => ({
      index,
      timeMs,
      observedMs: 0,
      severityNumber: 9,
      severityText: 'INFO',
      body: null,
      attributes,
      traceId: '',
      spanId: '',
      eventName,
      resource: { 'service.name': 'acme-api' },
      scopeName: '',
    });
    const at = Date.UTC(2026, 10, 2, 9, 15);
    const { rejections } = mapRecords([
      record('auth.sign_in', { 'user.id': 'usr_3Fz9pL1c', 'auth.method': 'passkey', 'auth.result': 'success' }, at, 0),
      record('auth.sign_in', { 'user.id': 'alice@example.com', 'auth.method': 'passkey', 'auth.result': 'ok' }, at, 1),
      record('login.happened', {}, at, 2),
      // "1793610900000" in timeUnixNano: milliseconds sent as nanoseconds.
      record('passkey.upsell', { 'passkey.upsell.outcome': 'shown' }, Math.floor(1_793_610_900_000 / 1e6), 3),
    ]);
    return exportResponse('json', rejections)
      .text()
      .then((body) => expect(body).toBe(sample));
  });

  it('quarantine keeps rejected records 14 days', () => {
    const migration = readFileSync(path.join(ROOT, 'sql/migrations/0003_quarantine.sql'), 'utf8');
    expect(migration).toContain('TTL toDateTime(received_at) + INTERVAL 14 DAY DELETE');
    expect(DOC).toContain('kept **14 days**');
  });
});
