-- Alerts (docs/alerts.md): the state of every alert series, the notifications sent, their webhook
-- deliveries, silences, and the lease that keeps exactly one evaluator per cluster. Rows are few
-- (a state row per series that ever fired, a row per notification, delivery and claim), so every
-- table is small and one shard holds it whole.
--
-- alert_states: the newest row of a (rule, series) wins (read with FINAL).
CREATE TABLE IF NOT EXISTS alert_states${LOCAL} ${ON_CLUSTER}
(
    rule_id         String,
    series_key      String,
    status          Enum8('ok' = 1, 'firing' = 2),
    since           DateTime64(3, 'UTC'),
    notified        Bool,
    last_notice_at  Nullable(DateTime64(3, 'UTC')),
    memo            String,
    labels          String,
    summary         String,
    value           Nullable(Float64),
    threshold       Nullable(Float64),
    updated_at      DateTime64(3, 'UTC')
)
ENGINE = ${REPLICATED}ReplacingMergeTree(updated_at)
ORDER BY (rule_id, series_key);

-- cluster only: the table the queries name.
CREATE TABLE IF NOT EXISTS alert_states ${ON_CLUSTER} AS alert_states_local
ENGINE = Distributed(${CLUSTER_NAME}, currentDatabase(), alert_states_local, 0);

-- alert_events: every notification (firing, resolved, test), kept 180 days.
CREATE TABLE IF NOT EXISTS alert_events${LOCAL} ${ON_CLUSTER}
(
    id          String,
    at          DateTime64(3, 'UTC'),
    rule_id     String,
    series_key  String,
    kind        Enum8('firing' = 1, 'resolved' = 2, 'test' = 3),
    severity    LowCardinality(String),
    summary     String,
    value       Nullable(Float64),
    threshold   Nullable(Float64),
    labels      String
)
ENGINE = ${REPLICATED}MergeTree
ORDER BY at
TTL toDateTime(at) + INTERVAL 180 DAY;

-- cluster only: the table the queries name.
CREATE TABLE IF NOT EXISTS alert_events ${ON_CLUSTER} AS alert_events_local
ENGINE = Distributed(${CLUSTER_NAME}, currentDatabase(), alert_events_local, 0);

-- alert_deliveries: one row per notification and webhook, after its retries, kept 90 days.
CREATE TABLE IF NOT EXISTS alert_deliveries${LOCAL} ${ON_CLUSTER}
(
    id           String,
    at           DateTime64(3, 'UTC'),
    event_id     String,
    rule_id      String,
    kind         Enum8('firing' = 1, 'resolved' = 2, 'test' = 3),
    target       String,
    format       Enum8('json' = 1, 'slack' = 2),
    status       Enum8('delivered' = 1, 'failed' = 2),
    attempts     UInt8,
    http_status  Nullable(UInt16),
    error        Nullable(String),
    duration_ms  Float64
)
ENGINE = ${REPLICATED}MergeTree
ORDER BY at
TTL toDateTime(at) + INTERVAL 90 DAY;

-- cluster only: the table the queries name.
CREATE TABLE IF NOT EXISTS alert_deliveries ${ON_CLUSTER} AS alert_deliveries_local
ENGINE = Distributed(${CLUSTER_NAME}, currentDatabase(), alert_deliveries_local, 0);

-- alert_silences: a silence and, once expired early, its newer row (read with FINAL).
CREATE TABLE IF NOT EXISTS alert_silences${LOCAL} ${ON_CLUSTER}
(
    id          String,
    created_at  DateTime64(3, 'UTC'),
    rule_id     String,
    series_key  String,
    until       DateTime64(3, 'UTC'),
    reason      String,
    actor       String,
    expired_at  Nullable(DateTime64(3, 'UTC')),
    expired_by  Nullable(String),
    version     UInt64
)
ENGINE = ${REPLICATED}ReplacingMergeTree(version)
ORDER BY id;

-- cluster only: the table the queries name.
CREATE TABLE IF NOT EXISTS alert_silences ${ON_CLUSTER} AS alert_silences_local
ENGINE = Distributed(${CLUSTER_NAME}, currentDatabase(), alert_silences_local, 0);

-- alert_lease: claims of evaluation terms. The holder of a term is the previous term's holder if it
-- claimed it, else the earliest claim (lib/alerts/lease.ts). Kept a day.
CREATE TABLE IF NOT EXISTS alert_lease${LOCAL} ${ON_CLUSTER}
(
    term        UInt64,
    holder      String,
    claimed_at  DateTime64(3, 'UTC')
)
ENGINE = ${REPLICATED}MergeTree
ORDER BY (term, claimed_at)
TTL toDateTime(claimed_at) + INTERVAL 1 DAY;

-- cluster only: the table the queries name.
CREATE TABLE IF NOT EXISTS alert_lease ${ON_CLUSTER} AS alert_lease_local
ENGINE = Distributed(${CLUSTER_NAME}, currentDatabase(), alert_lease_local, 0)
