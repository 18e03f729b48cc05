-- Bots found by behaviour (docs/bots.md). account_behaviour holds what
-- accounts did that says automation: per account, source unit (a GH
-- Archive hour) and signal (bots.Signal), how many of its actions carried
-- it. Importing a unit again replaces its rows (the latest version wins).
CREATE TABLE IF NOT EXISTS {{table "account_behaviour"}} {{onCluster}}
(
    login_lc String,
    login    String,
    unit     String,
    signal   String,
    n        UInt64,
    version  UInt64
)
ENGINE = {{engine "ReplacingMergeTree" "version"}}
ORDER BY (login_lc, unit, signal);

-- The verdict (bots.Judge) on each account with behaviour stored, the
-- latest winning: bot 1 with the signals that decided (because), else 0.
CREATE TABLE IF NOT EXISTS {{table "detected_bots"}} {{onCluster}}
(
    login_lc String,
    login    String,
    bot      UInt8,
    because  String,
    version  UInt64
)
ENGINE = {{engine "ReplacingMergeTree" "version"}}
ORDER BY login_lc
