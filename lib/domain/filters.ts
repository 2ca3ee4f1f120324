/**
 * The time window and the global filters as the product's rules see them (DESIGN.md section 4):
 * pure types, constants and rules, no I/O — safe on the server and in the browser bundle.
 *
 * The HTTP layer parses them from a request with zod (lib/api/params.ts, whose output type is
 * checked to be exactly `Filters`); sql/queries bind them as parameters; the services pass them on.
 */
import type { CredentialKind, DeviceClass, RISK_TIERS } from '@/lib/vocabulary';

export type RiskTier = (typeof RISK_TIERS)[number];

export const DAY_MS = 86_400_000;
export const DEFAULT_WINDOW_DAYS = 28;
export const MAX_WINDOW_DAYS = 400;

/** `environment=*`: every environment, lifting the server's DEFAULT_ENVIRONMENT. */
export const ALL_ENVIRONMENTS = '*';

/** A time window [from, to). */
export interface TimeRange {
  from: Date;
  to: Date;
}

/**
 * The global filters; an empty list = no filter. The release and environment dimensions (DESIGN.md
 * section 11) are optional: `undefined` = not named. `environment: []` = every environment (`*`).
 */
export interface Filters {
  deviceClass: DeviceClass[];
  os: string[];
  browser: string[];
  provider: string[];
  credentialKind: CredentialKind[];
  riskTier: RiskTier[];
  variant: string[];
  environment?: string[] | undefined;
  service?: string[] | undefined;
  serviceVersion?: string[] | undefined;
  osVersion?: string[] | undefined;
  browserVersion?: string[] | undefined;
}

/**
 * The environments a request reads (DESIGN.md section 11): those it names, `[]` (all) for `*`,
 * else the configured default (`defaultEnvironment`), else `[]`. The server binds the default from
 * its configuration (lib/metrics/environment.ts, sql/queries/shared.ts).
 */
export function environmentsRead(filters: Pick<Filters, 'environment'>, defaultEnvironment: string | undefined): string[] {
  if (filters.environment !== undefined) return [...filters.environment];
  return defaultEnvironment ? [defaultEnvironment] : [];
}
