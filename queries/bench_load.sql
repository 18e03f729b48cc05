-- The leaderboard benchmarks' synthetic history (internal/testing/benchload),
-- generated on the server: @rows sightings of @unique natural keys (the
-- first @unique once each, then repeated deliveries of the first keys),
-- spread over 2020-2024, 50,000 actors and 500 repositories in 20 orgs.
INSERT INTO contributions (kind, key, key_hash, created_at, actor_id, actor_login, repo_id, repo_name, org, source)
SELECT toUInt8(1 + k % 11) AS kind, toString(k) AS key, cityHash64(k) AS key_hash,
       toDateTime(1577836800 + intDiv(k * 157680000, @unique), 'UTC') AS created_at,
       1 + (cityHash64(k, 1) % 50000) AS actor_id, concat('user', toString(actor_id)) AS actor_login,
       1 + (k % 500) AS repo_id, concat('org', toString(repo_id % 20), '/repo', toString(repo_id)) AS repo_name,
       concat('org', toString(repo_id % 20)) AS org, toUInt8(2) AS source
FROM (SELECT if(number < @unique, number, number % @unique) AS k FROM numbers(@rows))
