-- contributor_days: every person's contributions per day, repository and
-- kind, as the API's leaderboards count and score them, for dashboards and
-- anyone's own SQL. It reads the identity rollup (rollup_days: every
-- natural key once, at its highest version) and resolves identities to
-- people with the API's own statements (person_of.sql and the two it
-- joins), so a person is the same here as in the API and the reports.
-- @roster stands for the active roster (the latest import) in every view.
--
--   day, org, repo_name    the day (UTC) and the repository
--   person                 the roster member, else the identity (actor_id)
--   actor_id, credited_login  the identity credited
--   name                   the login shown: the member's roster login,
--                          else the credited login, else email:<id>
--   member                 1 for a roster member
--   hidden                 1 when the person opted out: a member by any of
--                          their logins or ids, an identity by any login
--                          it was credited under, anyone by the name
--                          shown or the person's id
--   bot                    1 when bot_rules call the credited login a bot
--   held                   the memberships the person held that day,
--                          lower-cased (program, category, grp, region,
--                          country)
--   affiliation            vendor, community or other, as share classes
--                          it (affiliation_class.sql)
--   kind, n                a kind and how many of it (n > 0)
--   points                 n times the kind's weight (scoring_weights)
--
-- A leaderboard is then sum(points) per person, without bots, ordered by
-- score and name; a program filter keeps the rows whose held has a
-- matching membership.
CREATE OR REPLACE VIEW contributor_days AS
SELECT day, org, repo_name, person, actor_id, credited_login, name, member, class AS affiliation,
       -- as leaderboard.Settings.OptedOut hides: a member who opted out, an
       -- identity credited under an opted-out login, the name or id shown
       toUInt8(opted_out = 1
               OR person IN (
-- @include roster_opted_out_identities.sql
               )
               OR lower(name) IN (SELECT value FROM roster_flags WHERE import_id = @roster AND flag = 'opt_out')
               OR toString(person) IN (SELECT value FROM roster_flags WHERE import_id = @roster AND flag = 'opt_out')) AS hidden,
-- @include views/is_bot.sql
       ,
       CAST(arrayMap(m -> (m.1, m.2, m.3, m.4, m.5), arrayFilter(m -> at >= m.6 AND at < m.7, memberships))
            AS Array(Tuple(program String, category String, grp String, region String, country String))) AS held,
       kind, n, n * weight AS points
FROM
(
    SELECT day, at, org, repo_name, person, actor_id, credited_login, login_lc, name, member, opted_out, memberships, class,
           tupleElement(kc, 1) AS kind, toUInt64(tupleElement(kc, 2)) AS n
    FROM
    (
        SELECT day, at, org, repo_name, person, actor_id, credited_login, login_lc, counts,
-- @include affiliation_class.sql
               ,
               if(member_login != '', member_login,
                  if(credited_login != '', credited_login, concat('email:', lower(substring(hex(person), 5, 12))))) AS name,
               is_member AS member, opted_out, memberships
        FROM
        (
            SELECT day, at, org, repo_name, actor_id, credited_login, login_lc, domain, counts,
-- @include person_of.sql
            FROM
            (
                SELECT day, at, org, repo_name, actor_id, credited_login, login_lc, domain, counts, by_id
                FROM
                (
                    SELECT period AS day, toDateTime(period, 'UTC') AS at, org, repo_name, actor_id,
                           actor_login AS credited_login, lower(actor_login) AS login_lc, email_domain AS domain,
                           arrayFilter(x -> tupleElement(x, 2) > 0, [{{kinds "('{kind}', c_{kind})" ", "}}]) AS counts
                    FROM rollup_days
                ) AS identities
                ANY LEFT JOIN
                (
-- @include person_by_id.sql
                ) AS by_ids USING actor_id
            ) AS identified
            ANY LEFT JOIN
            (
-- @include person_by_login.sql
            ) AS by_logins USING login_lc
        ) AS people
        ANY LEFT JOIN
        (
            SELECT member_id AS person, any(login) AS member_login, toUInt8(1) AS is_member
            FROM
            (
-- @include roster_member_logins.sql
            )
            GROUP BY member_id
        ) AS members USING person
        ANY LEFT JOIN
        (
            SELECT member_id AS person, toUInt8(1) AS opted_out
            FROM
            (
-- @include roster_opted_out.sql
            )
        ) AS opt_outs USING person
        ANY LEFT JOIN
        (
            SELECT member_id AS person,
                   groupArray((lower(program), lower(category), lower(grp), lower(region), lower(country), starts, ends)) AS memberships
            FROM roster_memberships
            WHERE import_id = @roster
            GROUP BY member_id
        ) AS held_by USING person
        ANY LEFT JOIN
        (
-- @include affiliation_held.sql
        ) AS affiliated USING person
    )
    ARRAY JOIN counts AS kc
) AS counted
ANY LEFT JOIN scoring_weights USING kind
