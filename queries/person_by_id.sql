-- The roster members by GitHub id (import @roster), for person_of.sql.
            SELECT actor_id, any(member_id) AS by_id
            FROM roster_identities
            WHERE import_id = @roster AND actor_id != 0
            GROUP BY actor_id
