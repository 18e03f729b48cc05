-- Facts about the database that every process writing to it must agree
-- on, such as the fingerprint of the key email identities are derived with
-- (never the key). The latest row per name wins.
CREATE TABLE IF NOT EXISTS {{table "settings"}} {{onCluster}}
(
    name       String,
    value      String,
    updated_at DateTime('UTC') DEFAULT now()
)
ENGINE = {{engine "ReplacingMergeTree" "updated_at"}}
ORDER BY name
