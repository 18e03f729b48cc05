-- The body of the views contributor_days and contributor_credits (see
-- their files for the columns): rows of contributions per identity, put in
-- place of the rows marker below by store.viewText, resolved to people
-- with the API's own statements. The rows carry day (Date), at (the day's
-- start), org, repo_name, actor_id, credited_login, login_lc, domain and
-- counts: an array of (kind, n, credit), credit being what the n
-- contributions earn in units of the kind's weight (n under the activity
-- profile, the sum of the factors under the accepted one).
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
       kind, n, credit * weight AS points
FROM
(
    SELECT day, at, org, repo_name, person, actor_id, credited_login, login_lc, name, member, opted_out, memberships, class,
           tupleElement(kc, 1) AS kind, toUInt64(tupleElement(kc, 2)) AS n, toFloat64(tupleElement(kc, 3)) AS credit
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
-- @rows
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
