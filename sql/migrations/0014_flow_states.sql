-- Flow state: one row per sign-in, registration or recovery flow (`auth.flow.id`), kept by the same
-- pass, under the same versions and commits as the ceremony state (lib/ceremony-states.ts;
-- sql/README.md "Flow state"), so the journeys endpoints read a month of flows instead of regrouping
-- a month of events per request (docs/performance.md, "Flow state").
--
-- A row holds what a journey question needs of its flow, whatever the filters: its kind, its start
-- (the hour it is kept under), its path without the end state (entry and collapsed steps), its
-- terminal end state (0 = none yet: the reader decides in_progress / abandoned / failed from `now`),
-- its duration and the method that signed in, and what the filters read — the first event's
-- dimensions, every rollout variant and user its events carry, the last credential it names.
-- The commits in ceremony_state_commits now vouch for both tables: the existing commits are dropped
-- with the rows they vouch for, so the first pass after the upgrade rebuilds every hour of both
-- from the stored events (readers regroup from raw events until then: slower, same answer).
-- Placeholders (see sql/README.md): ${LOCAL}, ${ON_CLUSTER}, ${REPLICATED}, ${CLUSTER_NAME}.
CREATE TABLE IF NOT EXISTS flow_states${LOCAL} ${ON_CLUSTER}
(
    hour               DateTime('UTC'),
    version            UInt64,
    flow_id            String CODEC(ZSTD(1)),
    kind               LowCardinality(String),
    started_at         DateTime64(3, 'UTC') CODEC(Delta(8), ZSTD(1)),
    user_id            String CODEC(ZSTD(1)),
    users              Array(String) CODEC(ZSTD(1)),
    device_class       LowCardinality(String),
    os_name            LowCardinality(String),
    os_version         LowCardinality(String),
    browser_name       LowCardinality(String),
    browser_version    LowCardinality(String),
    risk_tier          LowCardinality(String),
    environment        LowCardinality(String),
    service_name       LowCardinality(String),
    service_version    LowCardinality(String),
    variants           Array(LowCardinality(String)),
    credential_id      String CODEC(ZSTD(1)),
    credential_kind    LowCardinality(String),
    provider_name      LowCardinality(String),
    steps              Array(LowCardinality(String)),
    terminal           UInt8,
    method             LowCardinality(String),
    duration_ms        UInt64,
    first_received_at  DateTime64(3, 'UTC') CODEC(Delta(8), ZSTD(1))
)
ENGINE = ${REPLICATED}MergeTree
PARTITION BY toYYYYMM(hour)
ORDER BY (kind, hour, version, device_class);

-- cluster only: the table the queries name, a flow on its user's shard.
CREATE TABLE IF NOT EXISTS flow_states ${ON_CLUSTER} AS flow_states_local
ENGINE = Distributed(${CLUSTER_NAME}, currentDatabase(), flow_states_local, cityHash64(user_id));

-- The ceremony rows and commits written before flows were kept: the first pass rebuilds both.
TRUNCATE TABLE IF EXISTS ceremony_states${LOCAL} ${ON_CLUSTER};

TRUNCATE TABLE IF EXISTS ceremony_state_commits${LOCAL} ${ON_CLUSTER};
