-- The rollup build tables of the current database older than @age
-- seconds: left behind by refreshes that did not finish.
SELECT name FROM system.tables
WHERE database = currentDatabase() AND match(name, '^rollup_(days|months|years|people|people_days)_build_[0-9a-f]+$')
  AND metadata_modification_time < now() - @age
