-- Who an identity is (people.sql and rollup_people.sql, after joining
-- person_by_id.sql and person_by_login.sql): the roster member with its
-- GitHub id, else the member with its login, else the identity itself.
-- A login names a member only for contributions without a GitHub id (GH
-- Archive's 2011-2014 logins, whose actor_id is derived: top bit set) or
-- for members whose ids the roster does not know: a login can have
-- belonged to someone else before.
           if(by_id != 0, by_id,
              if(by_login != 0 AND (strict = 0 OR bitShiftRight(actor_id, 63) = 1), by_login, actor_id)) AS person
