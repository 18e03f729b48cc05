-- The memberships stage (see store.statement), around the people stage
-- (in place of the input marker below): each person's memberships that
-- match the roster filters, as arrays, and (when @filtered = 1) only the
-- contributions made while the person held one of them.
SELECT actor_id, credited_login, at, domain, repo_key, person, score, n, cs,
       starts, ends, mprograms, mcategories, mgroups, mregion, mcountry
FROM
(
-- @input
) AS contributed
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
) AS held USING person
WHERE @filtered = 0 OR arrayExists((s, e) -> at >= s AND at < e, starts, ends)
