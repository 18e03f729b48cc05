-- How many of each kind are stored per tracked repository (each natural
-- key once, bots included: GitHub's totals include them), for comparing
-- with the totals GitHub reported at the last sync.
SELECT repo_id, toString(kind) AS kind_name, uniqExact(key_hash) AS stored
FROM contributions
WHERE repo_id IN (SELECT repo_id FROM sync_checkpoints WHERE resource != 'member')
  AND kind IN ('pr_opened', 'issue_opened', 'commit', 'commit_comment', 'release', 'star', 'fork')
GROUP BY repo_id, kind
