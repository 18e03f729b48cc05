-- The months in which the keys with a sighting in @months (YYYYMM, all
-- within [@lo, @hi)) were also seen: a new winning sighting moves a key out
-- of the month of the old winner, whose rows must then be rebuilt too.
SELECT DISTINCT toYYYYMM(created_at) AS month
FROM contributions
WHERE key_hash IN (SELECT key_hash FROM contributions
                   WHERE created_at >= toDateTime(@lo, 'UTC') AND created_at < toDateTime(@hi, 'UTC')
                     AND toYYYYMM(created_at) IN @months)
  AND toYYYYMM(created_at) NOT IN @months
