-- The rows of contributor_days (views/people_rows.sql): the identity
-- rollup's days, every kind at n contributions earning n weights.
                    SELECT period AS day, toDateTime(period, 'UTC') AS at, org, repo_name, actor_id,
                           actor_login AS credited_login, lower(actor_login) AS login_lc, email_domain AS domain,
                           arrayFilter(x -> tupleElement(x, 2) > 0, [{{kinds "('{kind}', c_{kind}, toFloat64(c_{kind}))" ", "}}]) AS counts
                    FROM rollup_days
