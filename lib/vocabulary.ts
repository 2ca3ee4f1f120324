/**
 * The event vocabulary (semantic conventions v1, DESIGN.md section 3) as the product names it. The
 * closed enums are the telemetry SDK's — what relying parties emit is by construction what ingest
 * validates, the queries group by and the dashboard filters on — so they live in the SDK package
 * (packages/telemetry/src/vocabulary.ts) and are re-exported here, unchanged, for the app.
 */
export * from '@passkey-rollout/telemetry/vocabulary';
