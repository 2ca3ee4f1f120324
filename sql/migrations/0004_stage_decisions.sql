-- The stage-gate decision log (DESIGN.md section 5): every advance / hold / roll back, who made it
-- and why. Append-only; the newest decision sets the current stage (it wins over the rollout
-- config's currentStage). Rows are few, so a plain MergeTree ordered by time serves every read.
-- Every insert passes its own insert_deduplication_token (a random UUID): two identical decisions
-- are two decisions, and the embedded engine must never drop one as a duplicate of the other.
-- Placeholders (see sql/README.md): ${LOCAL}, ${ON_CLUSTER}, ${REPLICATED}, ${CLUSTER_NAME}.
CREATE TABLE IF NOT EXISTS stage_decisions${LOCAL} ${ON_CLUSTER}
(
    id          String,
    decided_at  DateTime64(3, 'UTC'),
    action      Enum8('advance' = 1, 'hold' = 2, 'roll_back' = 3),
    from_stage  UInt8,
    to_stage    UInt8,
    actor       String,
    reason      String CODEC(ZSTD(3))
)
ENGINE = ${REPLICATED}MergeTree
ORDER BY decided_at;

-- cluster only: the table the queries name (one shard holds the whole log).
CREATE TABLE IF NOT EXISTS stage_decisions ${ON_CLUSTER} AS stage_decisions_local
ENGINE = Distributed(${CLUSTER_NAME}, currentDatabase(), stage_decisions_local, 0);
