/**
 * `ceremony_events` rows as ClickHouse TabSeparated text — the format ingest inserts in. Why not the
 * JSON row format @clickhouse/client builds from the values: the engine parses TabSeparated about a
 * third faster (docs/performance.md, "Ingest": 19.8k against 14.9k rows/s, medians of five
 * alternating rounds of the same rows), and the insert's parsing is the ceiling of ingest.
 *
 * Values are those of ingest/columns.ts (`EventValues`): strings, numbers, booleans, null, arrays of
 * strings and string → string maps. Escaping follows ClickHouse's TSV: a field's backslash, tab,
 * newline, carriage return and NUL are escaped (`\\`, `\t`, `\n`, `\r`, `\0`); an array or map is
 * written as its text literal (`['a','b']`, `{'k':'v'}`) whose quoted strings escape the same
 * characters and the quote. `null` and a number that is not finite are `\N` (JSON would send
 * `null` for both). Every stored value equals what the JSON row format stored
 * (tests/integration/ingest-tsv.ch.test.ts, on the real engine, with hostile text).
 */
import { Readable } from 'node:stream';
import type { EventValues } from './columns';

const FIELD_SPECIAL = /[\\\t\n\r\0]/g;
const FIELD_ESCAPES: Record<string, string> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r', '\0': '\\0' };
const QUOTED_SPECIAL = /[\\\t\n\r\0']/g;
const QUOTED_ESCAPES: Record<string, string> = { ...FIELD_ESCAPES, "'": "\\'" };

function field(text: string): string {
  return text.replace(FIELD_SPECIAL, (c) => FIELD_ESCAPES[c]!);
}

function quoted(text: string): string {
  return `'${text.replace(QUOTED_SPECIAL, (c) => QUOTED_ESCAPES[c]!)}'`;
}

function value(v: unknown): string {
  if (v === null || v === undefined) return '\\N';
  switch (typeof v) {
    case 'string':
      return field(v);
    case 'boolean':
      return v ? 'true' : 'false';
    case 'number':
      return Number.isFinite(v) ? String(v) : '\\N';
    default:
      if (Array.isArray(v)) return `[${v.map((item) => quoted(String(item))).join(',')}]`;
      return `{${Object.entries(v as Record<string, unknown>)
        .map(([k, item]) => `${quoted(k)}:${quoted(String(item))}`)
        .join(',')}}`;
  }
}

/** The rows as TabSeparated text, one line per row, each ending in a newline. */
export function tabSeparated(rows: readonly EventValues[]): string {
  let text = '';
  for (const row of rows) text += `${row.map(value).join('\t')}\n`;
  return text;
}

/** The rows as an insert's `values` (@clickhouse/client takes a byte stream for TabSeparated). */
export function tabSeparatedBody(rows: readonly EventValues[]): Readable {
  return Readable.from([tabSeparated(rows)], { objectMode: false });
}
