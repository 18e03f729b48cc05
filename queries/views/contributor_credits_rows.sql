-- The rows of contributor_credits (views/people_rows.sql): each
-- contribution of the period as the accepted profile judges it
-- (credits.sql), counted (n = 1) when it earns anything and earning its
-- factor in units of its kind's weight.
                    SELECT toDate(won) AS day, toDateTime(toDate(won), 'UTC') AS at, org, repo_name, actor_id,
                           credited_login, lower(credited_login) AS login_lc, domain,
                           [(kind, toUInt64(factor > 0), factor)] AS counts
                    FROM
                    (
                        SELECT at AS won, org, repo_name, actor_id, actor_login AS credited_login, email_domain AS domain, kind, factor
                        FROM
                        (
-- @include credits.sql
                        )
                    )
