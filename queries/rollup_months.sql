-- The month rows of the years @years (YYYY), from their day rows, into the
-- build table rollup_months_build (renamed by the caller).
INSERT INTO rollup_months_build
(period, actor_id, actor_login, email_domain, last_day, {{kinds "c_{kind}" ", "}})
SELECT toStartOfMonth(period) AS month, actor_id, actor_login, email_domain, max(period),
       {{kinds "toUInt32(sum(c_{kind})) AS c_{kind}" ",\n       "}}
FROM rollup_days
WHERE toYear(period) IN @years
GROUP BY month, actor_id, actor_login, email_domain
