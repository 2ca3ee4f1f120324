/**
 * CSV exports neutralise spreadsheet formulas (lib/metrics/csv.ts): users whose ids begin with
 * `=`, `+`, `-` or `@` are exported with a leading `'` by both exports — the fallback cohort
 * (`/api/v1/cohorts/fallback/users?format=csv`) and the lock-out blast radius
 * (`/api/v1/stages/blast-radius?format=csv`) — and exactly as sent with `raw=1`.
 */
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { otlpJson, postLogs, uid, type TestRecord } from '../helpers/otlp';

const baseUrl = inject('baseUrl');
const token = inject('ingestToken');

const tag = uid('csv');
/** Classic payloads, each made unique by the tag (ingest trims ids, so no leading tab or CR here). */
const IDS = [`=HYPERLINK("https://example.invalid/${tag}","x")`, `+${tag}+1`, `-${tag}-1`, `@SUM(1,1)*cmd|' /C calc'!A0 ${tag}`];
const DEVICE = { 'device.class': 'desktop-windows', 'os.name': 'Windows', 'browser.name': 'Chrome' };

function population(): TestRecord[] {
  const now = Date.now();
  return IDS.flatMap((userId, i) => [
    // a passkey holder (blast radius) who signs in with a password (fallback cohort)
    {
      eventName: 'passkey.registration',
      timeMs: now - 3_600_000,
      attributes: {
        'user.id': userId,
        ...DEVICE,
        'passkey.result': 'success',
        'webauthn.credential.id': `${tag}-cred-${i}`,
        'webauthn.ceremony.id': `${tag}-cer-${i}`,
      },
    },
    {
      eventName: 'auth.sign_in',
      timeMs: now - 1_800_000,
      attributes: { 'user.id': userId, ...DEVICE, 'auth.method': 'password', 'auth.result': 'success' },
    },
  ]);
}

/** The CSV's rows (without header) that belong to this test's users. */
async function ourRows(path: string): Promise<string[]> {
  const response = await fetch(`${baseUrl}${path}`);
  expect(response.status, path).toBe(200);
  expect(response.headers.get('content-type')).toBe('text/csv; charset=utf-8');
  return (await response.text())
    .split('\r\n')
    .slice(1)
    .filter((line) => line.includes(tag));
}

async function eventually(path: string): Promise<string[]> {
  const deadline = Date.now() + 30_000;
  let rows: string[] = [];
  while (Date.now() < deadline) {
    rows = await ourRows(path);
    if (rows.length === IDS.length) return rows;
    await new Promise((resolve) => setTimeout(resolve, 300));
  }
  return rows;
}

/** The first CSV field of a row, unquoted (RFC 4180). */
function firstField(row: string): string {
  if (!row.startsWith('"')) return row.split(',')[0]!;
  let field = '';
  for (let i = 1; i < row.length; i += 1) {
    if (row[i] !== '"') {
      field += row[i];
    } else if (row[i + 1] === '"') {
      field += '"';
      i += 1;
    } else {
      break;
    }
  }
  return field;
}

beforeAll(async () => {
  const response = await postLogs(baseUrl, JSON.stringify(otlpJson(population())), {
    'content-type': 'application/json',
    authorization: `Bearer ${token}`,
  });
  expect(response.status).toBe(200);
  expect(await response.json()).toEqual({});
});

describe.each([
  ['fallback cohort', '/api/v1/cohorts/fallback/users?format=csv'],
  ['lock-out blast radius', '/api/v1/stages/blast-radius?format=csv&limit=100000'],
])('%s export', (_name, path) => {
  it("prefixes formula-like ids with ' by default", async () => {
    const ids = (await eventually(path)).map(firstField).sort();
    expect(ids).toEqual(IDS.map((id) => `'${id}`).sort());
  });

  it('exports the exact ids with raw=1', async () => {
    const ids = (await eventually(`${path}&raw=1`)).map(firstField).sort();
    expect(ids).toEqual([...IDS].sort());
  });

  it('refuses another raw value, naming the parameter', async () => {
    const response = await fetch(`${baseUrl}${path}&raw=yes`);
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: { parameter?: string } }).error.parameter).toBe('raw');
  });
});
