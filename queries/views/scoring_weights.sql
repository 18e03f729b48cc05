-- scoring_weights: the weight of one contribution of each kind, as the
-- API scores it: the weight the last contribtrack command that wrote to
-- the database published from its configuration (scoring_rules
-- weight.<kind>), else the kind table's default. counted is 1 for the kinds a leaderboard counts when no kind
-- is chosen (stars and forks are stored but not counted); position is the
-- kind's place in the kind table, from 1.
CREATE OR REPLACE VIEW scoring_weights AS
SELECT kind, if(stored.name != '', toFloat64OrZero(stored.value), defaults.weight) AS weight, counted, position
FROM
(
    SELECT tupleElement(k, 1) AS kind, tupleElement(k, 2) AS weight, tupleElement(k, 3) AS counted, tupleElement(k, 4) AS position
    FROM system.one
    ARRAY JOIN [{{kinds "('{kind}', toFloat64({weight}), toUInt8({counted}), toUInt8({i}))" ", "}}] AS k
) AS defaults
ANY LEFT JOIN
(
    SELECT substring(name, 8) AS kind, name, argMax(value, version) AS value
    FROM scoring_rules
    WHERE startsWith(name, 'weight.')
    GROUP BY name
) AS stored USING kind
