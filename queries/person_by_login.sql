-- The roster members by lower-cased login (import @roster), and whether
-- the roster knows the member's GitHub ids (strict), for person_of.sql.
        SELECT value AS login_lc, any(member_id) AS by_login,
               any(member_id IN (SELECT member_id FROM roster_identities WHERE import_id = @roster AND kind = 'id')) AS strict
        FROM roster_identities
        WHERE import_id = @roster AND kind = 'login'
        GROUP BY value
