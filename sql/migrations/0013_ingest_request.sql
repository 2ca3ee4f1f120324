-- Which ingest request stored each event: `c` or `r` and the first 32 hex digits of the request's
-- deduplication token (a SHA-256 of its encoding and decoded body; ingest/sink.ts). `c` when the
-- request was stored in a coalesced insert with concurrent ones (ingest/coalescer.ts, embedded
-- engine), `r` when it had an insert of its own. A retry of a coalesced request is recognised by it
-- (ingest/coalesced-sink.ts): the coalesced insert's own deduplication token names the whole batch,
-- so ClickHouse cannot. Rows stored before, and rows copied in by tools, have ''.
-- Adding a column rewrites no data.
ALTER TABLE ceremony_events${LOCAL} ${ON_CLUSTER}
    ADD COLUMN IF NOT EXISTS ingest_request String DEFAULT '' CODEC(ZSTD(1));

-- cluster only: the Distributed table the queries name keeps the columns of the local tables.
ALTER TABLE ceremony_events ${ON_CLUSTER}
    ADD COLUMN IF NOT EXISTS ingest_request String DEFAULT '' CODEC(ZSTD(1));
