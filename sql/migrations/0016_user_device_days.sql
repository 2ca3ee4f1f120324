-- The device classes each user has used, by day: for each (user, device class, day) with an event,
-- the day's first and last event time, kept by a materialized view over ceremony_events. It answers
-- "had this user any event on this device class before t?" — the Security page's takeover pattern
-- (sql/queries/phishable-recovery-new-device.ts) — from the user's few rows instead of reading every
-- event the user ever sent (docs/performance.md, "A user's device classes kept by day").
--
-- Aggregates are min/max only, so a duplicated block, a retried batch, a late event or this file's
-- backfill running twice can never change a row. The first time gives the answer; the last time is
-- what retention expires a row by (lib/data-retention.ts): a row stays while any event of its day
-- does, so for any moment after that day the answer equals the one from the stored events.
-- Events without a user (a login-page prompt before anyone is known) are not kept: the question is
-- always about a user. Per-user state: on a cluster it lives on the user's shard, as the events do.
-- Placeholders (see sql/README.md): ${LOCAL}, ${ON_CLUSTER}, ${REPLICATED}, ${CLUSTER_NAME}.
CREATE TABLE IF NOT EXISTS user_device_days${LOCAL} ${ON_CLUSTER}
(
    user_id      String CODEC(ZSTD(1)),
    device_class LowCardinality(String),
    day          Date,
    first_at     SimpleAggregateFunction(min, DateTime64(3, 'UTC')),
    last_at      SimpleAggregateFunction(max, DateTime64(3, 'UTC'))
)
ENGINE = ${REPLICATED}AggregatingMergeTree
ORDER BY (user_id, device_class, day);

-- Grouped within each inserted block, so a block writes one row per (user, class, day) it holds.
CREATE MATERIALIZED VIEW IF NOT EXISTS user_device_days_mv${LOCAL} ${ON_CLUSTER} TO user_device_days${LOCAL}
AS SELECT
    user_id,
    device_class,
    toDate(timestamp) AS day,
    min(timestamp)    AS first_at,
    max(timestamp)    AS last_at
FROM ceremony_events${LOCAL}
WHERE user_id != ''
GROUP BY user_id, device_class, day;

-- cluster only: the table the queries name, spread over the shards by user, as ceremony_events is.
CREATE TABLE IF NOT EXISTS user_device_days ${ON_CLUSTER} AS user_device_days_local
ENGINE = Distributed(${CLUSTER_NAME}, currentDatabase(), user_device_days_local, cityHash64(user_id));

-- An upgrade keeps the data: filled from the events already stored. The view above exists first, so
-- an event inserted meanwhile is counted by both, which min/max make harmless. On a cluster this
-- reads and writes through the tables the queries name, so each row lands on its user's shard.
INSERT INTO user_device_days (user_id, device_class, day, first_at, last_at)
SELECT user_id, device_class, toDate(timestamp) AS day, min(timestamp), max(timestamp)
FROM ceremony_events
WHERE user_id != ''
GROUP BY user_id, device_class, day;
