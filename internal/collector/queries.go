package collector

import (
	"github.com/shurcooL/githubv4"
)

// The GraphQL queries the collector sends, as githubv4 structs. githubv4
// builds the query text from the struct tags; every query is validated
// against GitHub's schema in the tests (queries_test.go), and each one
// asks for rateLimit so that the cost of every call is measured.

// actor is an Actor (User, Bot, Organization, Mannequin ...) with its
// numeric id when it is a user or a bot.
type actor struct {
	Typename string `graphql:"__typename"`
	Login    string
	User     struct {
		DatabaseID int64 `graphql:"databaseId"`
	} `graphql:"... on User"`
	Bot struct {
		DatabaseID int64 `graphql:"databaseId"`
	} `graphql:"... on Bot"`
}

type pageInfo struct {
	HasNextPage bool
	EndCursor   githubv4.String
}

type rateLimit struct {
	Cost      int
	Remaining int
	ResetAt   githubv4.DateTime
}

// repoProbe is what the collector knows about a repository before it
// fetches anything: enough to tell which of its resources changed since the
// last sync, at one request per connection (priced at a hundredth of a
// point each when listed a hundred at a time).
type repoProbe struct {
	DatabaseID       int64 `graphql:"databaseId"`
	NameWithOwner    string
	IsArchived       bool
	IsFork           bool
	StargazerCount   int
	ForkCount        int
	DefaultBranchRef *struct {
		Name   string
		Target struct {
			Oid string
		}
	}
	PullRequests struct {
		TotalCount int
		Nodes      []struct {
			UpdatedAt githubv4.DateTime
		}
	} `graphql:"pullRequests(first: 1, orderBy: {field: UPDATED_AT, direction: DESC})"`
	Issues struct {
		TotalCount int
		Nodes      []struct {
			UpdatedAt githubv4.DateTime
		}
	} `graphql:"issues(first: 1, orderBy: {field: UPDATED_AT, direction: DESC})"`
	Releases struct {
		TotalCount int
		Nodes      []struct {
			DatabaseID int64 `graphql:"databaseId"`
			UpdatedAt  githubv4.DateTime
		}
	} `graphql:"releases(first: 5, orderBy: {field: CREATED_AT, direction: DESC})"`
	// CommitComments is the repository's count of commit comments and the
	// newest one (the connection is in ascending order by id).
	CommitComments struct {
		TotalCount int
		Nodes      []struct {
			DatabaseID int64 `graphql:"databaseId"`
		}
	} `graphql:"commitComments(last: 1)"`
}

// orgReposQuery lists the repositories an organisation (or a user) owns,
// with their probes, 30 at a time: 1 + 30 x 4 nested requests price at
// one point a page (GitHub rounds 121 / 100 to 1).
type orgReposQuery struct {
	RepositoryOwner *struct {
		Repositories struct {
			TotalCount int
			PageInfo   pageInfo
			Nodes      []repoProbe
		} `graphql:"repositories(first: 30, after: $after, ownerAffiliations: [OWNER], orderBy: {field: NAME, direction: ASC})"`
	} `graphql:"repositoryOwner(login: $login)"`
	RateLimit rateLimit
}

// repoQuery probes one configured repository.
type repoQuery struct {
	Repository *repoProbe `graphql:"repository(owner: $owner, name: $name)"`
	RateLimit  rateLimit
}

// closedEvents is the last ClosedEvent of an issue or pull request: who
// closed it.
type closedEvents struct {
	Nodes []struct {
		ClosedEvent struct {
			CreatedAt githubv4.DateTime
			Actor     *actor
		} `graphql:"... on ClosedEvent"`
	}
}

type reviewNode struct {
	DatabaseID  int64 `graphql:"databaseId"`
	State       string
	SubmittedAt *githubv4.DateTime
	Author      *actor
}

type reviewConn struct {
	TotalCount int
	PageInfo   pageInfo
	Nodes      []reviewNode
}

type pullNode struct {
	DatabaseID    int64 `graphql:"databaseId"`
	Number        int
	ClosedAt      *githubv4.DateTime
	MergedAt      *githubv4.DateTime
	Author        *actor
	TimelineItems closedEvents `graphql:"timelineItems(itemTypes: [CLOSED_EVENT], last: 1)"`
	Reviews       reviewConn   `graphql:"reviews(first: 20)"`
	pullFactFields
}

