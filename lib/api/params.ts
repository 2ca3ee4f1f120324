/**
 * Shared query-parameter schemas: the time window and the global filters of DESIGN.md section 4,
 * parsed from a request. The shapes, constants and rules they produce are the domain's
 * (lib/domain/filters.ts); this module is the single zod source for reading them over HTTP, and
 * its output is checked below to be exactly the domain's `Filters`.
 */
import { z } from 'zod';
import { CREDENTIAL_KINDS, DEVICE_CLASSES, RISK_TIERS } from '../vocabulary';
import { DEFAULT_TIME_ZONE, isTimeZone } from '@/lib/domain/time-zone';
import { ALL_ENVIRONMENTS, DAY_MS, DEFAULT_WINDOW_DAYS, MAX_WINDOW_DAYS, type Filters } from '@/lib/domain/filters';

export { ALL_ENVIRONMENTS, DAY_MS, DEFAULT_WINDOW_DAYS, MAX_WINDOW_DAYS, type Filters } from '@/lib/domain/filters';

const zInstant = z.iso
  .datetime({ offset: true, local: true, message: 'must be an ISO-8601 date-time, e.g. 2026-11-01T00:00:00Z' })
  .or(z.iso.date({ message: 'must be an ISO-8601 date or date-time' }))
  .transform((value) => new Date(/^\d{4}-\d{2}-\d{2}$/.test(value) ? `${value}T00:00:00Z` : value));

/** `tz`: the zone of the day buckets (an IANA name such as Europe/Berlin), default UTC. */
export const zTimeZone = z
  .string()
  .trim()
  .max(64)
  .refine(isTimeZone, { message: 'must be an IANA time zone such as Europe/Berlin or America/New_York, or UTC' });

/**
 * `from`/`to`: default the last 28 days; a window over 400 days or ending before it starts is refused.
 * `tz`: where day buckets begin and end (default UTC).
 */
export const zTimeRange = z
  .object({ from: zInstant.optional(), to: zInstant.optional(), tz: zTimeZone.optional() })
  .transform(({ from, to, tz }, ctx) => {
    const end = to ?? new Date();
    const start = from ?? new Date(end.getTime() - DEFAULT_WINDOW_DAYS * DAY_MS);
    if (start.getTime() >= end.getTime()) {
      ctx.addIssue({ code: 'custom', path: ['from'], message: "must be before 'to'" });
      return z.NEVER;
    }
    if (end.getTime() - start.getTime() > MAX_WINDOW_DAYS * DAY_MS) {
      ctx.addIssue({ code: 'custom', path: ['from'], message: `the window may span at most ${MAX_WINDOW_DAYS} days` });
      return z.NEVER;
    }
    return { from: start, to: end, tz: tz ?? DEFAULT_TIME_ZONE };
  });

const list = <O extends string>(item: z.ZodType<O, string>, max = 20) =>
  z
    .string()
    .max(2000)
    .transform((value) =>
      value
        .split(',')
        .map((part) => part.trim())
        .filter(Boolean),
    )
    .pipe(z.array(item).max(max));

const label = z.string().max(200);

const ALL_ONLY_FOR_ENVIRONMENT = "'*' is only meaningful for environment; leave the parameter out to keep every value";

/**
 * A release dimension's values (service, service version, OS / browser version): free labels, a
 * comma-separated list; absent or empty = no filter. Output `undefined` when absent, so the type
 * stays assignable from the filters of callers that name none.
 */
const releaseList = () => list(label.refine((value) => value !== ALL_ENVIRONMENTS, ALL_ONLY_FOR_ENVIRONMENT)).optional();

/**
 * `environment` (`deployment.environment.name`): a comma-separated list, or `*` for every
 * environment. Absent (or empty) = not named: `undefined`, and the server applies
 * DEFAULT_ENVIRONMENT when it is configured (lib/metrics/environment.ts); `*` = `[]`, every
 * environment. `*` cannot be mixed with names.
 */
const environmentList = z
  .string()
  .max(2000)
  .optional()
  .transform((value, ctx) => {
    const names = [
      ...new Set(
        (value ?? '')
          .split(',')
          .map((part) => part.trim())
          .filter(Boolean),
      ),
    ];
    if (names.length === 0) return undefined;
    if (!names.includes(ALL_ENVIRONMENTS)) return names;
    if (names.length > 1) {
      ctx.addIssue({ code: 'custom', message: "'*' (every environment) cannot be combined with environment names" });
      return z.NEVER;
    }
    return [];
  })
  .pipe(z.array(label).max(20).optional());

/**
 * Global filters, each a comma-separated list; empty = no filter. The release and environment
 * dimensions (DESIGN.md section 11) are optional in the output: `undefined` = not named.
 */
export const zFilterParams = z.object({
  deviceClass: list(z.enum(DEVICE_CLASSES)).default([]),
  os: list(label).default([]),
  browser: list(label).default([]),
  provider: list(label).default([]),
  credentialKind: list(z.enum(CREDENTIAL_KINDS)).default([]),
  riskTier: list(z.enum(RISK_TIERS)).default([]),
  variant: list(label).default([]),
  environment: environmentList,
  service: releaseList(),
  serviceVersion: releaseList(),
  osVersion: releaseList(),
  browserVersion: releaseList(),
});

/** Compile-time check: the parsed filters are exactly the domain's `Filters` (lib/domain/filters.ts). */
type Same<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
const _parsedFiltersAreDomainFilters: Same<z.output<typeof zFilterParams>, Filters> = true;
void _parsedFiltersAreDomainFilters;

/**
 * `raw=1` on a CSV export: the exact text, without the `'` that neutralises spreadsheet formulas
 * (lib/metrics/csv.ts). Default 0.
 */
export const zCsvRaw = z
  .enum(['0', '1'], { error: 'must be 0 or 1' })
  .default('0')
  .transform((value) => value === '1');
