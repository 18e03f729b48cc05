package collector

import "github.com/shurcooL/githubv4"

// The queries of member-wide collection: a person's contributions across
// all of GitHub, from their contributionsCollection (windows of at most a
// year), and the commits behind its per-day commit counts.

type repoRef struct {
	DatabaseID    int64 `graphql:"databaseId"`
	NameWithOwner string
	IsPrivate     bool
}

type memberUser struct {
	ID         githubv4.ID
	DatabaseID int64 `graphql:"databaseId"`
	Login      string
}

// memberPullsQuery pages through the pull requests a user opened in a
// window.
type memberPullsQuery struct {
	User *struct {
		memberUser
		ContributionsCollection struct {
			PullRequestContributions struct {
				TotalCount int
				PageInfo   pageInfo
				Nodes      []struct {
					OccurredAt  githubv4.DateTime
					PullRequest struct {
						DatabaseID int64 `graphql:"databaseId"`
						Number     int
						MergedAt   *githubv4.DateTime
						Repository repoRef
						pullFactFields
					}
				}
			} `graphql:"pullRequestContributions(first: 100, after: $after, orderBy: {direction: ASC})"`
		} `graphql:"contributionsCollection(from: $from, to: $to)"`
	} `graphql:"user(login: $login)"`
	RateLimit rateLimit
}

// memberIssuesQuery pages through the issues a user opened in a window.
type memberIssuesQuery struct {
	User *struct {
		memberUser
		ContributionsCollection struct {
			IssueContributions struct {
				TotalCount int
				PageInfo   pageInfo
				Nodes      []struct {
					OccurredAt githubv4.DateTime
					Issue      struct {
						DatabaseID int64 `graphql:"databaseId"`
						Number     int
						CreatedAt  githubv4.DateTime
						Repository repoRef
					}
				}
			} `graphql:"issueContributions(first: 100, after: $after, orderBy: {direction: ASC})"`
		} `graphql:"contributionsCollection(from: $from, to: $to)"`
	} `graphql:"user(login: $login)"`
	RateLimit rateLimit
}

// memberReviewsQuery pages through the reviews a user submitted in a
// window.
type memberReviewsQuery struct {
	User *struct {
		memberUser
		ContributionsCollection struct {
			PullRequestReviewContributions struct {
				TotalCount int
				PageInfo   pageInfo
				Nodes      []struct {
					OccurredAt        githubv4.DateTime
					PullRequestReview struct {
						DatabaseID  int64 `graphql:"databaseId"`
						SubmittedAt *githubv4.DateTime
						State       string
					}
					PullRequest struct {
						Number int
					}
					Repository repoRef
				}
			} `graphql:"pullRequestReviewContributions(first: 100, after: $after, orderBy: {direction: ASC})"`
		} `graphql:"contributionsCollection(from: $from, to: $to)"`
	} `graphql:"user(login: $login)"`
	RateLimit rateLimit
}

// memberCommitReposQuery lists the repositories a user committed to in a
// window (GitHub gives per-day counts there, not the commits).
type memberCommitReposQuery struct {
	User *struct {
		memberUser
		ContributionsCollection struct {
			CommitContributionsByRepository []struct {
				Repository repoRef
			} `graphql:"commitContributionsByRepository(maxRepositories: 100)"`
		} `graphql:"contributionsCollection(from: $from, to: $to)"`
	} `graphql:"user(login: $login)"`
	RateLimit rateLimit
}

// memberCommitsQuery pages through a user's commits on a repository's
// default branch in a window.
type memberCommitsQuery struct {
	Repository *struct {
		DefaultBranchRef *struct {
			Target struct {
				Commit struct {
					History struct {
						TotalCount int
						PageInfo   pageInfo
						Nodes      []commitNode
					} `graphql:"history(first: 100, after: $after, author: {id: $author}, since: $since, until: $until)"`
				} `graphql:"... on Commit"`
			}
		}
	} `graphql:"repository(owner: $owner, name: $name)"`
	RateLimit rateLimit
}

// memberPullReviewsQuery pages through one user's reviews of one pull
// request: the contributions collection lists only the latest review of
// each pull request a user reviewed.
type memberPullReviewsQuery struct {
	Repository *struct {
		PullRequest *struct {
			Reviews reviewConn `graphql:"reviews(first: 100, after: $after, author: $login)"`
		} `graphql:"pullRequest(number: $number)"`
	} `graphql:"repository(owner: $owner, name: $name)"`
	RateLimit rateLimit
}
