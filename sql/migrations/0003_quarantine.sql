-- Records ingest rejected, kept for 14 days so an engineer can see exactly what a relying party
-- sent and why it was refused (partial_success names only the first problems).
CREATE TABLE IF NOT EXISTS quarantine${LOCAL} ${ON_CLUSTER}
(
    received_at  DateTime64(3, 'UTC'),
    reason       LowCardinality(String),
    detail       String CODEC(ZSTD(3)),
    event_name   LowCardinality(String),
    service_name LowCardinality(String),
    raw_record   String CODEC(ZSTD(3))
)
ENGINE = ${REPLICATED}MergeTree
PARTITION BY toDate(received_at)
ORDER BY (received_at, reason)
TTL toDateTime(received_at) + INTERVAL 14 DAY DELETE
SETTINGS non_replicated_deduplication_window = 10000, replicated_deduplication_window = 10000;

-- cluster only: the table the queries name.
CREATE TABLE IF NOT EXISTS quarantine ${ON_CLUSTER} AS quarantine_local
ENGINE = Distributed(${CLUSTER_NAME}, currentDatabase(), quarantine_local, rand());
