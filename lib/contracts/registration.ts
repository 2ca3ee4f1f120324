/**
 * GET /api/v1/registration?groupBy=deviceClass|os|browser|provider|credentialKind|environment|service|serviceVersion
 * — registration ceremonies per group (cancels apart from failures), the registration rate per
 * device class, a daily series and the synced vs device-bound split. Shared by the route and the
 * dashboard.
 *
 * Row shape: every row carries `dimension` (= the response's `groupBy`) and `key` (the group's
 * value; an unknown OS / browser / provider / kind / environment / service / release is 'unknown';
 * `serviceVersion` compares releases side by side). With groupBy=deviceClass the rows
 * also carry `deviceClass` (= key), `activeUsers`, `holders` and `registrationRate`; the response
 * is a union discriminated by `groupBy`, so a client narrows on it.
 */
import { z } from 'zod';
import { zFilterParams, zTimeRange } from '@/lib/api/params';
import { zCeremonyTallies, zCount, zDay, zWindowEcho } from '@/lib/metrics/contract-parts';
import { zDeviceClassRegistration, zUpsellFriction } from './overview';
import { REGISTRATION_GROUP_BY } from '@/lib/domain/group-by';

export { REGISTRATION_GROUP_BY, type RegistrationGroupBy } from '@/lib/domain/group-by';
export const zRegistrationGroupBy = z.enum(REGISTRATION_GROUP_BY);

export const zRegistrationQuery = zFilterParams.extend({ groupBy: zRegistrationGroupBy.default('deviceClass') }).and(zTimeRange);
export type RegistrationQuery = z.input<typeof zRegistrationQuery>;

export const zRegistrationGroupRow = zCeremonyTallies.extend({
  dimension: zRegistrationGroupBy,
  key: z.string(),
});
export type RegistrationGroupRow = z.infer<typeof zRegistrationGroupRow>;

export const zRegistrationDeviceClassRow = zRegistrationGroupRow.extend(zDeviceClassRegistration.shape);
export type RegistrationDeviceClassRow = z.infer<typeof zRegistrationDeviceClassRow>;

export const zRegistrationDay = zCeremonyTallies.extend({ day: zDay });
export type RegistrationDay = z.infer<typeof zRegistrationDay>;

/**
 * Synced vs device-bound: registration ceremonies by the kind of credential they produced (a
 * ceremony that produced none is 'unknown'), and the credentials of that kind live at `to`.
 */
export const zCredentialKindSplit = zCeremonyTallies.extend({
  credentialKind: z.enum(['synced', 'device_bound', 'unknown']),
  liveCredentials: zCount,
});
export type CredentialKindSplit = z.infer<typeof zCredentialKindSplit>;

const zRegistrationBase = zWindowEcho.extend({
  /** All registration ceremonies of the window (the rows add up to it). */
  totals: zCeremonyTallies,
  /** Every UTC day of the window. */
  series: z.array(zRegistrationDay),
  /** Always the three kinds, in the order synced, device_bound, unknown. */
  credentialKinds: z.array(zCredentialKindSplit),
  /** Prompt friction of the post-sign-in upsell, as overview.upsell (the Registration page's funnel). */
  upsell: zUpsellFriction,
});

export const zRegistrationResponse = z.discriminatedUnion('groupBy', [
  zRegistrationBase.extend({ groupBy: z.literal('deviceClass'), rows: z.array(zRegistrationDeviceClassRow) }),
  zRegistrationBase.extend({
    groupBy: z.enum(['os', 'browser', 'provider', 'credentialKind', 'environment', 'service', 'serviceVersion']),
    rows: z.array(zRegistrationGroupRow),
  }),
]);
export type RegistrationResponse = z.infer<typeof zRegistrationResponse>;
