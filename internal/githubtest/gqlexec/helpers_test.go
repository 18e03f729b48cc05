package gqlexec

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/parser"

	"contribtrack/internal/githubtest/ghdata"
	"contribtrack/internal/testing/fixtures"
)

const schemaFixture = "github-graphql/schema.graphql"

var (
	// loadGitHubSchema reads and parses the schema fixture, once.
	loadGitHubSchema = sync.OnceValues(func() (*ast.Schema, error) {
		b, err := os.ReadFile(filepath.Join(fixtures.Root(), schemaFixture))
		if err != nil {
			return nil, err
		}
		return LoadSchema(string(b))
	})

	// smallDataset is ghdata.SmallSpec(1), shared by the tests that only
	// read it.
	smallDataset = sync.OnceValue(func() *ghdata.Dataset { return ghdata.Generate(ghdata.SmallSpec(1)) })
)

// githubSchema loads GitHub's published schema from ../shared/fixtures
// once (skipping the test when the fixtures are absent outside CI).
func githubSchema(t testing.TB) *ast.Schema {
	t.Helper()
	fixtures.Path(t, schemaFixture) // skips, or fails under CI, when it is missing
	schema, err := loadGitHubSchema()
	if err != nil {
		t.Fatalf("load GitHub's schema: %v", err)
	}
	return schema
}

// schemaOrNil is GitHub's schema when the fixtures are there. Outside CI
// without them it is nil: the test then runs the executor without
// validation, which answers the same (TestWithoutSchemaSameAnswers).
func schemaOrNil(t testing.TB) *ast.Schema {
	t.Helper()
	if _, err := os.Stat(filepath.Join(fixtures.Root(), schemaFixture)); err != nil && os.Getenv("CI") != "true" {
		t.Logf("GitHub's schema is not at %s: running without validation", schemaFixture)
		return nil
	}
	return githubSchema(t)
}

// testRate is the budget the tests pass to Run.
var testRate = RateLimit{Limit: 5000, Remaining: 4990, Used: 10, ResetAt: time.Date(2026, 11, 1, 1, 0, 0, 0, time.UTC)}

// exec prepares and runs query, failing the test when Prepare rejects it.
func exec(t testing.TB, e *Executor, query string, vars map[string]any) []byte {
	t.Helper()
	p, errBody := e.Prepare(Request{Query: query, Variables: vars})
	if errBody != nil {
		t.Fatalf("Prepare rejected the query: %s\nquery: %s", errBody, query)
	}
	return e.Run(context.Background(), p, testRate)
}

// tError is an entry of a response's errors list.
type tError struct {
	Type       string         `json:"type"`
	Path       []any          `json:"path"`
	Locations  []location     `json:"locations"`
	Message    string         `json:"message"`
	Extensions map[string]any `json:"extensions"`
}

// decode strictly decodes a response body into data (unknown keys are an
// error, as githubv4's decoder makes them) and returns its errors.
func decode(t testing.TB, raw []byte, data any) []tError {
	t.Helper()
	var env struct {
		Data   json.RawMessage `json:"data"`
		Errors []tError        `json:"errors"`
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&env); err != nil {
		t.Fatalf("response is not a GraphQL response: %v\n%s", err, raw)
	}
	if data != nil && len(env.Data) > 0 {
		dec := json.NewDecoder(bytes.NewReader(env.Data))
		dec.DisallowUnknownFields()
		if err := dec.Decode(data); err != nil {
			t.Fatalf("decode data: %v\n%s", err, raw)
		}
	}
	return env.Errors
}

// decodeOK is decode for a response that must have no errors.
func decodeOK(t testing.TB, raw []byte, data any) {
	t.Helper()
	if errs := decode(t, raw, data); len(errs) > 0 {
		t.Fatalf("unexpected errors: %+v\n%s", errs, raw)
	}
}

