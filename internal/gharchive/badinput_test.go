package gharchive

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"io"
	"math/rand"
	"strings"
	"testing"

	"contribtrack/internal/contrib"
)

func readInputs(t *testing.T, files map[string][]byte) ([]contrib.Contribution, Stats) {
	t.Helper()
	var inputs []Input
	for name, data := range files {
		data := data
		inputs = append(inputs, Input{Name: name, Open: func(context.Context) (io.ReadCloser, int64, error) {
			return io.NopCloser(bytes.NewReader(data)), int64(len(data)), nil
		}})
	}
	var got []contrib.Contribution
	st, err := Read(context.Background(), inputs, Options{Selector: NewSelector(true, nil, nil)},
		func(_ context.Context, b []contrib.Contribution) error { got = append(got, b...); return nil })
	if err != nil {
		t.Fatal(err)
	}
	return got, st
}

// TestInputsWithoutAnEventAreBroken: an empty file, an empty gzip stream and
// random bytes hold no GH Archive event; each is reported by name
// (ErrNoEvents) so that the import fails, while a good input beside them is
// read.
func TestInputsWithoutAnEventAreBroken(t *testing.T) {
	var emptyGz bytes.Buffer
	_ = gzip.NewWriter(&emptyGz).Close()
	random := make([]byte, 200<<10)
	rand.New(rand.NewSource(1)).Read(random)
	good := `{"id":"1","type":"WatchEvent","actor":{"id":7,"login":"ana"},"repo":{"id":100,"name":"acme/tool"},"payload":{"action":"started"},"public":true,"created_at":"2015-01-01T12:00:00Z"}` + "\n"
	got, st := readInputs(t, map[string][]byte{
		"empty.json.gz": nil, "empty-stream.json.gz": emptyGz.Bytes(), "random.json": random, "good.json": []byte(good),
	})
	if len(got) != 1 {
		t.Errorf("%d contributions, want the good input's star", len(got))
	}
	named := map[string]bool{}
	for _, err := range st.Broken {
		if errors.Is(err, ErrNoEvents) {
			named[strings.SplitN(err.Error(), ":", 2)[0]] = true
		}
	}
	for _, name := range []string{"empty.json.gz", "empty-stream.json.gz", "random.json"} {
		if !named[name] {
			t.Errorf("%s is not reported as holding no event: %v", name, st.Broken)
		}
	}
	if named["good.json"] {
		t.Errorf("good.json is reported as holding no event")
	}
}

// TestNegativeIDsAreRejected: a comment, review or release id, or an issue
// or pull request number, that is negative is skipped with its reason, not
// stored as a contribution (a comment id of -1 was stored as a new
// issue_comment).
func TestNegativeIDsAreRejected(t *testing.T) {
	lines := []string{
		`{"id":"1","type":"IssueCommentEvent","actor":{"id":7,"login":"ana"},"repo":{"id":100,"name":"acme/tool"},"payload":{"action":"created","issue":{"number":3},"comment":{"id":-1,"user":{"id":7,"login":"ana"}}},"public":true,"created_at":"2015-01-01T12:00:00Z"}`,
		`{"id":"2","type":"PullRequestEvent","actor":{"id":7,"login":"ana"},"repo":{"id":100,"name":"acme/tool"},"payload":{"action":"opened","number":-5,"pull_request":{"number":-5,"user":{"id":7,"login":"ana"}}},"public":true,"created_at":"2015-01-01T12:00:00Z"}`,
		`{"id":"3","type":"ReleaseEvent","actor":{"id":7,"login":"ana"},"repo":{"id":100,"name":"acme/tool"},"payload":{"action":"published","release":{"id":-9,"author":{"id":7,"login":"ana"}}},"public":true,"created_at":"2015-01-01T12:00:00Z"}`,
		`{"id":"4","type":"IssueCommentEvent","actor":{"id":7,"login":"ana"},"repo":{"id":100,"name":"acme/tool"},"payload":{"action":"created","issue":{"number":3},"comment":{"id":42,"user":{"id":7,"login":"ana"}}},"public":true,"created_at":"2015-01-01T12:00:00Z"}`,
	}
	got, st := readInputs(t, map[string][]byte{"hour.json": []byte(strings.Join(lines, "\n") + "\n")})
	if len(got) != 1 || got[0].Kind != contrib.IssueComment {
		t.Errorf("stored %+v, want only the comment with id 42", got)
	}
	if st.Skipped[SkipBadID] != 3 {
		t.Errorf("skipped %v, want 3 for %q", st.Skipped, SkipBadID)
	}
}
