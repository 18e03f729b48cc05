-- bot_rules: who counts as a bot, in one row, as the API decides it: the
-- configured rules as RE2 expressions (scoring_rules bot_regex and
-- human_regex, which `serve` or `migrate` last published; '' when none) and the active roster's bots and humans (lower-cased logins). A
-- login is a bot when it matches bot_regex or is in bots, and neither
-- matches human_regex nor is in humans.
CREATE OR REPLACE VIEW {{table "bot_rules"}} {{onCluster}} AS
SELECT
    (SELECT argMax(value, version) FROM scoring_rules WHERE name = 'bot_regex') AS bot_regex,
    (SELECT argMax(value, version) FROM scoring_rules WHERE name = 'human_regex') AS human_regex,
    (SELECT groupArray(value) FROM roster_flags WHERE import_id = @roster AND flag = 'bot') AS bots,
    (SELECT groupArray(value) FROM roster_flags WHERE import_id = @roster AND flag = 'human') AS humans