// pullFactFields are the fields of a pull request that acceptance-based
// scoring reads (contrib.PullRequest), as of its last update.
type pullFactFields struct {
	CreatedAt    githubv4.DateTime
	UpdatedAt    githubv4.DateTime
	Merged       bool
	Title        string
	IsDraft      bool
	Additions    int
	Deletions    int
	ChangedFiles int
	MergedBy     *actor
	Labels       struct {
		Nodes []struct {
			Name string
		}
	} `graphql:"labels(first: 20)"`
}

// pullsQuery pages through pull requests, most recently updated first,
// with their first reviews, who closed them and their labels: two points
// per 50 (1 + 50 x 3 nested requests price at 151 / 100, rounded up).
type pullsQuery struct {
	Repository *struct {
		PullRequests struct {
			TotalCount int
			PageInfo   pageInfo
			Nodes      []pullNode
		} `graphql:"pullRequests(first: 50, after: $after, orderBy: {field: UPDATED_AT, direction: DESC})"`
	} `graphql:"repository(owner: $owner, name: $name)"`
	RateLimit rateLimit
}

// reviewsQuery pages through the reviews of one pull request that has more
// than pullsQuery fetched.
type reviewsQuery struct {
	Repository *struct {
		PullRequest *struct {
			Reviews reviewConn `graphql:"reviews(first: 100, after: $after)"`
		} `graphql:"pullRequest(number: $number)"`
	} `graphql:"repository(owner: $owner, name: $name)"`
	RateLimit rateLimit
}

type issueNode struct {
	DatabaseID    int64 `graphql:"databaseId"`
	Number        int
	CreatedAt     githubv4.DateTime
	UpdatedAt     githubv4.DateTime
	ClosedAt      *githubv4.DateTime
	Author        *actor
	TimelineItems closedEvents `graphql:"timelineItems(itemTypes: [CLOSED_EVENT], last: 1)"`
}

// issuesQuery pages through issues updated since a time, in creation
// order (an issue updated meanwhile can only be seen twice, never skipped):
// one point per 100.
type issuesQuery struct {
	Repository *struct {
		Issues struct {
			TotalCount int
			PageInfo   pageInfo
			Nodes      []issueNode
		} `graphql:"issues(first: 100, after: $after, orderBy: {field: CREATED_AT, direction: ASC}, filterBy: {since: $since})"`
	} `graphql:"repository(owner: $owner, name: $name)"`
	RateLimit rateLimit
}

type commitNode struct {
	Oid           string
	CommittedDate githubv4.DateTime
	AuthoredDate  githubv4.DateTime
	Author        *struct {
		Email string
		User  *struct {
			DatabaseID int64 `graphql:"databaseId"`
			Login      string
		}
	}
}

// commitsQuery walks the default branch's history from its head: one
// point per 100 commits.
type commitsQuery struct {
	Repository *struct {
		DefaultBranchRef *struct {
			Target struct {
				Commit struct {
					History struct {
						TotalCount int
						PageInfo   pageInfo
						Nodes      []commitNode
					} `graphql:"history(first: 100, after: $after)"`
				} `graphql:"... on Commit"`
			}
		}
	} `graphql:"repository(owner: $owner, name: $name)"`
	RateLimit rateLimit
}

// stargazersQuery pages through stargazers, latest first, with when they
// starred: one point per 100. Cursors keep their place when someone
// unstars meanwhile (page numbers would not).
type stargazersQuery struct {
	Repository *struct {
		Stargazers struct {
			TotalCount int
			PageInfo   pageInfo
			Edges      []struct {
				StarredAt githubv4.DateTime
				Node      struct {
					DatabaseID int64 `graphql:"databaseId"`
					Login      string
				}
			}
		} `graphql:"stargazers(first: 100, after: $after, orderBy: {field: STARRED_AT, direction: DESC})"`
	} `graphql:"repository(owner: $owner, name: $name)"`
	RateLimit rateLimit
}
