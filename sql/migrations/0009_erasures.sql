-- Erasures (docs/security.md "Privacy"): one row per erased user — when, by whom, and what was
-- removed. Ingest reads it to refuse records of an erased user dated up to the erasure, so an
-- exporter's retry of a batch sent before the erasure cannot bring the data back. It holds the
-- erased id itself, which is the least an erasure can remember to stay erased.
CREATE TABLE IF NOT EXISTS erasures${LOCAL} ${ON_CLUSTER}
(
    user_id    String,
    erased_at  DateTime64(3, 'UTC'),
    actor      String,
    removed    String
)
ENGINE = ${REPLICATED}MergeTree
ORDER BY (user_id, erased_at);

-- cluster only: the table the queries name (one shard holds the whole list).
CREATE TABLE IF NOT EXISTS erasures ${ON_CLUSTER} AS erasures_local
ENGINE = Distributed(${CLUSTER_NAME}, currentDatabase(), erasures_local, 0);
