-- The logins of the people rollup that the bot rules leave out
-- (store.peopleBots): its snapshot of Monday @end names every login it
-- counts.
SELECT DISTINCT login
FROM rollup_people
WHERE period = toDate(toDateTime(@end, 'UTC'))
  AND match(login, @bot_regex) AND NOT match(login, @human_regex)
