-- Each user's successful sign-ins by method and day: for each (method, user, environment, day) with a
-- successful `auth.sign_in`, the day's first and last such sign-in, kept by a materialized view over
-- ceremony_events. It answers "when did this user last sign in with a passkey" (the blast radius's
-- at-risk holders, sql/queries/gate-blast-radius-users.ts) from the method's rows instead of every
-- sign-in ever stored, which grows with history while the question's window does not
-- (docs/performance.md, "Sign-ins kept by day").
--
-- Aggregates are min/max only, so a duplicated block, a retried batch, a late event or this file's
-- backfill running twice can never change a row. A day's row may hold sign-ins after an instant `to`
-- within that day, so readers take whole days before `to`'s day from here and that day itself from
-- the raw events (exact at any instant). A row expires with the last sign-in of its day
-- (lib/data-retention.ts), as user_device_days (0016) does. Sign-ins without a user are not kept.
-- Per-user state: on a cluster it lives on the user's shard, as the events do.
-- Placeholders (see sql/README.md): ${LOCAL}, ${ON_CLUSTER}, ${REPLICATED}, ${CLUSTER_NAME}.
CREATE TABLE IF NOT EXISTS user_sign_in_days${LOCAL} ${ON_CLUSTER}
(
    auth_method LowCardinality(String),
    user_id     String CODEC(ZSTD(1)),
    environment LowCardinality(String),
    day         Date,
    first_at    SimpleAggregateFunction(min, DateTime64(3, 'UTC')),
    last_at     SimpleAggregateFunction(max, DateTime64(3, 'UTC'))
)
ENGINE = ${REPLICATED}AggregatingMergeTree
ORDER BY (auth_method, user_id, environment, day);

-- Grouped within each inserted block, so a block writes one row per (method, user, environment, day) it holds.
CREATE MATERIALIZED VIEW IF NOT EXISTS user_sign_in_days_mv${LOCAL} ${ON_CLUSTER} TO user_sign_in_days${LOCAL}
AS SELECT
    auth_method,
    user_id,
    environment,
    toDate(timestamp) AS day,
    min(timestamp)    AS first_at,
    max(timestamp)    AS last_at
FROM ceremony_events${LOCAL}
WHERE event_name = 'auth.sign_in' AND result = 'success' AND user_id != ''
GROUP BY auth_method, user_id, environment, day;

-- cluster only: the table the queries name, spread over the shards by user, as ceremony_events is.
CREATE TABLE IF NOT EXISTS user_sign_in_days ${ON_CLUSTER} AS user_sign_in_days_local
ENGINE = Distributed(${CLUSTER_NAME}, currentDatabase(), user_sign_in_days_local, cityHash64(user_id));

-- An upgrade keeps the data: filled from the events already stored. The view above exists first, so
-- an event inserted meanwhile is counted by both, which min/max make harmless. On a cluster this
-- reads and writes through the tables the queries name, so each row lands on its user's shard.
INSERT INTO user_sign_in_days (auth_method, user_id, environment, day, first_at, last_at)
SELECT auth_method, user_id, environment, toDate(timestamp) AS day, min(timestamp), max(timestamp)
FROM ceremony_events
WHERE event_name = 'auth.sign_in' AND result = 'success' AND user_id != ''
GROUP BY auth_method, user_id, environment, day;
