-- How many values of each event were replaced because they held an e-mail address or a phone
-- number (DESIGN.md section 10, Privacy): any string attribute other than user.id, the body, or a
-- resource attribute (ingest/derive/contact-details.ts). The record is kept; the count lets an
-- operator find the senders that leak contact details:
--   SELECT ingest_token, service_name, sum(contact_details_dropped) FROM ceremony_events GROUP BY ALL
-- 255 means 255 or more. Rows stored before have 0. Adding a column rewrites no data.
ALTER TABLE ceremony_events${LOCAL} ${ON_CLUSTER}
    ADD COLUMN IF NOT EXISTS contact_details_dropped UInt8 DEFAULT 0;

-- cluster only: the Distributed table the queries name keeps the columns of the local tables.
ALTER TABLE ceremony_events ${ON_CLUSTER}
    ADD COLUMN IF NOT EXISTS contact_details_dropped UInt8 DEFAULT 0;
