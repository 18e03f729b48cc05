-- bot_rules: who counts as a bot, in one row, as the API decides it
-- (leaderboard.LoadSettings): bot_regex matches the configured bots
-- (scoring_rules bot_regex, which the last command that wrote published),
-- the active roster's bots and the bots found by behaviour
-- (detected_bots, docs/bots.md); human_regex the configured humans and the
-- roster's humans. Each is one case-insensitive RE2 expression, '' when it
-- has nothing to match. A login is a bot when it matches bot_regex and not
-- human_regex (is_bot.sql).
CREATE OR REPLACE VIEW bot_rules AS
SELECT
    arrayStringConcat(arrayMap(r -> concat('(?:', r, ')'), arrayFilter(r -> r != '', [configured_bots, roster_bots, detected])), '|') AS bot_regex,
    arrayStringConcat(arrayMap(r -> concat('(?:', r, ')'), arrayFilter(r -> r != '', [configured_humans, roster_humans])), '|') AS human_regex
FROM
(
    SELECT
        (SELECT argMax(value, version) FROM scoring_rules WHERE name = 'bot_regex') AS configured_bots,
        (SELECT argMax(value, version) FROM scoring_rules WHERE name = 'human_regex') AS configured_humans,
        (SELECT if(count() = 0, '', concat('(?i)^(?:', arrayStringConcat(arrayMap(v -> regexpQuoteMeta(v), groupArray(value)), '|'), ')$'))
         FROM roster_flags WHERE import_id = @roster AND flag = 'bot') AS roster_bots,
        (SELECT if(count() = 0, '', concat('(?i)^(?:', arrayStringConcat(arrayMap(v -> regexpQuoteMeta(v), groupArray(value)), '|'), ')$'))
         FROM roster_flags WHERE import_id = @roster AND flag = 'human') AS roster_humans,
        (SELECT if(count() = 0, '', concat('(?i)^(?:', arrayStringConcat(arrayMap(v -> regexpQuoteMeta(v), groupArray(login)), '|'), ')$'))
         FROM (SELECT argMax(login, version) AS login FROM detected_bots GROUP BY login_lc HAVING argMax(bot, version) = 1)) AS detected
)
