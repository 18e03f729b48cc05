-- The people rollup's rows that a leaderboard of [@from, @to) reads
-- (leaderboard_people.sql), each with the sign it is counted with: the
-- snapshot of Monday @pb added and that of Monday @pa taken away, the
-- days of [@ea_from, @ea_to) counted with sign @ea_sign (taken away when
-- @pa is before the period's start, added when after), and the days of
-- [@pb, @to) added. at is the latest day of the row's login in it. The
-- bots line leaves out the logins of store.peopleBotLogins, when there
-- are any (leaderboard_people_bots.sql).
SELECT person, login, last_day AS at, if(period = toDate(toDateTime(@pb, 'UTC')), 1, -1) AS sign, counts
FROM rollup_people
WHERE period IN (toDate(toDateTime(@pa, 'UTC')), toDate(toDateTime(@pb, 'UTC')))
-- @bots
UNION ALL
SELECT person, login, period AS at, if(period < toDate(toDateTime(@ea_to, 'UTC')), @ea_sign, 1) AS sign, counts
FROM rollup_people_days
WHERE period >= toDate(toDateTime(@ea_from, 'UTC')) AND period < toDate(toDateTime(@to, 'UTC'))
  -- the two ends' days, as one range of the key and a filter
  AND (period < toDate(toDateTime(@ea_to, 'UTC')) OR period >= toDate(toDateTime(@pb, 'UTC')))
-- @bots
