-- The scoring rules the API answers by, as `serve` and `migrate` last
-- published them from the configuration, so that the views
-- (queries/views/) score and find bots as the API does: one row per rule
-- (weight.<kind>, bot_regex, human_regex), the latest version (a
-- publication's time in nanoseconds) winning. The views fall back to the
-- kind table's weights, and to the roster's bots alone, before any
-- publication.
CREATE TABLE IF NOT EXISTS {{table "scoring_rules"}} {{onCluster}}
(
    name    String,
    value   String,
    version UInt64
)
ENGINE = {{engine "ReplacingMergeTree" "version"}}
ORDER BY name
