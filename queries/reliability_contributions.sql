-- Every stored natural key with the sighting that wins it (the highest
-- version, then the latest created_at, as every query reduces them): the
-- reliability suite (internal/reliability, scripts/reliability.sh)
-- compares two databases, or a database and a ground truth, with it.
-- Nothing is bound.
SELECT toString(kind) AS k, key,
       argMax(actor_id, (version, created_at)) AS won_actor_id,
       argMax(actor_login, (version, created_at)) AS won_actor_login,
       argMax(repo_name, (version, created_at)) AS won_repo_name,
       argMax(created_at, (version, created_at)) AS won_at
FROM contributions
GROUP BY kind, key
ORDER BY k, key
