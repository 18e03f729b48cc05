-- The number of the issue or pull request a contribution belongs to (its
-- own for pr_* and issue_* kinds, its parent's for reviews and comments),
-- so that responses can be matched to what they answer. 0 where unknown or
-- not applicable; rows stored before this migration keep 0. (A re-run after
-- a failure finds the column there: the store skips that "already exists"
-- error for ADD COLUMN.)
ALTER TABLE {{table "contributions"}} {{onCluster}} ADD COLUMN number UInt64 DEFAULT 0;
{{redistributed "contributions"}};
