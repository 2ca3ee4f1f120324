/**
 * Registration ceremonies (shared CEREMONIES outcome; cancels apart from failures) grouped by one
 * dimension of the ceremony. The dimension is a column picked from an allow-list; an empty value
 * is reported as 'unknown'.
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
