-- contributor_period(from = <Unix s>, to = <Unix s>): contributor_days'
-- rows of the days of [from, to), called as contributor_credits is, so
-- that a dashboard reads the one the published profile names (the
-- leaderboard dashboard's variable leaderboard_view) with one statement.
CREATE OR REPLACE VIEW contributor_period AS
SELECT * FROM contributor_days
WHERE day >= toDate(toDateTime({from:UInt32}, 'UTC')) AND day < toDate(toDateTime({to:UInt32}, 'UTC'))
