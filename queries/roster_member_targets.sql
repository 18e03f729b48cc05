-- The members of the roster import @imp that the member-wide collector
-- follows, by key: their logins, GitHub ids and the start of their
-- earliest program membership (the join's default when none). ClickHouse
-- 18.16 joins one table per SELECT: nested.
SELECT member_id, member_key, logins, ids, since
FROM
(
    SELECT member_id, member_key, logins, ids
    FROM (SELECT member_id, member_key FROM roster_members WHERE import_id = @imp) AS members
    ANY LEFT JOIN
    (
        SELECT member_id,
               groupArrayIf(value, kind = 'login') AS logins,
               groupArrayIf(actor_id, kind = 'id') AS ids
        FROM roster_identities WHERE import_id = @imp GROUP BY member_id
    ) AS identities USING member_id
) AS identified
ANY LEFT JOIN
(
    SELECT member_id, min(starts) AS since FROM roster_memberships
    WHERE import_id = @imp AND program != '' GROUP BY member_id
) AS memberships USING member_id
ORDER BY member_key
