package gqlexec

import (
	"sort"
	"strings"
	"testing"

	"github.com/vektah/gqlparser/v2/ast"
)

// TestResolversMatchSchema checks the resolver table against GitHub's
// schema: every "Type.field" exists there, and every connection type the
// executor produces has the fields connectionField and edgeField answer.
func TestResolversMatchSchema(t *testing.T) {
	s := githubSchema(t)
	var keys []string
	for k := range resolvers {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		typ, field, _ := strings.Cut(k, ".")
		def := s.Types[typ]
		if def == nil || (def.Kind != ast.Object) {
			t.Errorf("%s: %s is not an object type of GitHub's schema", k, typ)
			continue
		}
		if def.Fields.ForName(field) == nil {
			t.Errorf("%s: GitHub's %s has no field %s", k, typ, field)
		}
	}
	conns := []string{"RepositoryConnection", "PullRequestConnection", "IssueConnection", "ReleaseConnection",
		"StargazerConnection", "PullRequestReviewConnection", "IssueCommentConnection",
		"PullRequestTimelineItemsConnection", "IssueTimelineItemsConnection", "CommitHistoryConnection",
		"CreatedPullRequestContributionConnection", "CreatedIssueContributionConnection",
		"CreatedPullRequestReviewContributionConnection", "CreatedCommitContributionConnection"}
	for _, c := range conns {
		def := s.Types[c]
		if def == nil {
			t.Errorf("no type %s", c)
			continue
		}
		for _, f := range []string{"totalCount", "nodes", "edges", "pageInfo"} {
			if def.Fields.ForName(f) == nil {
				t.Errorf("%s has no %s", c, f)
			}
		}
		edge := def.Fields.ForName("edges").Type.Name()
		if c == "CommitHistoryConnection" {
			if edge != "CommitEdge" {
				t.Errorf("history edges are %s", edge)
			}
		} else if edge != edgeType(c) {
			t.Errorf("%s edges are %s, the executor says %s", c, edge, edgeType(c))
		}
	}
}
