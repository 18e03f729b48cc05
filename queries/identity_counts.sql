-- Included by people.sql when the counts per kind are
-- wanted (in the order of contrib.Kinds); identity_no_counts.sql otherwise.
sumForEach([c_commit, c_pr_opened, c_pr_merged, c_pr_closed, c_pr_review, c_pr_review_comment, c_issue_opened, c_issue_closed, c_issue_comment, c_commit_comment, c_release, c_star, c_fork]) AS cs
