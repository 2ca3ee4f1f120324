/**
 * Failures drill-down: the individual failed and cancelled ceremonies of a selection (the global
 * filters, plus reason / outcome / type / surface selectors), newest first, a page at a time, each
 * row carrying the selection's size (`total`, all pages); `failedCeremoniesCount` gives it alone,
 * for a page past the end.
 */
import { z } from 'zod';
import { defineQuery } from '@/lib/query';
import { sql } from '@/lib/sql';
import { CEREMONIES, zWindowFilterParams } from './shared';

const zSelectionParams = zWindowFilterParams.extend({
  reasons: z.array(z.string()),
  outcomes: z.array(z.string()),
  types: z.array(z.string()),
  surfaces: z.array(z.string()),
});

const SELECTION = sql`
  outcome IN ('failure', 'cancelled')
  AND (empty({reasons:Array(String)}) OR has({reasons:Array(String)}, reason))
  AND (empty({outcomes:Array(String)}) OR has({outcomes:Array(String)}, outcome))
  AND (empty({types:Array(String)}) OR has({types:Array(String)}, type))
  AND (empty({surfaces:Array(String)}) OR has({surfaces:Array(String)}, surface))`;

export const zFailedCeremonyRow = z.object({
  ceremonyId: z.string(),
  startedAt: z.string(),
  userId: z.string(),
  type: z.string(),
  outcome: z.enum(['failure', 'cancelled']),
  reason: z.string(),
  deviceClass: z.string(),
  os: z.string(),
  browser: z.string(),
  surface: z.string(),
  credentialId: z.string(),
  credentialKind: z.string(),
  provider: z.string(),
  environment: z.string(),
  service: z.string(),
  serviceVersion: z.string(),
  total: z.number().int().nonnegative(),
});
export type FailedCeremonyRow = z.infer<typeof zFailedCeremonyRow>;

export const failedCeremonies = defineQuery({
  name: 'failed-ceremonies',
  params: zSelectionParams.extend({ limit: z.number().int().min(1).max(1000), offset: z.number().int().min(0) }),
  row: zFailedCeremonyRow,
  sql: sql`
    WITH ${CEREMONIES}
    SELECT
      ceremony_key AS ceremonyId, started_at AS startedAt, user_id AS userId, type, outcome, reason,
      device_class AS deviceClass, os_name AS os, browser_name AS browser, surface,
      credential_id AS credentialId, credential_kind AS credentialKind, provider_name AS provider,
      toString(environment) AS environment, toString(service_name) AS service, toString(service_version) AS serviceVersion,
      count() OVER () AS total
    FROM ceremonies
    WHERE ${SELECTION}
    ORDER BY started_at DESC, ceremony_key
    LIMIT {limit:UInt32} OFFSET {offset:UInt64}
  `.text,
});

export const failedCeremoniesCount = defineQuery({
  name: 'failed-ceremonies-count',
  params: zSelectionParams,
  row: z.object({ total: z.number().int().nonnegative() }),
  sql: sql`
    WITH ${CEREMONIES}
    SELECT count() AS total
    FROM ceremonies
    WHERE ${SELECTION}
  `.text,
});
