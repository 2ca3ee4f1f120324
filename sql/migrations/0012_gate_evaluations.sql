-- Stored daily stage-gate evaluations (DESIGN.md section 11; docs/stage-gates.md "History"): for
-- every UTC day D of the last 90, the evaluation as of the end of D (every window ends at D + 1 day
-- 00:00 UTC, no trend), one row per (day, transition, criterion) with the criterion's value,
-- interval, sample, status and counts, and its transition's verdict. Written by the background pass
-- in the app process (lib/stage-gates/history-pass.ts), a few days per tick; read by
-- GET /api/v1/stages/history, so the history chart never re-evaluates 90 days at once.
--
-- A day is evaluated again when late data changed it: every row of one evaluation carries the
-- `watermark` it read at (every event received before it was visible), the day's evaluation is
-- outdated once an event that can move it (timestamp before D + 1 day + 2 h) is received at or
-- after that watermark, once an erasure ran after it, or once the gate configuration changed
-- (`config_fingerprint`). The newest evaluation of a day (largest evaluated_at) is the one read;
-- ReplacingMergeTree lets merges drop the older ones, which readers never need.
-- Every insert passes its own insert_deduplication_token (embedded engine caveat, sql/README.md).
-- Placeholders (see sql/README.md): ${LOCAL}, ${ON_CLUSTER}, ${REPLICATED}, ${CLUSTER_NAME}.
CREATE TABLE IF NOT EXISTS gate_evaluations${LOCAL} ${ON_CLUSTER}
(
    day                 Date,
    from_stage          UInt8,
    to_stage            UInt8,
    criterion_id        String,
    metric              LowCardinality(String),
    transition_verdict  LowCardinality(String),
    status              LowCardinality(String),
    value               Nullable(Float64),
    ci_low              Nullable(Float64),
    ci_high             Nullable(Float64),
    sample_size         Nullable(Float64),
    -- The counts judged (the criterion's `measurement`, JSON) and, for per-device-class criteria, the deciding class.
    measurement         String CODEC(ZSTD(3)),
    device_class        String,
    config_version      UInt32,
    config_fingerprint  String,
    evaluated_at        DateTime64(3, 'UTC'),
    watermark           DateTime64(3, 'UTC')
)
ENGINE = ${REPLICATED}ReplacingMergeTree(evaluated_at)
ORDER BY (day, from_stage, criterion_id);

-- cluster only: the table the queries name (one shard holds every evaluation).
CREATE TABLE IF NOT EXISTS gate_evaluations ${ON_CLUSTER} AS gate_evaluations_local
ENGINE = Distributed(${CLUSTER_NAME}, currentDatabase(), gate_evaluations_local, 0);

-- The evidence behind each stage decision (docs/stage-gates.md "The decision log"): the evaluation
-- the decision was made on (values, intervals, samples, statuses, verdicts, config version), as JSON,
-- written with the decision by lib/stage-gates/decision-snapshots.ts. Append-only, one row per
-- decision; each insert passes its own insert_deduplication_token.
CREATE TABLE IF NOT EXISTS stage_decision_snapshots${LOCAL} ${ON_CLUSTER}
(
    decision_id   String,
    decided_at    DateTime64(3, 'UTC'),
    evaluated_at  DateTime64(3, 'UTC'),
    snapshot      String CODEC(ZSTD(3))
)
ENGINE = ${REPLICATED}MergeTree
ORDER BY decision_id;

-- cluster only: the table the queries name (one shard holds every snapshot).
CREATE TABLE IF NOT EXISTS stage_decision_snapshots ${ON_CLUSTER} AS stage_decision_snapshots_local
ENGINE = Distributed(${CLUSTER_NAME}, currentDatabase(), stage_decision_snapshots_local, 0);
