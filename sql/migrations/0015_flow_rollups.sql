-- Flow rollups: each base of the flow state (migration 0014) rolled up by what a journey question
-- groups and filters on, so the journeys endpoint reads a few thousand rows an hour-month instead
-- of every flow (docs/performance.md, "Journeys from rollups"; sql/README.md "Flow rollups").
--
-- One row per (hour, version) of a base and per distinct kind, path (`steps`), terminal end state,
-- sign-in method and filter dimensions, with its flows and every one of their durations — the
-- durations are kept whole (not a sketch), so medians and percentiles stay exact. `credential`
-- says whether the flows name a credential (the credential filters pass the flows that name none).
-- Written by the state pass with each base, under the base's version, before the pass commits it;
-- readers use a rollup row only for an hour whose flows no patch or new event can have changed
-- (sql/queries/journey-fragments.ts), and read the other hours flow by flow.
-- The commits are dropped with the state rows they vouch for (as in 0014): the first pass after the
-- upgrade rebuilds every hour of both states and their rollups from the stored events (readers
-- regroup from raw events until then: slower, same answer).
-- Placeholders (see sql/README.md): ${LOCAL}, ${ON_CLUSTER}, ${REPLICATED}, ${CLUSTER_NAME}.
CREATE TABLE IF NOT EXISTS flow_rollups${LOCAL} ${ON_CLUSTER}
(
    hour               DateTime('UTC'),
    version            UInt64,
    kind               LowCardinality(String),
    steps              Array(LowCardinality(String)),
    terminal           UInt8,
    method             LowCardinality(String),
    device_class       LowCardinality(String),
    os_name            LowCardinality(String),
    os_version         LowCardinality(String),
    browser_name       LowCardinality(String),
    browser_version    LowCardinality(String),
    risk_tier          LowCardinality(String),
    environment        LowCardinality(String),
    service_name       LowCardinality(String),
    service_version    LowCardinality(String),
    credential         Bool,
    credential_kind    LowCardinality(String),
    provider_name      LowCardinality(String),
    flows              UInt64,
    durations          Array(UInt64) CODEC(ZSTD(1))
)
ENGINE = ${REPLICATED}MergeTree
PARTITION BY toYYYYMM(hour)
ORDER BY (kind, hour, version);

-- cluster only: the table the queries name. A rollup row sums flows of many users; written through
-- this table, its rows spread by hour.
CREATE TABLE IF NOT EXISTS flow_rollups ${ON_CLUSTER} AS flow_rollups_local
ENGINE = Distributed(${CLUSTER_NAME}, currentDatabase(), flow_rollups_local, toUInt64(hour));

-- The state rows and commits written before rollups were kept: the first pass rebuilds all of them.
TRUNCATE TABLE IF EXISTS ceremony_states${LOCAL} ${ON_CLUSTER};

TRUNCATE TABLE IF EXISTS flow_states${LOCAL} ${ON_CLUSTER};

TRUNCATE TABLE IF EXISTS ceremony_state_commits${LOCAL} ${ON_CLUSTER};
