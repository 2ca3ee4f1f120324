-- Ceremony state: one row per ceremony, kept as data arrives instead of regrouping raw events per
-- request (docs/performance.md; sql/README.md "Ceremony state" says how it stays exact).
--
-- A pass of lib/ceremony-states.ts regroups the hours that received events since its previous pass
-- (a ceremony starting in hour h is judged from its events in [h − 1 h, h + 2 h)) and writes their
-- ceremonies under a new version; one row per pass in ceremony_state_versions (hour = epoch) holds
-- the pass's watermark. Readers take each hour's newest version and regroup from raw events only the
-- ceremonies with an event received after watermark − 60 s, so an answer is exact whatever the
-- pass has or has not done yet. Placeholders: see sql/README.md.

-- "Events received since the last pass" must read only recent parts.
ALTER TABLE ceremony_events${LOCAL} ${ON_CLUSTER} ADD INDEX IF NOT EXISTS idx_received_at received_at TYPE minmax GRANULARITY 1;

ALTER TABLE ceremony_events${LOCAL} ${ON_CLUSTER} MATERIALIZE INDEX idx_received_at;

CREATE TABLE IF NOT EXISTS ceremony_states${LOCAL} ${ON_CLUSTER}
(
    hour             DateTime('UTC'),
    version          UInt64,
    ceremony_key     String CODEC(ZSTD(1)),
    started_at       DateTime64(3, 'UTC') CODEC(Delta(8), ZSTD(1)),
    type             LowCardinality(String),
    outcome          LowCardinality(String),
    reason           LowCardinality(String),
    user_id          String CODEC(ZSTD(1)),
    flow_id          String CODEC(ZSTD(1)),
    device_class     LowCardinality(String),
    os_name          LowCardinality(String),
    os_version       LowCardinality(String),
    browser_name     LowCardinality(String),
    browser_version  LowCardinality(String),
    surface          LowCardinality(String),
    mediation        LowCardinality(String),
    risk_tier        LowCardinality(String),
    rollout_variant  LowCardinality(String),
    environment      LowCardinality(String),
    service_name     LowCardinality(String),
    service_version  LowCardinality(String),
    credential_id    String CODEC(ZSTD(1)),
    credential_kind  LowCardinality(String),
    provider_name    LowCardinality(String)
)
ENGINE = ${REPLICATED}MergeTree
PARTITION BY toYYYYMM(hour)
ORDER BY (hour, version, type, device_class);

-- cluster only: the table the queries name, a ceremony on its user's shard.
CREATE TABLE IF NOT EXISTS ceremony_states ${ON_CLUSTER} AS ceremony_states_local
ENGINE = Distributed(${CLUSTER_NAME}, currentDatabase(), ceremony_states_local, cityHash64(user_id));

CREATE TABLE IF NOT EXISTS ceremony_state_versions${LOCAL} ${ON_CLUSTER}
(
    hour         DateTime('UTC'),
    version      UInt64,
    computed_at  DateTime64(3, 'UTC')
)
ENGINE = ${REPLICATED}ReplacingMergeTree(version)
ORDER BY hour;

-- cluster only: one shard holds the (small) version log, so a pass's rows land together.
CREATE TABLE IF NOT EXISTS ceremony_state_versions ${ON_CLUSTER} AS ceremony_state_versions_local
ENGINE = Distributed(${CLUSTER_NAME}, currentDatabase(), ceremony_state_versions_local, 0);
