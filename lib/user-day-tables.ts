/**
 * The per-user state kept by day (migrations 0016–0018; sql/README.md): materialized views keep, per
 * user and UTC day (and the table's own key: device class, variant, sign-in method), the day's first
 * and last event (`first_at`, `last_at`). Every such table is treated alike by the lifecycle of
 * users' data: a row expires with its day's last event (lib/data-retention.ts) and is erased with
 * its user (lib/privacy/erasure.ts). A new table kept by day is added here, once.
 */
export const USER_DAY_TABLES = ['user_device_days', 'variant_exposures', 'user_sign_in_days'] as const;

export type UserDayTable = (typeof USER_DAY_TABLES)[number];
