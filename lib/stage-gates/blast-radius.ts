/**
 * The stage-4 lock-out blast radius (DESIGN.md section 5; queries in sql/queries/gate-blast-radius*.ts):
 * the summary for GET /api/v1/stages, the user list and its CSV for
 * GET /api/v1/stages/blast-radius. Server only.
 */
import 'server-only';
import { BLAST_RADIUS_LOOKBACK_DAYS, type BlastRadiusSummary, type BlastRadiusUser } from '@/lib/contracts/stages';
import { csvDocument, type CsvOptions } from '@/lib/metrics/csv';
import { runQuery } from '@/lib/query';
import { gateBlastRadius } from '@/sql/queries/gate-blast-radius';
import { gateBlastRadiusUsers } from '@/sql/queries/gate-blast-radius-users';
import { cachedQuery } from './query-cache';
import { DAY_MS } from './stage-state';
import { appliedEnvironments } from '@/lib/metrics/environment';

/**
 * The environments a blast radius reads: the request's `environment` when it names one (`*` = every
 * environment), else DEFAULT_ENVIRONMENT when configured, else every environment.
 */
export function blastRadiusEnvironments(requested: readonly string[] | undefined): string[] {
  return appliedEnvironments({ environment: requested ? [...requested] : undefined });
}

/** The lookback of a blast radius as of `to`: its sign-ins are those of [from, to). */
export function blastRadiusLookback(to: Date, environments: readonly string[]): { from: Date; to: Date; environments: string[] } {
  return { from: new Date(to.getTime() - BLAST_RADIUS_LOOKBACK_DAYS * DAY_MS), to, environments: [...environments] };
}

export function blastRadiusCsvUrl(to?: Date, requestedEnvironment?: readonly string[]): string {
  const environment = requestedEnvironment
    ? `&environment=${encodeURIComponent(requestedEnvironment.length ? requestedEnvironment.join(',') : '*')}`
    : '';
  return `/api/v1/stages/blast-radius?format=csv${to ? `&to=${encodeURIComponent(to.toISOString())}` : ''}${environment}`;
}

export async function blastRadiusSummary(
  to: Date,
  explicitTo: boolean,
  requestedEnvironment?: readonly string[],
): Promise<BlastRadiusSummary> {
  const environments = blastRadiusEnvironments(requestedEnvironment);
  const rows = await cachedQuery(gateBlastRadius, blastRadiusLookback(to, environments));
  const holders = rows.reduce((total, row) => total + row.holders, 0);
  const atRisk = rows.reduce((total, row) => total + row.atRisk, 0);
  return {
    asOf: to.toISOString(),
    lookbackDays: BLAST_RADIUS_LOOKBACK_DAYS,
    environments,
    holders,
    atRisk,
    share: holders === 0 ? null : atRisk / holders,
    byDeviceClass: rows,
    csvUrl: blastRadiusCsvUrl(explicitTo ? to : undefined, requestedEnvironment),
  };
}

function iso(value: string | null): string | null {
  if (value === null) return null;
  const date = new Date(/[zZ]|[+-]\d{2}:?\d{2}$/.test(value) ? value : `${value.replace(' ', 'T')}Z`);
  return date.toISOString();
}

export async function blastRadiusUsers(to: Date, limit: number, requestedEnvironment?: readonly string[]): Promise<BlastRadiusUser[]> {
  const rows = await runQuery(gateBlastRadiusUsers, { ...blastRadiusLookback(to, blastRadiusEnvironments(requestedEnvironment)), limit });
  return rows.map((row) => ({ ...row, lastSignInAt: iso(row.lastSignInAt), lastPasskeySignInAt: iso(row.lastPasskeySignInAt) }));
}

export const BLAST_RADIUS_CSV_COLUMNS = [
  'user_id',
  'device_class',
  'last_sign_in_at',
  'last_sign_in_method',
  'live_passkeys',
  'passkey_device_classes',
  'last_passkey_sign_in_at',
] as const;

/** The at-risk users as CSV; formula-like cells neutralised unless `options.raw` (lib/metrics/csv.ts). */
export function blastRadiusCsv(users: readonly BlastRadiusUser[], options: CsvOptions = {}): string {
  return csvDocument(
    BLAST_RADIUS_CSV_COLUMNS,
    users.map((user) => [
      user.userId,
      user.deviceClass,
      user.lastSignInAt ?? '',
      user.lastSignInMethod ?? '',
      user.liveCredentials,
      user.credentialDeviceClasses.join(';'),
      user.lastPasskeySignInAt ?? '',
    ]),
    options,
  );
}
