/**
 * Registration ceremonies (shared CEREMONIES outcome; cancels apart from failures) grouped by one
 * dimension of the ceremony. The dimension is a column picked from an allow-list; an empty value
 * is reported as 'unknown'.
 *
 * `registrationCeremonyBreakdown` answers the Registration page's three groupings of the same
 * ceremonies in one pass (GROUPING SETS): by the chosen dimension (`part = 'group'`), by credential
 * kind (`'kind'`, the synced / device-bound split) and by day of their start in the zone `tz`
 * (`'day'`; days without ceremonies are filled by the caller). The golden values of every group-by,
 * the series and the split hold (tests/integration/golden-core.ch.test.ts), and the state property
 * test compares the breakdown with raw events.
 */
import { z } from 'zod';
import type { RegistrationGroupBy } from '@/lib/domain/group-by';
import { defineQuery } from '@/lib/query';
import { identifier, sql } from '@/lib/sql';
import { KEPT_CEREMONIES, OUTCOME_COUNTS, zCoreParams, zOutcomeCounts } from './core-metric-fragments';
import { CEREMONIES, CREDENTIAL_STATES } from './shared';

/** Columns of the `ceremonies` CTE per registration group-by. */
export const REGISTRATION_DIMENSIONS: Readonly<Record<RegistrationGroupBy, string>> = {
  deviceClass: "if(device_class = '', 'other', device_class)",
  os: "if(os_name = '', 'unknown', os_name)",
  browser: "if(browser_name = '', 'unknown', browser_name)",
  provider: "if(provider_name = '', 'unknown', provider_name)",
  credentialKind: "if(credential_kind = '', 'unknown', credential_kind)",
  environment: "if(environment = '', 'unknown', environment)",
  service: "if(service_name = '', 'unknown', service_name)",
  serviceVersion: "if(service_version = '', 'unknown', service_version)",
};

function byDimension(dimension: RegistrationGroupBy) {
  return defineQuery({
    name: 'registration-ceremonies-by-dimension',
    params: zCoreParams,
    row: zOutcomeCounts.extend({ key: z.string() }),
    sql: sql`
      WITH ${CEREMONIES}, ${CREDENTIAL_STATES}, ${KEPT_CEREMONIES}
      SELECT ${identifier(REGISTRATION_DIMENSIONS, dimension)} AS key, ${OUTCOME_COUNTS}
      FROM kept_ceremonies
      WHERE type = 'registration'
      GROUP BY key
      ORDER BY successes + failures + cancellations DESC, key
    `.text,
  });
}

function breakdown(dimension: RegistrationGroupBy) {
  return defineQuery({
    name: 'registration-ceremony-breakdown',
    params: zCoreParams,
    row: zOutcomeCounts.extend({ part: z.enum(['group', 'kind', 'day']), key: z.string() }),
    sql: sql`
      WITH ${CEREMONIES}, ${CREDENTIAL_STATES}, ${KEPT_CEREMONIES},
      registrations AS (
        SELECT ${identifier(REGISTRATION_DIMENSIONS, dimension)} AS group_key,
               ${identifier(REGISTRATION_DIMENSIONS, 'credentialKind')} AS kind_key,
               toString(toDate(started_at, {tz:String})) AS day,
               outcome
        FROM kept_ceremonies
        WHERE type = 'registration'
      )
      SELECT multiIf(grouping(group_key) = 0, 'group', grouping(kind_key) = 0, 'kind', 'day') AS part,
             multiIf(part = 'group', group_key, part = 'kind', kind_key, day) AS key,
             ${OUTCOME_COUNTS}
      FROM registrations
      GROUP BY GROUPING SETS ((group_key), (kind_key), (day))
      ORDER BY part, successes + failures + cancellations DESC, key
    `.text,
  });
}

export const registrationCeremonyBreakdown = {
  deviceClass: breakdown('deviceClass'),
  os: breakdown('os'),
  browser: breakdown('browser'),
  provider: breakdown('provider'),
  credentialKind: breakdown('credentialKind'),
  environment: breakdown('environment'),
  service: breakdown('service'),
  serviceVersion: breakdown('serviceVersion'),
} satisfies Record<RegistrationGroupBy, unknown>;

export const registrationCeremoniesByDimension = {
  deviceClass: byDimension('deviceClass'),
  os: byDimension('os'),
  browser: byDimension('browser'),
  provider: byDimension('provider'),
  credentialKind: byDimension('credentialKind'),
  environment: byDimension('environment'),
  service: byDimension('service'),
  serviceVersion: byDimension('serviceVersion'),
} satisfies Record<RegistrationGroupBy, unknown>;
