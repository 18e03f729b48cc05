-- Stores a batch of contributions (store.Insert), column by column in this
-- order; ingested_at is left to the server's DEFAULT now(), and version to
-- its DEFAULT (the source's rank, then ingested_at).
INSERT INTO contributions
(kind, key, key_hash, created_at, actor_id, actor_login, repo_id, repo_name, org, source, email_domain, number, review_state)