// The shapes of the collector's queries, as the tests decode them.
type (
	tActor struct {
		Typename   string `json:"__typename"`
		Login      string `json:"login"`
		DatabaseID *int64 `json:"databaseId"`
	}
	tPageInfo struct {
		HasNextPage bool    `json:"hasNextPage"`
		EndCursor   *string `json:"endCursor"`
	}
	tRateLimit struct {
		Cost      int       `json:"cost"`
		Remaining int       `json:"remaining"`
		ResetAt   time.Time `json:"resetAt"`
	}
	tClosed struct {
		Nodes []struct {
			CreatedAt time.Time `json:"createdAt"`
			Actor     *tActor   `json:"actor"`
		} `json:"nodes"`
	}
	tReview struct {
		DatabaseID  int64      `json:"databaseId"`
		State       string     `json:"state"`
		SubmittedAt *time.Time `json:"submittedAt"`
		Author      *tActor    `json:"author"`
	}
	tReviews struct {
		TotalCount int       `json:"totalCount"`
		PageInfo   tPageInfo `json:"pageInfo"`
		Nodes      []tReview `json:"nodes"`
	}
	tCommit struct {
		Oid           string    `json:"oid"`
		CommittedDate time.Time `json:"committedDate"`
		AuthoredDate  time.Time `json:"authoredDate"`
		Author        *struct {
			Email string `json:"email"`
			User  *struct {
				DatabaseID int64  `json:"databaseId"`
				Login      string `json:"login"`
			} `json:"user"`
		} `json:"author"`
	}
	tUpdated struct {
		TotalCount int            `json:"totalCount"`
		Nodes      []tUpdatedNode `json:"nodes"`
	}
	tProbe struct {
		DatabaseID       int64  `json:"databaseId"`
		NameWithOwner    string `json:"nameWithOwner"`
		IsArchived       bool   `json:"isArchived"`
		IsFork           bool   `json:"isFork"`
		StargazerCount   int    `json:"stargazerCount"`
		ForkCount        int    `json:"forkCount"`
		DefaultBranchRef *struct {
			Name   string `json:"name"`
			Target struct {
				Oid string `json:"oid"`
			} `json:"target"`
		} `json:"defaultBranchRef"`
		PullRequests tUpdated `json:"pullRequests"`
		Issues       tUpdated `json:"issues"`
		Releases     tUpdated `json:"releases"`
	}
)

// wantActor is how GraphQL shows account u (nil for no account): written
// out here rather than taken from the executor, so that a mistake there
// shows. GraphQL's Bot.login is the app's slug, without REST's "[bot]".
func wantActor(u *ghdata.User) *tActor {
	if u == nil {
		return nil
	}
	id := u.ID
	a := &tActor{Typename: u.Type, Login: u.Login, DatabaseID: &id}
	if u.Type == "Bot" {
		a.Login = strings.TrimSuffix(u.Login, "[bot]")
	}
	return a
}

// withFirst rewrites the page size of connection conn in query, to make a
// collector query page through a small dataset in many pages.
func withFirst(t testing.TB, query, conn string, n int) string {
	t.Helper()
	re := regexp.MustCompile(`\b` + conn + `\(first: \d+`)
	if !re.MatchString(query) {
		t.Fatalf("no %s(first: ...) in %s", conn, query)
	}
	return re.ReplaceAllString(query, fmt.Sprintf("%s(first: %d", conn, n))
}

// orderOf reads the orderBy literal of connection conn in query.
func orderOf(t testing.TB, query, conn string) (field string, desc bool) {
	t.Helper()
	doc, err := parser.ParseQuery(&ast.Source{Input: query})
	if err != nil {
		t.Fatal(err)
	}
	var found *ast.Field
	var walk func(ast.SelectionSet)
	walk = func(ss ast.SelectionSet) {
		for _, s := range ss {
			switch s := s.(type) {
			case *ast.Field:
				if s.Name == conn && found == nil {
					found = s
				}
				walk(s.SelectionSet)
			case *ast.InlineFragment:
				walk(s.SelectionSet)
			}
		}
	}
	walk(doc.Operations[0].SelectionSet)
	if found == nil {
		t.Fatalf("no %s in %s", conn, query)
	}
	a := found.Arguments.ForName("orderBy")
	if a == nil {
		return "", false
	}
	f, d := a.Value.Children.ForName("field"), a.Value.Children.ForName("direction")
	return f.Raw, d != nil && d.Raw == "DESC"
}

// pageAll runs query from the first page (after: null) to the last,
// following endCursor, and returns every page. info extracts a page's
// pageInfo; check is called on every page's raw body.
func pageAll[T any](t testing.TB, e *Executor, query string, vars map[string]any, info func(*T) tPageInfo) []T {
	t.Helper()
	var pages []T
	v := map[string]any{"after": nil}
	for k, x := range vars {
		v[k] = x
	}
	for i := 0; ; i++ {
		if i > 1000 {
			t.Fatalf("more than 1000 pages: pagination does not end")
		}
		var page T
		decodeOK(t, exec(t, e, query, v), &page)
		pages = append(pages, page)
		pi := info(&page)
		if !pi.HasNextPage {
			return pages
		}
		if pi.EndCursor == nil {
			t.Fatalf("page %d has a next page but no endCursor", i)
		}
		v["after"] = *pi.EndCursor
	}
}

func ptime(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	u := t.UTC()
	return &u
}
