package gqlexec

// The queries of `contribtrack collect --members`, which follows people
// across every repository. TestMemberQueriesValidate checks them against
// GitHub's schema; members_test.go runs them against a dataset.
const (
	// qUserContributions is the brief's query verbatim ("..." written
	// out). Its one $after is shared by four connections: it only works
	// while every connection fits in one page (see
	// qUserContributionsPaged).
	qUserContributions = `query($login:String!,$from:DateTime!,$to:DateTime!,$after:String){
  user(login:$login){
    databaseId login
    contributionsCollection(from:$from, to:$to){
      startedAt endedAt
      pullRequestContributions(first:100, after:$after, orderBy:{direction:ASC}){
        totalCount pageInfo{hasNextPage endCursor}
        nodes{ occurredAt pullRequest{ databaseId number createdAt mergedAt merged
               author{__typename login ... on User{databaseId}}
               repository{ databaseId nameWithOwner isPrivate } } }
      }
      issueContributions(first:100, after:$after, orderBy:{direction:ASC}){ totalCount pageInfo{hasNextPage endCursor} nodes{ occurredAt issue{ databaseId number createdAt repository{databaseId nameWithOwner isPrivate} } } }
      pullRequestReviewContributions(first:100, after:$after, orderBy:{direction:ASC}){ totalCount pageInfo{hasNextPage endCursor} nodes{ occurredAt
               pullRequestReview{ databaseId submittedAt } pullRequest{ number } repository{ databaseId nameWithOwner isPrivate } } }
      commitContributionsByRepository(maxRepositories:100){
        repository{ databaseId nameWithOwner isPrivate defaultBranchRef{ name } }
        contributions(first:100, after:$after){ totalCount pageInfo{hasNextPage endCursor} nodes{ occurredAt commitCount } }
      }
    }
  }
  rateLimit{cost remaining resetAt}
}`

	// qUserContributionsPaged is the same query with a cursor per
	// connection, as githubv4 would send it: a connection that is done is
	// asked again with its last cursor and answers an empty page. The
	// days of commits are not paged (one cursor cannot serve every
	// repository): a repository's totalCount is its number of commits, and
	// qUserCommits lists them.
	qUserContributionsPaged = `query($from:DateTime!$issuesAfter:String$login:String!$pullsAfter:String$reviewsAfter:String$to:DateTime!){user(login: $login){databaseId,login,contributionsCollection(from: $from, to: $to){startedAt,endedAt,pullRequestContributions(first: 100, after: $pullsAfter, orderBy: {direction: ASC}){totalCount,pageInfo{hasNextPage,endCursor},nodes{occurredAt,pullRequest{databaseId,number,createdAt,mergedAt,merged,author{__typename,login,... on User{databaseId}},repository{databaseId,nameWithOwner,isPrivate}}}},issueContributions(first: 100, after: $issuesAfter, orderBy: {direction: ASC}){totalCount,pageInfo{hasNextPage,endCursor},nodes{occurredAt,issue{databaseId,number,createdAt,repository{databaseId,nameWithOwner,isPrivate}}}},pullRequestReviewContributions(first: 100, after: $reviewsAfter, orderBy: {direction: ASC}){totalCount,pageInfo{hasNextPage,endCursor},nodes{occurredAt,pullRequestReview{databaseId,submittedAt},pullRequest{number},repository{databaseId,nameWithOwner,isPrivate}}},commitContributionsByRepository(maxRepositories: 100){repository{databaseId,nameWithOwner,isPrivate,defaultBranchRef{name}},contributions(first: 100){totalCount,pageInfo{hasNextPage,endCursor},nodes{occurredAt,commitCount}}}}},rateLimit{cost,remaining,resetAt}}`

	// qUserCommits is the brief's second query verbatim: a user's commits
	// to one repository's default branch.
	qUserCommits = `query($owner:String!,$name:String!,$author:ID!,$since:GitTimestamp!,$until:GitTimestamp!,$after:String){
  repository(owner:$owner,name:$name){
    defaultBranchRef{ target{ ... on Commit{
      history(first:100, after:$after, author:{id:$author}, since:$since, until:$until){
        totalCount pageInfo{hasNextPage endCursor}
        nodes{ oid committedDate authoredDate author{ email user{ databaseId login } } } } } } }
  }
  rateLimit{cost remaining resetAt}
}`

	// qUserCommitsByEmail selects commits by author email instead.
	qUserCommitsByEmail = `query($after:String$emails:[String!]$name:String!$owner:String!$since:GitTimestamp!$until:GitTimestamp!){repository(owner: $owner, name: $name){defaultBranchRef{target{... on Commit{history(first: 100, after: $after, author: {emails: $emails}, since: $since, until: $until){totalCount,pageInfo{hasNextPage,endCursor},nodes{oid,committedDate,authoredDate,author{email,user{databaseId,login}}}}}}}},rateLimit{cost,remaining,resetAt}}`

	// qUserReviews lists a user's reviews of one pull request: the
	// contributions collection shows only the latest.
	qUserReviews = `query($after:String$login:String!$name:String!$number:Int!$owner:String!){repository(owner: $owner, name: $name){pullRequest(number: $number){reviews(first: 100, after: $after, author: $login){totalCount,pageInfo{hasNextPage,endCursor},nodes{databaseId,state,submittedAt,author{__typename,login,... on User{databaseId},... on Bot{databaseId}}}}}},rateLimit{cost,remaining,resetAt}}`
)

// memberQueries lists them with variables GitHub accepts, and what each
// costs.
var memberQueries = []struct {
	name  string
	query string
	vars  map[string]any
	cost  int
	nodes int
}{
	{"qUserContributions", qUserContributions, map[string]any{"login": "u", "from": "2024-01-01T00:00:00Z",
		"to": "2024-12-31T23:59:59Z", "after": nil}, 1, 3*100 + 100 + 100*100},
	{"qUserContributionsPaged", qUserContributionsPaged, map[string]any{"login": "u", "from": "2024-01-01T00:00:00Z",
		"to": "2024-12-31T23:59:59Z"}, 1, 3*100 + 100 + 100*100},
	{"qUserCommits", qUserCommits, map[string]any{"owner": "o", "name": "n", "author": "U_x",
		"since": "2024-01-01T00:00:00Z", "until": "2024-12-31T23:59:59Z", "after": nil}, 1, 100},
	{"qUserCommitsByEmail", qUserCommitsByEmail, map[string]any{"owner": "o", "name": "n", "emails": []any{"a@b.c"},
		"since": "2024-01-01T00:00:00Z", "until": "2024-12-31T23:59:59Z"}, 1, 100},
	{"qUserReviews", qUserReviews, map[string]any{"owner": "o", "name": "n", "number": 1, "login": "u"}, 1, 100},
}
