package gqlexec

// The collector's GraphQL queries, verbatim as githubv4 sends them
// (internal/collector/queries.go builds them from struct tags). Keep them
// in sync: TestCollectorQueriesValidate fails when GitHub's schema rejects
// one, and the tests in collector_test.go run each against a dataset.
const (
	// qOrgRepos lists the repositories an organisation or user owns, with their probes.
	qOrgRepos = `query($after:String$login:String!){repositoryOwner(login: $login){repositories(first: 30, after: $after, ownerAffiliations: [OWNER], orderBy: {field: NAME, direction: ASC}){totalCount,pageInfo{hasNextPage,endCursor},nodes{databaseId,nameWithOwner,isArchived,isFork,stargazerCount,forkCount,defaultBranchRef{name,target{oid}},pullRequests(first: 1, orderBy: {field: UPDATED_AT, direction: DESC}){totalCount,nodes{updatedAt}},issues(first: 1, orderBy: {field: UPDATED_AT, direction: DESC}){totalCount,nodes{updatedAt}},releases(first: 5, orderBy: {field: CREATED_AT, direction: DESC}){totalCount,nodes{databaseId,updatedAt}}}}},rateLimit{cost,remaining,resetAt}}`
	// qRepoProbe probes one repository.
	qRepoProbe = `query($name:String!$owner:String!){repository(owner: $owner, name: $name){databaseId,nameWithOwner,isArchived,isFork,stargazerCount,forkCount,defaultBranchRef{name,target{oid}},pullRequests(first: 1, orderBy: {field: UPDATED_AT, direction: DESC}){totalCount,nodes{updatedAt}},issues(first: 1, orderBy: {field: UPDATED_AT, direction: DESC}){totalCount,nodes{updatedAt}},releases(first: 5, orderBy: {field: CREATED_AT, direction: DESC}){totalCount,nodes{databaseId,updatedAt}}},rateLimit{cost,remaining,resetAt}}`
	// qPulls pages through pull requests with reviews and closers.
	qPulls = `query($after:String$name:String!$owner:String!){repository(owner: $owner, name: $name){pullRequests(first: 50, after: $after, orderBy: {field: UPDATED_AT, direction: DESC}){totalCount,pageInfo{hasNextPage,endCursor},nodes{databaseId,number,createdAt,updatedAt,closedAt,mergedAt,merged,author{__typename,login,... on User{databaseId},... on Bot{databaseId}},timelineItems(itemTypes: [CLOSED_EVENT], last: 1){nodes{... on ClosedEvent{createdAt,actor{__typename,login,... on User{databaseId},... on Bot{databaseId}}}}},reviews(first: 20){totalCount,pageInfo{hasNextPage,endCursor},nodes{databaseId,state,submittedAt,author{__typename,login,... on User{databaseId},... on Bot{databaseId}}}}}}},rateLimit{cost,remaining,resetAt}}`
	// qReviews pages through one pull request's reviews.
	qReviews = `query($after:String$name:String!$number:Int!$owner:String!){repository(owner: $owner, name: $name){pullRequest(number: $number){reviews(first: 100, after: $after){totalCount,pageInfo{hasNextPage,endCursor},nodes{databaseId,state,submittedAt,author{__typename,login,... on User{databaseId},... on Bot{databaseId}}}}}},rateLimit{cost,remaining,resetAt}}`
	// qIssues pages through issues updated since a time.
	qIssues = `query($after:String$name:String!$owner:String!$since:DateTime){repository(owner: $owner, name: $name){issues(first: 100, after: $after, orderBy: {field: CREATED_AT, direction: ASC}, filterBy: {since: $since}){totalCount,pageInfo{hasNextPage,endCursor},nodes{databaseId,number,createdAt,updatedAt,closedAt,author{__typename,login,... on User{databaseId},... on Bot{databaseId}},timelineItems(itemTypes: [CLOSED_EVENT], last: 1){nodes{... on ClosedEvent{createdAt,actor{__typename,login,... on User{databaseId},... on Bot{databaseId}}}}}}}},rateLimit{cost,remaining,resetAt}}`
	// qCommits walks the default branch's history.
	qCommits = `query($after:String$name:String!$owner:String!){repository(owner: $owner, name: $name){defaultBranchRef{target{... on Commit{history(first: 100, after: $after){totalCount,pageInfo{hasNextPage,endCursor},nodes{oid,committedDate,authoredDate,author{email,user{databaseId,login}}}}}}}},rateLimit{cost,remaining,resetAt}}`
)

// collectorQueries lists them with the variables githubv4 sends.
var collectorQueries = []struct {
	name  string
	query string
	vars  map[string]any
}{
	{"qOrgRepos", qOrgRepos, map[string]any{"after": nil, "login": "o"}},
	{"qRepoProbe", qRepoProbe, map[string]any{"name": "n", "owner": "o"}},
	{"qPulls", qPulls, map[string]any{"after": nil, "name": "n", "owner": "o"}},
	{"qReviews", qReviews, map[string]any{"after": nil, "name": "n", "number": 3, "owner": "o"}},
	{"qIssues", qIssues, map[string]any{"after": nil, "name": "n", "owner": "o", "since": nil}},
	{"qCommits", qCommits, map[string]any{"after": nil, "name": "n", "owner": "o"}},
}
