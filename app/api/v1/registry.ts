/**
 * Every /api/v1 route module, for the OpenAPI document (GET /api/v1/openapi.json, which adds
 * itself). Next.js finds routes by their folders; the document has to be told. A route added under
 * app/api/v1 and not listed here fails tests/unit/openapi.test.ts, which compares this list with
 * the route files on disk and each module's method exports with the operations they carry.
 */
import type { RouteModule } from '@/lib/api/openapi';
import * as alerts from './alerts/route';
import * as alertsEvaluate from './alerts/evaluate/route';
import * as alertsSilences from './alerts/silences/route';
import * as alertsSilencesExpire from './alerts/silences/expire/route';
import * as alertsTest from './alerts/test/route';
import * as annotations from './annotations/route';
import * as audit from './audit/route';
import * as capabilities from './capabilities/route';
import * as cohortsFallback from './cohorts/fallback/route';
import * as cohortsFallbackUsers from './cohorts/fallback/users/route';
import * as cohortsFallbackMethods from './cohorts/fallback/methods/route';
import * as cohortsFallbackWeekly from './cohorts/fallback/weekly/route';
import * as erasures from './erasures/route';
import * as events from './events/route';
import * as failures from './failures/route';
import * as failuresSeries from './failures/series/route';
import * as health from './health/route';
import * as journeys from './journeys/route';
import * as journeyFlows from './journeys/flows/route';
import * as journeyUpsell from './journeys/upsell/route';
import * as members from './members/route';
import * as membersInvitations from './members/invitations/route';
import * as membersInvitationsRevoke from './members/invitations/revoke/route';
import * as membersRemove from './members/remove/route';
import * as membersRole from './members/role/route';
import * as membersSessionsRevoke from './members/sessions/revoke/route';
import * as overview from './overview/route';
import * as quarantine from './quarantine/route';
import * as recovery from './recovery/route';
import * as registration from './registration/route';
import * as retention from './retention/route';
import * as security from './security/route';
import * as signin from './signin/route';
import * as signinAfterFallback from './signin/after-fallback/route';
import * as stages from './stages/route';
import * as stagesBlastRadius from './stages/blast-radius/route';
import * as stagesDecisions from './stages/decisions/route';
import * as stagesExperiment from './stages/experiment/route';
import * as stagesPhaseOut from './stages/phase-out/route';
import * as stagesHistory from './stages/history/route';
import * as supportDrivers from './support/drivers/route';
import * as supportDriverTickets from './support/drivers/tickets/route';

export const API_ROUTES: readonly RouteModule[] = [
  alerts,
  alertsEvaluate,
  alertsSilences,
  alertsSilencesExpire,
  alertsTest,
  annotations,
  audit,
  capabilities,
  cohortsFallback,
  cohortsFallbackUsers,
  cohortsFallbackMethods,
  cohortsFallbackWeekly,
  erasures,
  events,
  failures,
  failuresSeries,
  health,
  journeys,
  journeyFlows,
  journeyUpsell,
  members,
  membersInvitations,
  membersInvitationsRevoke,
  membersRemove,
  membersRole,
  membersSessionsRevoke,
  overview,
  quarantine,
  recovery,
  registration,
  retention,
  security,
  signin,
  signinAfterFallback,
  stages,
  stagesBlastRadius,
  stagesDecisions,
  stagesExperiment,
  stagesPhaseOut,
  stagesHistory,
  supportDrivers,
  supportDriverTickets,
];
