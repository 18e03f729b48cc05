-- The affiliations stage (see store.statement), around the memberships
-- stage (in place of the input marker below): each contribution classed as
-- vendor staff, community or other by the affiliation its person held at
-- the time (else by the commit email's domain), kept when it is of class
-- @affiliation ('' keeps all).
SELECT actor_id, credited_login, at, domain, repo_key, person, score, n, cs,
       starts, ends, mprograms, mcategories, mgroups, mregion, mcountry,
       if(arrayExists((s, e) -> at >= s AND at < e, astarts, aends),
          if(arrayExists((s, e, v) -> v = 1 AND at >= s AND at < e, astarts, aends, avendors), 'vendor',
             if(bitShiftRight(person, 61) = 1, 'community', 'other')),
          if(domain IN (SELECT domain FROM roster_domains WHERE import_id = @roster AND vendor = 1), 'vendor',
             if(bitShiftRight(person, 61) = 1, 'community', 'other'))) AS class
FROM
(
-- @input
) AS contributed
ANY LEFT JOIN
(
    SELECT member_id AS person, groupArray(starts) AS astarts, groupArray(ends) AS aends, groupArray(vendor) AS avendors
    FROM roster_affiliations
    WHERE import_id = @roster
    GROUP BY member_id
) AS affiliated USING person
WHERE @affiliation = '' OR class = @affiliation
