-- Who was exposed to each rollout variant, by day: for each (variant, user, day) with a
-- `feature_flag.evaluation` giving that variant, the day's first and last evaluation time, kept by a
-- materialized view over ceremony_events. It answers the rollout-variant filter's "users exposed to
-- the variant before `to`" (EXPOSED_USERS, sql/queries/shared.ts) from the variant's rows instead of
-- every flag evaluation ever stored — in a deployment that evaluates its flags on every page, the
-- most frequent event of all (docs/performance.md, "Exposures kept by day").
--
-- Aggregates are min/max only, so a duplicated block, a retried batch, a late event or this file's
-- backfill running twice can never change a row, and "a row with first_at before `to`" holds exactly
-- when an evaluation before `to` is stored, merged or not. A row expires with the last evaluation of
-- its day (lib/data-retention.ts), as user_device_days (0016) does. Any flag key counts, as in
-- EXPOSED_USERS; evaluations without a user are kept under '' as they are read there.
-- Per-user state: on a cluster it lives on the user's shard, as the events do.
-- Placeholders (see sql/README.md): ${LOCAL}, ${ON_CLUSTER}, ${REPLICATED}, ${CLUSTER_NAME}.
CREATE TABLE IF NOT EXISTS variant_exposures${LOCAL} ${ON_CLUSTER}
(
    variant  LowCardinality(String),
    user_id  String CODEC(ZSTD(1)),
    day      Date,
    first_at SimpleAggregateFunction(min, DateTime64(3, 'UTC')),
    last_at  SimpleAggregateFunction(max, DateTime64(3, 'UTC'))
)
ENGINE = ${REPLICATED}AggregatingMergeTree
ORDER BY (variant, user_id, day);

-- Grouped within each inserted block, so a block writes one row per (variant, user, day) it holds.
CREATE MATERIALIZED VIEW IF NOT EXISTS variant_exposures_mv${LOCAL} ${ON_CLUSTER} TO variant_exposures${LOCAL}
AS SELECT
    feature_flag_variant AS variant,
    user_id,
    toDate(timestamp)    AS day,
    min(timestamp)       AS first_at,
    max(timestamp)       AS last_at
FROM ceremony_events${LOCAL}
WHERE event_name = 'feature_flag.evaluation'
GROUP BY variant, user_id, day;

-- cluster only: the table the queries name, spread over the shards by user, as ceremony_events is.
CREATE TABLE IF NOT EXISTS variant_exposures ${ON_CLUSTER} AS variant_exposures_local
ENGINE = Distributed(${CLUSTER_NAME}, currentDatabase(), variant_exposures_local, cityHash64(user_id));

-- An upgrade keeps the data: filled from the events already stored. The view above exists first, so
-- an event inserted meanwhile is counted by both, which min/max make harmless. On a cluster this
-- reads and writes through the tables the queries name, so each row lands on its user's shard.
INSERT INTO variant_exposures (variant, user_id, day, first_at, last_at)
SELECT feature_flag_variant AS variant, user_id, toDate(timestamp) AS day, min(timestamp), max(timestamp)
FROM ceremony_events
WHERE event_name = 'feature_flag.evaluation'
GROUP BY variant, user_id, day;
