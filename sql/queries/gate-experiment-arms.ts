/**
 * The rollout experiment's arms (docs/stage-gates.md "The rollout experiment"): who was exposed to
 * the configured flag before `to`, by variant. A user is in the control arm when a
 * `feature_flag.evaluation` of the flag gave them the control variant, in the treatment arm when
 * one gave them any other variant; `both` counts users who saw both (they count in each arm, as the
 * `variant` filter counts them). Only the server's environments are read, no other filter.
 */
import { z } from 'zod';
import { defineQuery } from '@/lib/query';
import { sql } from '@/lib/sql';
import { ENVIRONMENT_PREDICATE } from './shared';

export const zExperimentArmParams = z.object({
  to: z.date(),
  flag: z.string(),
  control: z.string(),
  environments: z.array(z.string()),
});

export const gateExperimentArms = defineQuery({
  name: 'gate-experiment-arms',
  params: zExperimentArmParams,
  row: z.object({
    /** The variants seen other than control, most users first. */
    treatments: z.array(z.string()),
    controlUsers: z.number(),
    treatmentUsers: z.number(),
    bothUsers: z.number(),
  }),
  sql: sql`
    WITH exposures AS (
      SELECT user_id, toString(feature_flag_variant) AS variant
      FROM ceremony_events
      WHERE event_name = 'feature_flag.evaluation'
        AND feature_flag_key = {flag:String}
        AND timestamp < {to:DateTime64(3, 'UTC')}
        AND user_id != '' AND feature_flag_variant != ''
        AND ${ENVIRONMENT_PREDICATE}
      GROUP BY user_id, variant
    ),
    per_user AS (
      SELECT user_id, max(variant = {control:String}) AS in_control, max(variant != {control:String}) AS in_treatment
      FROM exposures
      GROUP BY user_id
    ),
    variants AS (
      SELECT variant, count() AS users FROM exposures WHERE variant != {control:String} GROUP BY variant ORDER BY users DESC, variant
    )
    SELECT
      (SELECT groupArray(variant) FROM variants) AS treatments,
      toUInt64(countIf(in_control = 1)) AS controlUsers,
      toUInt64(countIf(in_treatment = 1)) AS treatmentUsers,
      toUInt64(countIf(in_control = 1 AND in_treatment = 1)) AS bothUsers
    FROM per_user
  `.text,
});
