-- Whether a pull request's diff changes only whitespace
-- (contrib.PullRequest.Whitespace; docs/scoring.md): 1 yes, 0 no, -1 not
-- read. Only the API's small pull requests' diffs are read; GH Archive
-- carries no diff. Rows stored before this migration are -1.
ALTER TABLE {{table "pull_requests"}} {{onCluster}} ADD COLUMN whitespace Int8 DEFAULT -1;
