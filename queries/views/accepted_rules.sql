-- accepted_rules: the scoring profile and the accepted profile's settings,
-- in one row, as the last contribtrack command that wrote to the database
-- published them from its configuration (scoring_rules profile and
-- accepted.<setting>; docs/scoring.md). contributor_credits judges by
-- them. Before any publication the profile is activity and every setting
-- 0 (mass_repos 1).
--
--   profile              activity or accepted
--   hold_until           accepted pull requests after this moment are held
--                        (Unix seconds, from now() and hold_days; 0: no hold)
--   opted_in, opted_repos  1 when only the repositories and orgs in
--                        opted_repos (lower-cased) count
--   f_<rule>             what a contribution the rule discounts still earns
--   typo_lines, mass_repos, mass_seconds, spam_close_seconds
--                        the trivial-change and spam thresholds
CREATE OR REPLACE VIEW accepted_rules AS
SELECT
    if(published['profile'] = '', 'activity', published['profile']) AS profile,
    toUInt32(if(toUInt32OrZero(published['accepted.hold_days']) = 0, 0,
                toUInt32(now()) - toUInt32OrZero(published['accepted.hold_days']) * 86400)) AS hold_until,
    toUInt8(published['accepted.opted_in'] != '') AS opted_in,
    splitByChar(',', published['accepted.opted_in']) AS opted_repos,
    toFloat64OrZero(published['accepted.f_self_merge']) AS f_self_merge,
    toFloat64OrZero(published['accepted.f_self_review']) AS f_self_review,
    toFloat64OrZero(published['accepted.f_own_repository']) AS f_own_repository,
    toFloat64OrZero(published['accepted.f_own_issue']) AS f_own_issue,
    toFloat64OrZero(published['accepted.f_whitespace']) AS f_whitespace,
    toFloat64OrZero(published['accepted.f_typo']) AS f_typo,
    toFloat64OrZero(published['accepted.f_mass']) AS f_mass,
    toUInt32OrZero(published['accepted.typo_lines']) AS typo_lines,
    greatest(toUInt32OrZero(published['accepted.mass_repos']), 1) AS mass_repos,
    toInt64OrZero(published['accepted.mass_seconds']) AS mass_seconds,
    toUInt32OrZero(published['accepted.spam_close_seconds']) AS spam_close_seconds
FROM
(
    SELECT CAST((groupArray(name), groupArray(value)), 'Map(String, String)') AS published
    FROM (SELECT name, argMax(value, version) AS value FROM scoring_rules GROUP BY name)
)
