-- Stores what sources saw of pull requests (store.Insert, from the
-- contributions that carry it), column by column in this order.
INSERT INTO pull_requests
(repo_id, number, version, observed_at, opened_at, author_id, author_type, title, draft, labels, merged_by, additions, deletions, changed_files, whitespace)
