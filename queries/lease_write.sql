-- Writes a lease row (store.writeLease): the resource @r is @h's until
-- @ttl seconds from now (a claim or renewal; a negative @ttl releases it).
-- The row's version is from the server's clock (seconds), and above every
-- row of the resource, plus a random @nonce: claims at once are ordered by
-- chance, and every reader agrees on the order; a renewal or release
-- always overtakes its holder's claim.
INSERT INTO work_leases (resource, holder, until, version)
SELECT @r, @h, now() + @ttl, greatest(toUInt64(toUInt32(now())) * 4294967296,
    (SELECT max(version) FROM work_leases WHERE resource = @r) + 1) + @nonce
