package gqlexec

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestLoadSchemaGitHub(t *testing.T) {
	s := githubSchema(t)
	for _, typ := range []string{"Query", "Repository", "PullRequest", "Issue", "Commit", "Actor", "RateLimit"} {
		if s.Types[typ] == nil {
			t.Errorf("type %s missing", typ)
		}
	}
	n := 0
	for _, f := range s.Types["EnterpriseOwnerInfo"].Fields {
		if f.Name == "repositoryDeployKeySetting" {
			n++
		}
	}
	if n != 1 {
		t.Errorf("EnterpriseOwnerInfo.repositoryDeployKeySetting defined %d times, want 1", n)
	}
}

func TestLoadSchemaDuplicateFields(t *testing.T) {
	tests := []struct {
		name    string
		sdl     string
		wantErr string
	}{
		{"exact duplicate is dropped", "type Query { a(x: Int): Int\n a(x: Int): Int\n b: String }", ""},
		{"conflicting duplicate fails", "type Query { a: Int\n a: String }", "defined twice"},
		{"syntax error fails", "type Query { a: }", "parse schema"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s, err := LoadSchema(tc.sdl)
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("err = %v, want one containing %q", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			count := map[string]int{}
			for _, f := range s.Query.Fields {
				count[f.Name]++
			}
			if count["a"] != 1 || count["b"] != 1 {
				t.Errorf("Query fields %v, want a and b once each", count)
			}
		})
	}
}

func TestCollectorQueriesValidate(t *testing.T) {
	e := New(smallDataset(), githubSchema(t))
	for _, q := range collectorQueries {
		t.Run(q.name, func(t *testing.T) {
			p, errBody := e.Prepare(Request{Query: q.query, Variables: q.vars})
			if errBody != nil {
				t.Fatalf("GitHub's schema rejects the collector's query: %s", errBody)
			}
			if p.Cost() < 1 {
				t.Errorf("cost %d", p.Cost())
			}
		})
	}
}

// errorBody decodes an error body of Prepare: only "errors", no "data".
func errorBody(t *testing.T, b []byte) []tError {
	t.Helper()
	var env map[string]json.RawMessage
	if err := json.Unmarshal(b, &env); err != nil {
		t.Fatalf("error body is not JSON: %v: %s", err, b)
	}
	if _, ok := env["data"]; ok {
		t.Errorf("an invalid query's body has data: %s", b)
	}
	errs := decode(t, b, nil)
	if len(errs) == 0 {
		t.Fatalf("no errors in %s", b)
	}
	return errs
}

