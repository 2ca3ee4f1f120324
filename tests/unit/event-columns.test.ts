/**
 * ingest/columns.ts declares the columns of `ceremony_events` once; the migrations create them. The
 * declaration must match the table the migrations leave behind — names, order and types — read from
 * the SQL text: the CREATE TABLE of 0001, then every later ALTER TABLE ceremony_events in order.
 * And the generated row mapping must give every column a value of its type.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CEREMONY_EVENT_COLUMNS, EVENT_COLUMNS, storedEvent } from '@/ingest/columns';
import type { DecodedLogRecord } from '@/ingest/decode';
import { mapRecords } from '@/ingest/to-rows';

const MIGRATIONS = path.resolve(import.meta.dirname, '../../sql/migrations');

interface Column {
  name: string;
  type: string;
}

/** Splits at commas outside parentheses and quotes. */
function splitTopLevel(text: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let quoted = false;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === "'") quoted = !quoted;
    else if (!quoted && ch === '(') depth++;
    else if (!quoted && ch === ')') depth--;
    else if (!quoted && depth === 0 && ch === ',') {
      parts.push(text.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(text.slice(start));
  return parts.map((part) => part.trim()).filter(Boolean);
}

/** `name Type [CODEC(...)]` → the name and the type as written (codec, default and comment left out). */
function columnDefinition(definition: string): Column {
  const match = /^(\w+)\s+(.+?)(?:\s+(?:CODEC|DEFAULT|MATERIALIZED|ALIAS|COMMENT|TTL)\b.*)?$/s.exec(definition);
  if (!match) throw new Error(`cannot read the column definition: ${definition}`);
  return { name: match[1]!, type: match[2]!.replace(/\s+/g, ' ') };
}

function createdColumns(sql: string): Column[] {
  const create = /CREATE TABLE IF NOT EXISTS ceremony_events\$\{LOCAL\}[^(]*\(/.exec(sql);
  if (!create) throw new Error('no CREATE TABLE ceremony_events${LOCAL} in 0001');
  const bodyStart = create.index + create[0].length;
  const bodyEnd = sql.indexOf('\n)', bodyStart);
  return splitTopLevel(sql.slice(bodyStart, bodyEnd))
    .filter((item) => !/^(INDEX|PROJECTION|CONSTRAINT)\b/.test(item))
    .map(columnDefinition);
}

/** Applies one ALTER TABLE ceremony_events statement's column actions; index actions change no column. */
function applyAlter(columns: Column[], actions: string, file: string): void {
  for (const action of splitTopLevel(actions)) {
    if (/^(ADD|DROP|MATERIALIZE|CLEAR) INDEX\b/.test(action)) continue;
    let match: RegExpExecArray | null;
    if ((match = /^ADD COLUMN (?:IF NOT EXISTS )?(.+?)(?:\s+(AFTER (\w+)|FIRST))?$/s.exec(action))) {
      const column = columnDefinition(match[1]!);
      if (columns.some((c) => c.name === column.name)) continue;
      const at = match[2] === 'FIRST' ? 0 : match[3] ? columns.findIndex((c) => c.name === match![3]) + 1 : columns.length;
      columns.splice(at, 0, column);
    } else if ((match = /^DROP COLUMN (?:IF EXISTS )?(\w+)$/.exec(action))) {
      const name = match[1];
      const at = columns.findIndex((c) => c.name === name);
      if (at >= 0) columns.splice(at, 1);
    } else if ((match = /^MODIFY COLUMN (?:IF EXISTS )?(.+)$/s.exec(action))) {
      const column = columnDefinition(match[1]!);
      const existing = columns.find((c) => c.name === column.name);
      if (existing) existing.type = column.type;
    } else if ((match = /^RENAME COLUMN (?:IF EXISTS )?(\w+) TO (\w+)$/.exec(action))) {
      const existing = columns.find((c) => c.name === match![1]);
      if (existing) existing.name = match[2]!;
    } else {
      throw new Error(`${file}: an ALTER of ceremony_events this test cannot read: ${action}`);
    }
  }
}

function migratedColumns(): Column[] {
  const files = readdirSync(MIGRATIONS)
    .filter((file) => file.endsWith('.sql'))
    .sort();
  const first = files[0] ?? '';
  expect(first).toBe('0001_ceremony_events.sql');
  const columns = createdColumns(readFileSync(path.join(MIGRATIONS, first), 'utf8'));
  for (const file of files) {
    const sql = readFileSync(path.join(MIGRATIONS, file), 'utf8').replace(/--[^\n]*/g, '');
    for (const statement of sql.split(';')) {
      const alter = /^\s*ALTER TABLE ceremony_events(?:\$\{LOCAL\})?\s+(?:\$\{ON_CLUSTER\}\s+)?([\s\S]+)$/.exec(statement);
      if (alter) applyAlter(columns, alter[1]!.trim(), file);
    }
  }
  return columns;
}

describe('ingest/columns.ts and the migrations', () => {
  const migrated = migratedColumns();

  it('reads the 0001 table', () => {
    expect(migrated.length).toBeGreaterThan(60);
    expect(migrated[0]).toEqual({ name: 'timestamp', type: "DateTime64(3, 'UTC')" });
  });

  it('declares the columns of ceremony_events: same names, same order, same types', () => {
    expect(CEREMONY_EVENT_COLUMNS.map((c) => ({ name: c.column, type: c.type }))).toEqual(migrated);
  });

  it('declares each column once', () => {
    expect(new Set(EVENT_COLUMNS).size).toBe(EVENT_COLUMNS.length);
  });
});

/** Whether a JSONCompactEachRow value fits a ClickHouse type, as the declaration's types use them. */
function fits(type: string, value: unknown): boolean {
  const inner = (prefix: string) => type.slice(prefix.length, -1);
  if (type.startsWith('Nullable(')) return value === null || fits(inner('Nullable('), value);
  if (type.startsWith('LowCardinality(')) return fits(inner('LowCardinality('), value);
  if (type.startsWith('Array(')) return Array.isArray(value) && value.every((item) => fits(inner('Array('), item));
  if (type.startsWith('Map('))
    return typeof value === 'object' && value !== null && Object.values(value).every((v) => typeof v === 'string');
  if (type.startsWith('DateTime64(')) return typeof value === 'string' && /^\d+\.\d{3}$/.test(value);
  if (type === 'Bool') return typeof value === 'boolean';
  if (type === 'UInt8') return Number.isInteger(value) && (value as number) >= 0 && (value as number) <= 255;
  if (type === 'Float64') return typeof value === 'number';
  if (type === 'String') return typeof value === 'string';
  throw new Error(`no check for the type ${type}`);
}

describe('the generated row mapping', () => {
  const at = Date.UTC(2026, 10, 2, 9, 15);
  const record = (eventName: string, attributes: DecodedLogRecord['attributes']): DecodedLogRecord => ({
    index: 0,
    timeMs: at,
    observedMs: 0,
    severityNumber: 9,
    severityText: 'INFO',
    body: 'hello',
    attributes,
    traceId: '5b8efff798038103d269b633813fc60c',
    spanId: 'eee19b7ec3c1b174',
    eventName,
    resource: { 'service.name': 'acme-api', 'deployment.environment.name': 'production' },
    scopeName: 'acme',
  });
  const { rows, rejections } = mapRecords(
    [
      record('passkey.registration', {
        'user.id': 'usr_1',
        'passkey.result': 'success',
        'webauthn.credential.id': 'cred-1',
        'webauthn.aaguid': 'ea9b8d66-4d01-1d21-3ce4-b6b48cb575d4',
        'webauthn.flags.be': true,
        'webauthn.flags.bs': true,
        'webauthn.transports': ['internal', 'hybrid'],
        'tenant.id': 't-1',
      }),
      record('passkey.prompt', {
        'webauthn.ceremony.type': 'authentication',
        'passkey.prompt.outcome': 'error',
        'error.type': 'NotAllowedError',
        'passkey.prompt.duration_ms': 812.5,
      }),
      record('passkey.client.capabilities', { 'webauthn.client.api_available': true, 'webauthn.client.capabilities': ['hybridTransport'] }),
    ],
    at + 1000,
  );

  it('maps the records', () => {
    expect(rejections.map((r) => r.detail)).toEqual([]);
    expect(rows).toHaveLength(3);
  });

  it.each(CEREMONY_EVENT_COLUMNS.map((c, i) => [c.column, c.type, i] as const))('%s gets a %s value', (column, type, i) => {
    for (const row of rows) {
      expect(row).toHaveLength(EVENT_COLUMNS.length);
      expect(fits(type, row[i]), `${column} = ${JSON.stringify(row[i])}`).toBe(true);
    }
  });

  it('the object form names each value by its column', () => {
    const [registration, prompt] = rows.map(storedEvent);
    expect(registration).toMatchObject({
      event_name: 'passkey.registration',
      user_id: 'usr_1',
      provider_name: 'Google Password Manager',
      credential_kind: 'synced',
    });
    expect(registration?.attributes).toEqual({ 'tenant.id': 't-1' });
    expect(prompt).toMatchObject({
      client_failure_reason: 'user_cancelled_or_timed_out',
      prompt_duration_ms: 812.5,
      environment: 'production',
    });
  });
});
