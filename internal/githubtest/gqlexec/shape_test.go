package gqlexec

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"

	"contribtrack/internal/testing/fixtures"
)

// shape maps the paths of a JSON document ("data.repository.nodes[].author.login",
// list elements as "[]") to the kinds of value found there: null, bool,
// number, string, datetime (a string in GitHub's DateTime form), object,
// array.
type shape map[string]map[string]bool

var dateTimeRE = regexp.MustCompile(`^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$`)

// addShape walks a response body into s. Real recordings and the
// executor's answers go through this same function.
func addShape(s shape, raw []byte) error {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return err
	}
	var walk func(path string, v any)
	walk = func(path string, v any) {
		kind := ""
		switch v := v.(type) {
		case nil:
			kind = "null"
		case bool:
			kind = "bool"
		case json.Number:
			kind = "number"
		case string:
			kind = "string"
			if dateTimeRE.MatchString(v) {
				kind = "datetime"
			}
		case map[string]any:
			kind = "object"
			for k, x := range v {
				walk(path+"."+k, x)
			}
		case []any:
			kind = "array"
			for _, x := range v {
				walk(path+"[]", x)
			}
		}
		if s[path] == nil {
			s[path] = map[string]bool{}
		}
		s[path][kind] = true
	}
	walk("", v)
	return nil
}

// kindsAt returns the kinds found at every path ending in suffix.
func (s shape) kindsAt(suffix string) map[string]bool {
	out := map[string]bool{}
	for p, kinds := range s {
		if strings.HasSuffix(p, "."+suffix) {
			for k := range kinds {
				out[k] = true
			}
		}
	}
	return out
}

func keys(m map[string]bool) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// recordedShape reads every real GitHub response body of the fixtures.
func recordedShape(t *testing.T) (shape, int) {
	dir := fixtures.Path(t, "github-graphql")
	var files []string
	for _, g := range []string{"grafana-github-datasource/__files/*.json", "release-drafter/*.json"} {
		m, err := filepath.Glob(filepath.Join(dir, g))
		if err != nil {
			t.Fatal(err)
		}
		files = append(files, m...)
	}
	if len(files) < 10 {
		t.Fatalf("only %d recordings under %s", len(files), dir)
	}
	s := shape{}
	for _, f := range files {
		raw, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if err := addShape(s, raw); err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		var data map[string]any
		decodeOK(t, raw, &data) // the envelope our answers are decoded with
	}
	return s, len(files)
}

// TestShapeParityWithGitHub compares the JSON kinds and nullability of the
// fields contribtrack relies on in the executor's answers with those in
// real GitHub responses.
func TestShapeParityWithGitHub(t *testing.T) {
	recorded, n := recordedShape(t)
	ds := smallDataset()
	e := New(ds, githubSchema(t))
	ours := shape{}
	for _, r := range ds.Repos {
		for _, q := range collectorQueries {
			vars := map[string]any{"owner": r.Owner.Login, "name": r.Name, "login": r.Owner.Login, "number": r.Pulls[0].Number,
				"since": ds.Now.Add(-24 * 90 * 3600e9).Format("2006-01-02T15:04:05Z")}
			if err := addShape(ours, exec(t, e, q.query, vars)); err != nil {
				t.Fatal(err)
			}
		}
	}
	// An empty page: GitHub answers endCursor null then.
	if err := addShape(ours, exec(t, e, qIssues, map[string]any{"owner": ds.Repos[0].Owner.Login, "name": ds.Repos[0].Name,
		"since": "2099-01-01T00:00:00Z"})); err != nil {
		t.Fatal(err)
	}
	rules := []string{
		"pageInfo", "pageInfo.hasNextPage", "pageInfo.endCursor", "totalCount", "nodes", "nodes[]",
		"author", "author.login", "author.__typename", "createdAt", "updatedAt", "closedAt", "mergedAt",
		"merged", "number", "nameWithOwner", "forkCount", "isFork",
		"history.nodes[].committedDate", "history.nodes[].author", "history.nodes[].author.user",
		"history.nodes[].author.user.login", "history.totalCount", "history.pageInfo.endCursor",
	}
	for _, rule := range rules {
		t.Run(rule, func(t *testing.T) {
			rec, got := recorded.kindsAt(rule), ours.kindsAt(rule)
			if len(rec) == 0 {
				t.Fatalf("no %s in the %d recordings: the rule proves nothing", rule, n)
			}
			if len(got) == 0 {
				t.Fatalf("no %s in the executor's answers", rule)
			}
			nonNull := func(m map[string]bool) []string {
				var out []string
				for _, k := range keys(m) {
					if k != "null" {
						out = append(out, k)
					}
				}
				return out
			}
			if a, b := nonNull(rec), nonNull(got); strings.Join(a, ",") != strings.Join(b, ",") {
				t.Errorf("%s is %v on GitHub, %v here", rule, a, b)
			}
			if got["null"] && !rec["null"] {
				t.Errorf("%s is null here, never on GitHub (%v)", rule, keys(rec))
			}
		})
	}
}

func TestShapeOf(t *testing.T) {
	s := shape{}
	if err := addShape(s, []byte(`{"data":{"a":[{"b":null,"c":"2024-05-01T10:00:00Z"},{"b":1,"c":"x"}],"d":{}}}`)); err != nil {
		t.Fatal(err)
	}
	want := map[string][]string{".data.a[].b": {"null", "number"}, ".data.a[].c": {"datetime", "string"}, ".data.d": {"object"}, ".data.a": {"array"}}
	for p, kinds := range want {
		if got := keys(s[p]); strings.Join(got, ",") != strings.Join(kinds, ",") {
			t.Errorf("%s: %v, want %v", p, got, kinds)
		}
	}
}

// TestRecordedRequestsValidate prepares the real githubv4 requests whose
// answers are recorded: GitHub's schema as loaded accepts them, and they
// are priced by the documented rule (search(first: 100) with labels(first:
// 100) in each node: 1 + 100 requests, 1 point).
func TestRecordedRequestsValidate(t *testing.T) {
	dir := fixtures.Path(t, "github-graphql/grafana-github-datasource/mappings")
	files, err := filepath.Glob(filepath.Join(dir, "mapping-*.json"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no recorded requests in %s: %v", dir, err)
	}
	e := New(smallDataset(), githubSchema(t))
	for _, f := range files {
		raw, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		var m struct {
			Request struct {
				BodyPatterns []struct {
					EqualToJSON string `json:"equalToJson"`
				} `json:"bodyPatterns"`
			} `json:"request"`
		}
		if err := json.Unmarshal(raw, &m); err != nil || len(m.Request.BodyPatterns) == 0 {
			t.Fatalf("%s: %v", f, err)
		}
		var req Request
		if err := json.Unmarshal([]byte(m.Request.BodyPatterns[0].EqualToJSON), &req); err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		p, errBody := e.Prepare(req)
		if errBody != nil {
			t.Errorf("%s: a real request is rejected: %s", filepath.Base(f), errBody)
			continue
		}
		if p.Cost() != 1 || p.nodeCount != 100+100*100 {
			t.Errorf("%s: cost %d, nodes %d; want 1 and 10100", filepath.Base(f), p.Cost(), p.nodeCount)
		}
	}
}
