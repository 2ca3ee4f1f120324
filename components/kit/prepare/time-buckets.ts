/**
 * Time-bucket gap filling for the dashboard's charts (missing bucket: counts 0, rates null). The
 * implementation is shared with the API's series and lives in lib/metrics/time-buckets.ts; this is
 * the kit's stable import path for it.
 */
export * from '@/lib/metrics/time-buckets';
