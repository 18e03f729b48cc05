package gqlexec

import (
	"fmt"
	"testing"
)

func TestZZScratch(t *testing.T) {
	ds := smallDataset()
	e := New(ds, githubSchema(t))
	for _, u := range ds.Users[:4] {
		fmt.Println(u.Login, u.NodeID)
	}
	out := exec(t, e, qUserContributions, map[string]any{"login": ds.Users[0].Login, "from": "2024-01-01T00:00:00Z", "to": "2024-12-31T23:59:59Z", "after": nil})
	fmt.Println(string(out))
	out = exec(t, e, qUserCommits, map[string]any{"owner": "aws-samples", "name": "serverless-patterns", "author": ds.Users[0].NodeID, "since": "2024-01-01T00:00:00Z", "until": "2024-12-31T23:59:59Z", "after": nil})
	fmt.Println(string(out))
	out = exec(t, e, `{user(login:"maria-garcia"){contributionsCollection(from:"2022-01-01T00:00:00Z", to:"2023-01-02T00:00:00Z"){startedAt}}}`, nil)
	fmt.Println(string(out))
	out = exec(t, e, `{user(login:"maria-garcia"){contributionsCollection{startedAt endedAt totalCommitContributions hasAnyContributions isSingleDay doesEndInCurrentMonth commitContributionsByRepository{url resourcePath contributions(first:2 orderBy:{field:COMMIT_COUNT direction:DESC}){totalCount nodes{url occurredAt commitCount}}}}}}`, nil)
	fmt.Println(string(out))
}
