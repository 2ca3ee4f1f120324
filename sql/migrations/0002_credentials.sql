-- Each credential's state, kept by a materialized view over ceremony_events: when it was first
-- registered successfully, when it was first deleted, and what it is (device class, kind,
-- provider) as seen at registration. Aggregates are min/max/any, so a duplicated block can never
-- change a credential's state. Read with GROUP BY credential_id (rows merge in the background).
CREATE TABLE IF NOT EXISTS credentials${LOCAL} ${ON_CLUSTER}
(
    credential_id            String,
    user_id                  SimpleAggregateFunction(any, String),
    registered_at            SimpleAggregateFunction(min, Nullable(DateTime64(3, 'UTC'))),
    deleted_at               SimpleAggregateFunction(min, Nullable(DateTime64(3, 'UTC'))),
    last_used_at             SimpleAggregateFunction(max, Nullable(DateTime64(3, 'UTC'))),
    device_class             SimpleAggregateFunction(any, Nullable(String)),
    os_name                  SimpleAggregateFunction(any, Nullable(String)),
    browser_name             SimpleAggregateFunction(any, Nullable(String)),
    credential_kind          SimpleAggregateFunction(any, Nullable(String)),
    backed_up                SimpleAggregateFunction(any, Nullable(Bool)),
    provider_name            SimpleAggregateFunction(any, Nullable(String)),
    provider_kind            SimpleAggregateFunction(any, Nullable(String)),
    aaguid                   SimpleAggregateFunction(any, Nullable(String)),
    attestation_format       SimpleAggregateFunction(any, Nullable(String)),
    authenticator_attachment SimpleAggregateFunction(any, Nullable(String)),
    risk_tier                SimpleAggregateFunction(any, Nullable(String))
)
ENGINE = ${REPLICATED}AggregatingMergeTree
ORDER BY credential_id;

CREATE MATERIALIZED VIEW IF NOT EXISTS credentials_mv${LOCAL} ${ON_CLUSTER} TO credentials${LOCAL}
AS SELECT
    credential_id,
    user_id,
    if(is_registration, timestamp, NULL)                                   AS registered_at,
    if(event_name = 'passkey.credential.lifecycle' AND startsWith(credential_action, 'deleted_'), timestamp, NULL) AS deleted_at,
    if(event_name = 'passkey.authentication' AND result = 'success', timestamp, NULL) AS last_used_at,
    if(is_registration, toNullable(device_class), NULL)                    AS device_class,
    if(is_registration, toNullable(os_name), NULL)                         AS os_name,
    if(is_registration, toNullable(browser_name), NULL)                    AS browser_name,
    if(is_registration, toNullable(credential_kind), NULL)                 AS credential_kind,
    if(is_registration, backed_up, NULL)                                   AS backed_up,
    if(is_registration, toNullable(provider_name), NULL)                   AS provider_name,
    if(is_registration, toNullable(provider_kind), NULL)                   AS provider_kind,
    if(is_registration, toNullable(aaguid), NULL)                          AS aaguid,
    if(is_registration, toNullable(attestation_format), NULL)              AS attestation_format,
    if(is_registration, toNullable(authenticator_attachment), NULL)        AS authenticator_attachment,
    if(is_registration, toNullable(risk_tier), NULL)                       AS risk_tier
FROM
(
    SELECT *, (event_name = 'passkey.registration' AND result = 'success') AS is_registration
    FROM ceremony_events${LOCAL}
    WHERE credential_id != ''
      AND event_name IN ('passkey.registration', 'passkey.authentication', 'passkey.credential.lifecycle')
);

-- cluster only: the table the queries name.
CREATE TABLE IF NOT EXISTS credentials ${ON_CLUSTER} AS credentials_local
ENGINE = Distributed(${CLUSTER_NAME}, currentDatabase(), credentials_local, cityHash64(credential_id));
