-- Ceremony state, incremental: a pass now rewrites only the ceremonies that received events (a
-- "patch" of an hour), and rebuilds whole hours (a "base") only for a large backlog or to fold an
-- hour's patches once they have grown (lib/ceremony-states.ts; sql/README.md "Ceremony state").
--
-- ceremony_state_commits holds every committed version of every hour, with its kind: readers take
-- each hour's newest base, the patches newer than it (newest row per ceremony wins), and regroup
-- from raw events what no pass has seen. The row of hour = epoch carries a pass's watermark: every
-- event received before it was visible to that pass. It replaces ceremony_state_versions, which kept
-- only the newest version of an hour.

CREATE TABLE IF NOT EXISTS ceremony_state_commits${LOCAL} ${ON_CLUSTER}
(
    hour         DateTime('UTC'),
    version      UInt64,
    kind         Enum8('base' = 1, 'patch' = 2),
    computed_at  DateTime64(3, 'UTC')
)
ENGINE = ${REPLICATED}MergeTree
ORDER BY (hour, version);

-- cluster only: one shard holds the (small) commit log, so a pass's rows land together.
CREATE TABLE IF NOT EXISTS ceremony_state_commits ${ON_CLUSTER} AS ceremony_state_commits_local
ENGINE = Distributed(${CLUSTER_NAME}, currentDatabase(), ceremony_state_commits_local, 0);

-- When a ceremony's first event was received: every event of the ceremony was received at or after
-- it, so a ceremony regrouped with new events reads only events received since (the received_at
-- index skips the rest) instead of every event of its hours.
ALTER TABLE ceremony_states${LOCAL} ${ON_CLUSTER}
    ADD COLUMN IF NOT EXISTS first_received_at DateTime64(3, 'UTC') DEFAULT toDateTime64(0, 3, 'UTC') CODEC(Delta(8), ZSTD(1));

-- cluster only: the Distributed table in front of it.
ALTER TABLE ceremony_states ${ON_CLUSTER}
    ADD COLUMN IF NOT EXISTS first_received_at DateTime64(3, 'UTC') DEFAULT toDateTime64(0, 3, 'UTC');

-- The old version log goes: without a commit, the old rows are invisible to readers, so the first
-- pass after the upgrade rebuilds every hour from the stored events (readers regroup from raw until
-- it is done: slower, same answer) and deletes them.
DROP TABLE IF EXISTS ceremony_state_versions ${ON_CLUSTER};

-- cluster only: the local table behind it.
DROP TABLE IF EXISTS ceremony_state_versions_local ${ON_CLUSTER};
