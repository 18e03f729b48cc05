-- Each member's affiliations in the roster import @roster, as arrays
-- (affiliations.sql and the view contributor_days).
    SELECT member_id AS person, groupArray(starts) AS astarts, groupArray(ends) AS aends, groupArray(vendor) AS avendors
    FROM roster_affiliations
    WHERE import_id = @roster
    GROUP BY member_id
