-- Included by leaderboard.sql and share.sql (not a statement of its own):
-- the contributions of [@from, @to), one row per natural key (credited to
-- the actor of its highest-version sighting), resolved to a person (a
-- roster member found by GitHub id, commit email or login, else the actor),
-- kept when the person held a matching membership at the time (roster
-- filters) and is not a bot, classed as vendor staff, community or other
-- by the affiliation that held at the time, and given the buckets @by
-- groups it into (the programs, categories or groups the person held at the
-- time, their region or country, or its class).
SELECT kind, credited_login, at, person,
       if(arrayExists((s, e) -> at >= s AND at < e, astarts, aends),
          if(arrayExists((s, e, v) -> v = 1 AND at >= s AND at < e, astarts, aends, avendors), 'vendor',
             if(bitShiftRight(person, 61) = 1, 'community', 'other')),
          if(domain IN (SELECT domain FROM roster_domains WHERE import_id = @roster AND vendor = 1), 'vendor',
             if(bitShiftRight(person, 61) = 1, 'community', 'other'))) AS class,
       multiIf(@by = 'program', arrayReduce('groupUniqArray', arrayFilter((p, s, e) -> p != '' AND at >= s AND at < e, mprograms, starts, ends)),
               @by = 'category', arrayReduce('groupUniqArray', arrayFilter((c, s, e) -> c != '' AND at >= s AND at < e, mcategories, starts, ends)),
               @by = 'group', arrayReduce('groupUniqArray', arrayFilter((g, s, e) -> g != '' AND at >= s AND at < e, mgroups, starts, ends)),
               @by = 'region', if(mregion = '', emptyArrayString(), [mregion]),
               @by = 'country', if(mcountry = '', emptyArrayString(), [mcountry]),
               [class]) AS buckets
FROM
(
    SELECT kind, credited_login, at, domain, person, starts, ends, mprograms, mcategories, mgroups, mregion, mcountry
    FROM
    (
        -- A login names a member only for contributions without a GitHub id
        -- (GH Archive's 2011-2014 logins) or for members whose ids the roster
        -- does not know: a login can have belonged to someone else before.
        SELECT kind, credited_login, at, domain,
               if(by_id != 0, by_id,
                  if(by_login != 0 AND (strict = 0 OR bitShiftRight(actor_id, 63) = 1), by_login, actor_id)) AS person
        FROM
        (
            SELECT kind, actor_id, credited_login, login_lc, at, domain, by_id
            FROM
            (
                SELECT
                    toString(kind) AS kind,
                    key_hash,
                    argMax(actor_id, version) AS actor_id,
                    argMax(actor_login, version) AS credited_login,
                    lower(credited_login) AS login_lc,
                    argMax(email_domain, version) AS domain,
                    max(created_at) AS at
                FROM contributions
                WHERE created_at >= toDateTime(@from, 'UTC')
                  AND created_at < toDateTime(@to, 'UTC')
                  AND kind IN @kind_set
                  AND (@org = '' OR lower(org) = lower(@org))
                  AND (@repo = '' OR lower(repo_name) = lower(@repo))
                GROUP BY kind, key_hash
            )
            ANY LEFT JOIN
            (
                SELECT actor_id, any(member_id) AS by_id
                FROM roster_identities
                WHERE import_id = @roster AND actor_id != 0
                GROUP BY actor_id
            ) USING actor_id
        )
        ANY LEFT JOIN
        (
            SELECT value AS login_lc, any(member_id) AS by_login,
                   any(member_id IN (SELECT member_id FROM roster_identities WHERE import_id = @roster AND kind = 'id')) AS strict
            FROM roster_identities
            WHERE import_id = @roster AND kind = 'login'
            GROUP BY value
        ) USING login_lc
    )
    ANY LEFT JOIN
    (
        SELECT member_id AS person, groupArray(starts) AS starts, groupArray(ends) AS ends,
               groupArray(program) AS mprograms, groupArray(category) AS mcategories, groupArray(grp) AS mgroups,
               any(region) AS mregion, any(country) AS mcountry
        FROM roster_memberships
        WHERE import_id = @roster
          AND (@program = '' OR lower(program) = lower(@program))
          AND (@category = '' OR lower(category) = lower(@category))
          AND (@grp = '' OR lower(grp) = lower(@grp))
          AND (@region = '' OR lower(region) = lower(@region))
          AND (@country = '' OR lower(country) = lower(@country))
        GROUP BY member_id
    ) USING person
    WHERE (@filtered = 0 OR arrayExists((s, e) -> at >= s AND at < e, starts, ends))
      AND (@bot_regex = '' OR NOT match(credited_login, @bot_regex) OR match(credited_login, @human_regex))
)
ANY LEFT JOIN
(
    SELECT member_id AS person, groupArray(starts) AS astarts, groupArray(ends) AS aends, groupArray(vendor) AS avendors
    FROM roster_affiliations
    WHERE import_id = @roster
    GROUP BY member_id
) USING person
