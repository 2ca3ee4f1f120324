/**
 * Per-read limits, the pure parts: the SETTINGS clause every named read gets (lib/query-limits.ts),
 * the configuration's defaults and bounds, and the API's answer to a read over its limits
 * (lib/api/errors.ts). The engine's side — the limits bite, and nothing leaks into the session —
 * is tests/integration/query-limits.ch.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { ClickHouseError } from '@clickhouse/client';
import { queryLimitExceeded, unexpectedErrorResponse } from '@/lib/api/errors';
import { ConfigError, parseEnv } from '@/lib/env';
import { readLimits, withReadLimits } from '@/lib/query-limits';

const limits = { maxExecutionTime: 60, maxMemoryUsage: 1024 ** 3, nice: 0 };

describe('withReadLimits', () => {
  it('appends readonly, both limits and the spill thresholds (half the memory limit) as a SETTINGS clause on its own line', () => {
    expect(withReadLimits('SELECT 1', limits)).toBe(
      'SELECT 1\nSETTINGS readonly = 1, max_execution_time = 60, max_memory_usage = 1073741824, max_bytes_before_external_group_by = 536870912, max_bytes_before_external_sort = 536870912, use_index_for_in_with_subqueries_max_values = 10000, enable_materialized_cte = 1',
    );
  });

  it('survives a trailing comment, semicolon or whitespace', () => {
    expect(withReadLimits('SELECT 1 -- done', limits)).toMatch(/^SELECT 1 -- done\nSETTINGS readonly = 1,/);
    expect(withReadLimits('SELECT 1;\n  ', limits)).toMatch(/^SELECT 1\nSETTINGS /);
  });

  it('carries the log comment in the clause, quoted', () => {
    expect(withReadLimits('SELECT 1', limits, "query:it's\\")).toMatch(/, log_comment = 'query:it\\'s\\\\'$/);
  });

  it("lowers the priority of the read's threads when asked (nice 1 – 19), and sends nothing for 0", () => {
    expect(withReadLimits('SELECT 1', { ...limits, nice: 10 })).toMatch(/enable_materialized_cte = 1, os_thread_priority = 10$/);
    expect(withReadLimits('SELECT 1', limits)).not.toContain('nice');
  });

  it('never sends 0 (which ClickHouse reads as "no limit")', () => {
    expect(() => withReadLimits('SELECT 1', { ...limits, maxExecutionTime: 0.0001 })).toThrow(/max_execution_time/);
    expect(() => withReadLimits('SELECT 1', { ...limits, maxMemoryUsage: 0 })).toThrow(/max_memory_usage/);
    expect(withReadLimits('SELECT 1', { ...limits, maxExecutionTime: 0.25 })).toContain('max_execution_time = 0.25,');
  });
});

describe('configuration', () => {
  it("defaults: 60 s and 1 GiB per read, at nice 0 (reads at ingest's priority)", () => {
    expect(readLimits(parseEnv({}))).toEqual({ maxExecutionTime: 60, maxMemoryUsage: 1024 ** 3, nice: 0 });
  });

  it('takes values from QUERY_MAX_EXECUTION_TIME, QUERY_MAX_MEMORY_USAGE and QUERY_NICE', () => {
    expect(readLimits(parseEnv({ QUERY_MAX_EXECUTION_TIME: '2.5', QUERY_MAX_MEMORY_USAGE: '268435456', QUERY_NICE: '12' }))).toEqual({
      maxExecutionTime: 2.5,
      maxMemoryUsage: 268_435_456,
      nice: 12,
    });
  });

  it.each([
    ['QUERY_MAX_EXECUTION_TIME', '0'],
    ['QUERY_MAX_EXECUTION_TIME', 'soon'],
    ['QUERY_MAX_EXECUTION_TIME', '86401'],
    ['QUERY_MAX_MEMORY_USAGE', '1000'],
    ['QUERY_MAX_MEMORY_USAGE', '1073741824.5'],
    ['QUERY_NICE', '-1'],
    ['QUERY_NICE', '20'],
    ['QUERY_NICE', '2.5'],
  ])('refuses %s=%s, naming it', (name, value) => {
    expect(() => parseEnv({ [name]: value })).toThrow(ConfigError);
    expect(() => parseEnv({ [name]: value })).toThrow(name);
  });
});

describe('the API answer to a read over its limits', () => {
  const timeout = new ClickHouseError({
    message: 'Timeout exceeded: elapsed 60.1 s, maximum: 60 s',
    code: '159',
    type: 'TIMEOUT_EXCEEDED',
  });
  const memory = new ClickHouseError({ message: 'Query memory limit exceeded', code: '241', type: 'MEMORY_LIMIT_EXCEEDED' });

  it('recognises the limit errors by name or number, also as a cause', () => {
    expect(queryLimitExceeded(timeout)).toBe('time');
    expect(queryLimitExceeded(memory)).toBe('memory');
    expect(queryLimitExceeded({ code: '160' })).toBe('time');
    expect(queryLimitExceeded(new Error('wrapped', { cause: memory }))).toBe('memory');
    expect(queryLimitExceeded(new ClickHouseError({ message: 'Syntax error', code: '62', type: 'SYNTAX_ERROR' }))).toBeUndefined();
    expect(queryLimitExceeded(undefined)).toBeUndefined();
  });

  it('is 503 with Retry-After and a code naming the limit, never 500', async () => {
    for (const [error, code, variable] of [
      [timeout, 'query_timeout', 'QUERY_MAX_EXECUTION_TIME'],
      [memory, 'query_memory_limit', 'QUERY_MAX_MEMORY_USAGE'],
    ] as const) {
      const response = unexpectedErrorResponse(error, 'unit');
      expect(response.status).toBe(503);
      expect(response.headers.get('retry-after')).toMatch(/^\d+$/);
      const body = (await response.json()) as { error: { code: string; message: string } };
      expect(body.error.code).toBe(code);
      expect(body.error.message).toContain(variable);
      expect(body.error.message).not.toMatch(/elapsed|Query memory/);
    }
  });
});
