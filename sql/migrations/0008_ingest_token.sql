-- The name of the ingest token that wrote each event (lib/security/tokens.ts: `name:secret`
-- entries, or `token-<hash>` for a bare secret; `generated` for the token an install makes on its
-- first start), so a relying party's telemetry can be traced to the credential that sent it and a
-- leaked token's writes found. Rows stored before have ''. Adding a column rewrites no data.
ALTER TABLE ceremony_events${LOCAL} ${ON_CLUSTER}
    ADD COLUMN IF NOT EXISTS ingest_token LowCardinality(String) DEFAULT '' AFTER received_at;

-- cluster only: the Distributed table the queries name keeps the columns of the local tables.
ALTER TABLE ceremony_events ${ON_CLUSTER}
    ADD COLUMN IF NOT EXISTS ingest_token LowCardinality(String) DEFAULT '' AFTER received_at;
