-- service.version as a column of ceremony_events: releases are a filter and a group-by of every
-- metric (DESIGN.md section 11), read from raw events and from ceremony_states (whose column of the
-- same name the state pass fills), so both carry it under one name. Ingest writes it (ingest/
-- columns.ts); for rows stored before, the DEFAULT computes it from the resource attribute on read,
-- the value ingest would have written. Adding a column rewrites no data.
ALTER TABLE ceremony_events${LOCAL} ${ON_CLUSTER}
    ADD COLUMN IF NOT EXISTS service_version LowCardinality(String) DEFAULT resource_attributes['service.version'] AFTER environment;

-- cluster only: the Distributed table the queries name keeps the columns of the local tables.
ALTER TABLE ceremony_events ${ON_CLUSTER}
    ADD COLUMN IF NOT EXISTS service_version LowCardinality(String) DEFAULT resource_attributes['service.version'] AFTER environment;
