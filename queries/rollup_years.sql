-- The year rows of the years @years (YYYY), from the month rows just built
-- in rollup_months_build, into rollup_years_build (both renamed by the
-- caller).
INSERT INTO rollup_years_build
(period, actor_id, actor_login, email_domain, last_day, {{kinds "c_{kind}" ", "}})
SELECT toStartOfYear(period) AS year, actor_id, actor_login, email_domain, max(last_day),
       {{kinds "toUInt32(sum(c_{kind})) AS c_{kind}" ",\n       "}}
FROM rollup_months_build
WHERE toYear(period) IN @years
GROUP BY year, actor_id, actor_login, email_domain
