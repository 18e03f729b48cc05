-- The latest checkpoint of every repository and resource.
SELECT
    repo_id,
    resource,
    argMax(repo_name, version) AS name,
    argMax(signature, version) AS sig,
    argMax(cursor, version)    AS pos,
    argMax(total, version)     AS tot,
    max(synced_at)             AS synced
FROM sync_checkpoints
GROUP BY repo_id, resource
ORDER BY repo_id, resource
