-- Whether credited_login is a bot by bot_rules (the views
-- contributor_days and sightings): it matches bot_regex and not
-- human_regex, as the API's people.sql leaves bots out. (A scalar
-- subquery is Nullable: the column is not.)
       toUInt8(ifNull((SELECT bot_regex FROM bot_rules) != '' AND match(credited_login, (SELECT bot_regex FROM bot_rules))
                      AND NOT ((SELECT human_regex FROM bot_rules) != '' AND match(credited_login, (SELECT human_regex FROM bot_rules))), 0)) AS bot
