-- The affiliations stage (see store.statement), around the memberships
-- stage (in place of the input marker below): each contribution classed as
-- vendor staff, community or other by the affiliation its person held at
-- the time (else by the commit email's domain), kept when it is of class
-- @affiliation ('' keeps all).
SELECT actor_id, credited_login, at, domain, repo_key, person, score, n, cs,
       starts, ends, mprograms, mcategories, mgroups, mregion, mcountry,
-- @include affiliation_class.sql
FROM
(
-- @input
) AS contributed
ANY LEFT JOIN
(
-- @include affiliation_held.sql
) AS affiliated USING person
WHERE @affiliation = '' OR class = @affiliation