func TestPrepareRejects(t *testing.T) {
	e := New(smallDataset(), githubSchema(t))
	tests := []struct {
		name     string
		query    string
		vars     map[string]any
		wantType string
		wantMsg  string
		wantCode string
		wantLoc  *location
	}{
		{name: "field not in GitHub's schema", query: `{ repository(owner: "a", name: "b") { nameWithOwner starCount } }`,
			wantMsg: "Field 'starCount' doesn't exist on type 'Repository'", wantCode: "undefinedField", wantLoc: &location{1, 53}},
		{name: "argument not in GitHub's schema", query: `{ repository(owner: "a", name: "b", private: true) { name } }`,
			wantMsg: "Field 'repository' doesn't accept argument 'private'", wantCode: "argumentNotAccepted"},
		{name: "fragment on a type that cannot match", query: `{ repository(owner: "a", name: "b") { ... on User { login } } }`,
			wantMsg: "User"},
		{name: "parse error", query: `{ repository(owner: "a" { name } }`, wantMsg: "Parse error"},
		{name: "missing required variable", query: `query($login: String!) { organization(login: $login) { login } }`,
			wantMsg: "Variable $login of type String! was provided invalid value"},
		{name: "variable of the wrong type", query: `query($n: Int!) { repository(owner: "a", name: "b") { pullRequest(number: $n) { title } } }`,
			vars: map[string]any{"n": "three"}, wantMsg: "Variable $n of type Int! was provided invalid value"},
		{name: "mutation", query: `mutation { addStar(input: {starrableId: "x"}) { clientMutationId } }`, wantMsg: "not supported"},
		{name: "first over 100", query: `{ repository(owner: "a", name: "b") { pullRequests(first: 101) { totalCount } } }`,
			wantType: "EXCESSIVE_PAGINATION", wantMsg: "Requesting 101 records on the `pullRequests` connection exceeds the `first` limit of 100 records."},
		{name: "first over 100 through a variable", query: `query($n: Int) { repository(owner: "a", name: "b") { issues(first: $n) { totalCount } } }`,
			vars: map[string]any{"n": 500.0}, wantType: "EXCESSIVE_PAGINATION", wantMsg: "Requesting 500 records on the `issues` connection"},
		{name: "last under 1", query: `{ repository(owner: "a", name: "b") { releases(last: 0) { totalCount } } }`,
			wantType: "EXCESSIVE_PAGINATION", wantMsg: "`releases` connection"},
		{name: "no first nor last", query: `{ repository(owner: "a", name: "b") { pullRequests(states: [OPEN]) { totalCount } } }`,
			wantType: "MISSING_PAGINATION_BOUNDARIES", wantMsg: "You must provide a `first` or `last` value to properly paginate the `pullRequests` connection."},
		{name: "nested connection without first", query: `{ repository(owner: "a", name: "b") { pullRequests(first: 5) { nodes { reviews { totalCount } } } } }`,
			wantType: "MISSING_PAGINATION_BOUNDARIES", wantMsg: "the `reviews` connection"},
		{name: "over 500,000 nodes", query: `{ organization(login: "a") { repositories(first: 100) { nodes { issues(first: 100) { nodes { comments(first: 100) { totalCount } } } } } } }`,
			wantType: "MAX_NODE_LIMIT_EXCEEDED", wantMsg: "1010100"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p, b := e.Prepare(Request{Query: tc.query, Variables: tc.vars})
			if p != nil || b == nil {
				t.Fatalf("Prepare accepted %s", tc.query)
			}
			errs := errorBody(t, b)
			got := errs[0]
			if !strings.Contains(got.Message, tc.wantMsg) {
				t.Errorf("message %q, want it to contain %q", got.Message, tc.wantMsg)
			}
			if got.Type != tc.wantType {
				t.Errorf("type %q, want %q", got.Type, tc.wantType)
			}
			if tc.wantCode != "" && got.Extensions["code"] != tc.wantCode {
				t.Errorf("extensions %v, want code %s", got.Extensions, tc.wantCode)
			}
			if tc.wantLoc != nil {
				if diff := cmp.Diff([]location{*tc.wantLoc}, got.Locations); diff != "" {
					t.Errorf("locations (-want +got):\n%s", diff)
				}
			}
		})
	}
}

func TestPrepareWithoutSchema(t *testing.T) {
	e := New(smallDataset(), nil)
	// Without a schema nothing checks field names: the query is accepted
	// and the unknown field is an execution error naming it.
	raw := exec(t, e, `{ repository(owner: "aws-samples", name: "serverless-patterns") { name starCount } }`, nil)
	var data struct {
		Repository *struct {
			Name      string  `json:"name"`
			StarCount *string `json:"starCount"`
		} `json:"repository"`
	}
	errs := decode(t, raw, &data)
	if data.Repository == nil || data.Repository.Name != "serverless-patterns" {
		t.Errorf("repository not resolved: %s", raw)
	}
	if len(errs) != 1 || !strings.Contains(errs[0].Message, "Repository.starCount is not implemented") {
		t.Errorf("errors %+v, want one naming Repository.starCount", errs)
	}
	// Pagination limits hold without a schema too.
	if _, b := e.Prepare(Request{Query: `{ repository(owner: "a", name: "b") { pullRequests(first: 101) { totalCount } } }`}); b == nil {
		t.Errorf("first: 101 accepted without a schema")
	}
	if _, b := e.Prepare(Request{Query: `{ repository(owner: "a" `}); b == nil {
		t.Errorf("parse error accepted without a schema")
	}
}
