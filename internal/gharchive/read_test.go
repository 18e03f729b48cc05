package gharchive

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/klauspost/compress/gzip"

	"contribtrack/internal/bots"
	"contribtrack/internal/contrib"
	"contribtrack/internal/testing/fixtures"
)

// collect reads inputs into memory.
func collect(t *testing.T, inputs []Input, opts Options) (Stats, []contrib.Contribution) {
	t.Helper()
	var mu sync.Mutex
	var got []contrib.Contribution
	st, err := Read(context.Background(), inputs, opts, func(_ context.Context, b []contrib.Contribution) error {
		mu.Lock()
		defer mu.Unlock()
		got = append(got, b...)
		return nil
	})
	if err != nil {
		t.Fatalf("Read: %v", err)
	}
	return st, got
}

func bytesInput(name string, data []byte) Input {
	return Input{Name: name, Open: func(context.Context) (ioReadCloser, int64, error) {
		return nopCloser{bytes.NewReader(data)}, int64(len(data)), nil
	}}
}

func TestFixtureHourCountsEveryKind(t *testing.T) {
	path := fixtures.Path(t, "gharchive/2015-01-01-12.json.gz")
	exp := fixtures.ExpectedFromGHArchive(t, path)
	// Default blocks, blocks smaller than many lines, and those decoded by
	// more workers than cores, finishing out of order: pushes are decided
	// from the default branches named before them all the same.
	for _, o := range []Options{{}, {BlockSize: 4096}, {BlockSize: 4096, Workers: 4}} {
		blockSize := o.BlockSize
		o.Selector = NewSelector(true, nil, nil)
		st, got := collect(t, []Input{FileInput(path)}, o)
		if st.Events != 8273 || st.Malformed != 0 || len(st.Broken) != 0 {
			t.Fatalf("block %d: events %d malformed %d broken %v; want 8273, 0, none", blockSize, st.Events, st.Malformed, st.Broken)
		}
		gotKinds := map[string]int{}
		for _, c := range got {
			gotKinds[string(c.Kind)]++
		}
		if diff := cmp.Diff(exp.Sightings, gotKinds); diff != "" {
			t.Errorf("block %d: contributions by kind (-independent +importer):\n%s", blockSize, diff)
		}
		statKinds := map[string]int{}
		for k, n := range st.Kinds {
			statKinds[string(k)] = int(n)
		}
		if diff := cmp.Diff(gotKinds, statKinds); diff != "" {
			t.Errorf("block %d: summary disagrees with what was stored:\n%s", blockSize, diff)
		}
	}
}

func TestSelectorKeepsConfiguredReposOnly(t *testing.T) {
	path := fixtures.Path(t, "gharchive/2015-01-01-12.json.gz")
	st, got := collect(t, []Input{FileInput(path)}, Options{Selector: NewSelector(false, []string{"BEGRIFFS"}, []string{"Saisi/secret-octo-wookie"})})
	if len(got) == 0 {
		t.Fatal("nothing kept")
	}
	for _, c := range got {
		if !strings.EqualFold(c.Org, "begriffs") && c.RepoName != "Saisi/secret-octo-wookie" {
			t.Errorf("kept %s %s", c.Kind, c.RepoName)
		}
	}
	if st.Skipped[SkipNotSelected] == 0 {
		t.Error("no event was skipped as not selected")
	}
}

func TestMixedYearsAndTimelineFormat(t *testing.T) {
	path := fixtures.Path(t, "gharchive/gofaster-sample.small.2014-2021.jsonl")
	st, got := collect(t, []Input{FileInput(path)}, Options{Selector: NewSelector(true, nil, nil)})
	if st.Malformed != 0 || len(st.Broken) != 0 {
		t.Fatalf("malformed %d %v, broken %v", st.Malformed, st.MalformedSamples, st.Broken)
	}
	if st.Events != 1304 {
		t.Errorf("events = %d, want 1304", st.Events)
	}
	var timeline, reviews int
	for _, c := range got {
		if c.CreatedAt.Year() < 2015 {
			timeline++
			if c.CreatedAt.Location().String() != "UTC" {
				t.Errorf("%s %s: time %v not in UTC", c.Kind, c.Key, c.CreatedAt)
			}
			if c.Kind != contrib.Commit && (c.ActorLogin == "" || c.ActorID == 0) {
				t.Errorf("timeline %s %s: actor %q id %d", c.Kind, c.Key, c.ActorLogin, c.ActorID)
			}
			if c.RepoID == 0 || c.Org == "" || !strings.Contains(c.RepoName, "/") {
				t.Errorf("timeline %s: repo %d %q org %q", c.Kind, c.RepoID, c.RepoName, c.Org)
			}
		}
		if c.Kind == contrib.PRReview {
			reviews++
		}
	}
	if timeline == 0 {
		t.Error("no contribution from the Timeline-format events")
	}
	if reviews != 12 {
		t.Errorf("pr_review = %d, want 12 (one per PullRequestReviewEvent)", reviews)
	}
}

func TestTimelineEventsDecode(t *testing.T) {
	lines := `{"created_at":"2014-01-23T04:03:29-08:00","payload":{"shas":[["78229654406a53a4605f2c1b2d962e9ee9f84865","a@b.c","m","N",true],["16b8e90161195fd8440cece75f2cf3cc71de8763","a@b.c","m","N",false]],"size":2,"ref":"refs/heads/dev","head":"x"},"public":true,"type":"PushEvent","actor":"Krack54","actor_attributes":{"login":"Krack54"},"repository":{"id":16133014,"name":"Crazy","owner":"Nitix","master_branch":"dev"}}{"created_at":"2014-01-11T14:02:56-08:00","payload":{"issue_id":1,"comment_id":33}, "public":true,"type":"IssueCommentEvent","actor":"kellyi","repository":{"id":5,"name":"r","owner":"o"}}
{"created_at":"2014-02-01T00:00:00-08:00","payload":{"action":"closed","issue":77,"number":9},"type":"IssuesEvent","actor":"Zed","repository":{"id":5,"name":"r","owner":"o"}}
`
	_, got := collect(t, []Input{bytesInput("timeline.json", []byte(lines))}, Options{Selector: NewSelector(true, nil, nil)})
	want := []string{
		"commit 16133014@78229654406a53a4605f2c1b2d962e9ee9f84865 Nitix/Crazy 2014-01-23T12:03:29Z",
		"issue_comment 33 o/r 2014-01-11T22:02:56Z kellyi",
		"issue_closed 5#9 o/r 2014-02-01T08:00:00Z Zed",
	}
	var have []string
	for _, c := range got {
		s := string(c.Kind) + " " + c.Key + " " + c.RepoName + " " + c.CreatedAt.Format("2006-01-02T15:04:05Z07:00")
		if c.ActorLogin != "" {
			s += " " + c.ActorLogin
			if c.ActorID != contrib.LoginActorID(c.ActorLogin) {
				t.Errorf("%s: actor id %d not derived from the login", c.Kind, c.ActorID)
			}
		}
		have = append(have, s)
	}
	if diff := cmp.Diff(sortStrings(want), sortStrings(have)); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

func TestTrimmedPayloadsImportWhatIsThere(t *testing.T) {
	// Shapes GitHub has sent since 2025-10-07: PushEvent without size,
	// distinct_size and commits; pull_request reduced to url, id, number,
	// head, base (no merged, no user); no author_association.
	lines := `{"id":"50000000001","type":"PushEvent","actor":{"id":7,"login":"ana"},"repo":{"id":100,"name":"aws/aws-cdk"},"payload":{"repository_id":100,"push_id":1,"ref":"refs/heads/main","head":"abc","before":"def"},"public":true,"created_at":"2025-10-08T10:00:00Z"}
{"id":"50000000002","type":"PullRequestEvent","actor":{"id":7,"login":"ana"},"repo":{"id":100,"name":"aws/aws-cdk"},"payload":{"action":"closed","number":42,"pull_request":{"url":"https://api.github.com/repos/aws/aws-cdk/pulls/42","id":9,"number":42,"head":{"ref":"x","sha":"a"},"base":{"ref":"main","sha":"b"}}},"public":true,"created_at":"2025-10-08T10:01:00Z"}
{"id":"50000000003","type":"PullRequestEvent","actor":{"id":8,"login":"bo"},"repo":{"id":100,"name":"aws/aws-cdk"},"payload":{"action":"opened","number":43,"pull_request":{"url":"u","id":10,"number":43,"head":{},"base":{}}},"public":true,"created_at":"2025-10-08T10:02:00Z"}
{"id":"50000000004","type":"IssuesEvent","actor":{"id":8,"login":"bo"},"repo":{"id":100,"name":"aws/aws-cdk"},"payload":{"action":"opened","issue":{"number":44}},"public":true,"created_at":"2025-10-08T10:03:00Z"}
{"id":"50000000005","type":"PullRequestReviewEvent","actor":{"id":8,"login":"bo"},"repo":{"id":100,"name":"aws/aws-cdk"},"payload":{"action":"created"},"public":true,"created_at":"2025-10-08T10:04:00Z"}
{"id":"50000000006","type":"IssueCommentEvent","actor":{"id":9},"repo":{"id":100,"name":"aws/aws-cdk"},"payload":{},"public":true,"created_at":"2025-10-08T10:05:00Z"}
`
	st, got := collect(t, []Input{bytesInput("trimmed.json", []byte(lines))}, Options{Selector: NewSelector(true, nil, nil)})
	if st.Events != 6 || st.Malformed != 0 {
		t.Fatalf("events %d malformed %d", st.Events, st.Malformed)
	}
	var kinds []string
	for _, c := range got {
		kinds = append(kinds, string(c.Kind)+" "+c.Key)
		if c.PR != nil {
			t.Errorf("%s %s: pull request facts %+v from a trimmed payload, which has none", c.Kind, c.Key, *c.PR)
		}
	}
	if diff := cmp.Diff([]string{"issue_opened 100#44", "pr_opened 100#43"}, sortStrings(kinds)); diff != "" {
		t.Errorf("contributions (-want +got):\n%s", diff)
	}
	wantSkips := map[string]int64{SkipTrimmedPush: 1, SkipTrimmedMerge: 1, SkipMissingField: 2}
	if diff := cmp.Diff(wantSkips, st.Skipped); diff != "" {
		t.Errorf("skips (-want +got):\n%s", diff)
	}
}

func TestMalformedLinesAreCountedNotFatal(t *testing.T) {
	good := `{"id":"1","type":"WatchEvent","actor":{"id":1,"login":"a"},"repo":{"id":2,"name":"o/r"},"payload":{"action":"started"},"created_at":"2020-01-01T00:00:00Z"}`
	data := strings.Join([]string{good, `{"id":"2","type":`, "", "not json", `{"id":"3","repo":{"id":"not a number"}}`, good}, "\n")
	st, got := collect(t, []Input{bytesInput("bad.json", []byte(data))}, Options{Selector: NewSelector(true, nil, nil)})
	if len(got) != 2 {
		t.Errorf("kept %d contributions, want the 2 good lines", len(got))
	}
	if st.Malformed != 3 {
		t.Fatalf("malformed = %d, want 3: %v", st.Malformed, st.MalformedSamples)
	}
	var lines []int64
	for _, e := range st.MalformedSamples {
		if e.Input != "bad.json" || !strings.HasPrefix(e.String(), "bad.json:") {
			t.Errorf("sample %q does not name the file", e)
		}
		lines = append(lines, e.Line)
	}
	if diff := cmp.Diff([]int64{2, 4, 5}, lines); diff != "" {
		t.Errorf("malformed line numbers (-want +got):\n%s", diff)
	}
}

func TestTruncatedGzipKeepsWhatWasRead(t *testing.T) {
	path := fixtures.Path(t, "gharchive/2015-01-01-12.json.gz")
	full, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	cut := filepath.Join(t.TempDir(), "cut.json.gz")
	if err := os.WriteFile(cut, full[:len(full)/2], 0o644); err != nil {
		t.Fatal(err)
	}
	st, got := collect(t, []Input{FileInput(cut), FileInput(path)}, Options{Selector: NewSelector(true, nil, nil)})
	if len(st.Broken) != 1 {
		t.Fatalf("broken = %v, want the cut file only", st.Broken)
	}
	msg := st.Broken[0].Error()
	for _, want := range []string{cut, "ends early", "after line", "compressed file"} {
		if !strings.Contains(msg, want) {
			t.Errorf("error %q does not say %q", msg, want)
		}
	}
	if st.Events <= 8273 || st.Events >= 2*8273 {
		t.Errorf("events = %d: want the whole second file plus part of the first", st.Events)
	}
	if len(got) == 0 {
		t.Error("nothing kept")
	}
}

func TestResolveAndFetchHourRange(t *testing.T) {
	var mu sync.Mutex
	var asked []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		asked = append(asked, r.URL.Path)
		mu.Unlock()
		if r.URL.Path == "/gh/2024-01-01-1.json.gz" {
			http.NotFound(w, r)
			return
		}
		zw := gzip.NewWriter(w)
		_, _ = zw.Write([]byte(`{"id":"1","type":"WatchEvent","actor":{"id":1,"login":"a"},"repo":{"id":2,"name":"o/r"},"payload":{"action":"started"},"created_at":"2024-01-01T00:00:00Z"}` + "\n"))
		_ = zw.Close()
	}))
	defer srv.Close()
	res := Resolver{BaseURL: srv.URL + "/gh", Client: srv.Client()}
	inputs, err := res.Resolve([]string{"2024-01-01-0..2024-01-01-2", "2023-12-31-23", srv.URL + "/other.json.gz"})
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, in := range inputs {
		names = append(names, strings.TrimPrefix(in.Name, srv.URL))
	}
	want := []string{"/gh/2024-01-01-0.json.gz", "/gh/2024-01-01-1.json.gz", "/gh/2024-01-01-2.json.gz", "/gh/2023-12-31-23.json.gz", "/other.json.gz"}
	if diff := cmp.Diff(want, names); diff != "" {
		t.Fatalf("inputs (-want +got):\n%s", diff)
	}
	st, got := collect(t, inputs, Options{Selector: NewSelector(true, nil, nil)})
	if len(got) != 4 || len(st.Broken) != 1 || !strings.Contains(st.Broken[0].Error(), "404") {
		t.Errorf("got %d contributions, broken %v; want 4 and the missing hour reported", len(got), st.Broken)
	}
}

func TestResolveRejectsBadArguments(t *testing.T) {
	for _, arg := range []string{"2024-01-02-0..2024-01-01-0", "2024-01-01-24..2024-01-02-0", "2024-13-01-0..2024-13-01-1", "no-such-file.json.gz"} {
		if _, err := (Resolver{}).Resolve([]string{arg}); err == nil {
			t.Errorf("Resolve(%q) succeeded", arg)
		}
	}
}

func TestSinkErrorStopsRead(t *testing.T) {
	path := fixtures.Path(t, "gharchive/2015-01-01-12.json.gz")
	calls := 0
	_, err := Read(context.Background(), []Input{FileInput(path), FileInput(path)}, Options{Selector: NewSelector(true, nil, nil), BatchSize: 100},
		func(context.Context, []contrib.Contribution) error {
			calls++
			return os.ErrClosed
		})
	if err == nil || !strings.Contains(err.Error(), "storing contributions") {
		t.Fatalf("err = %v, want the sink's error", err)
	}
	if calls != 1 {
		t.Errorf("sink called %d times after failing", calls)
	}
}

// What accounts did is given once per input, in order; when storing it
// fails, the import stops with that error, not the sink's cancellation.
func TestBehaviourPerInputAndItsError(t *testing.T) {
	path := fixtures.Path(t, "gharchive/2015-01-01-12.json.gz")
	var seen []string
	opts := Options{Selector: NewSelector(true, nil, nil), Behaviour: func(_ context.Context, input string, ev []bots.Evidence) error {
		seen = append(seen, input)
		if len(ev) == 0 {
			t.Errorf("%s: no account showed anything", input)
		}
		return nil
	}}
	if _, err := Read(context.Background(), []Input{FileInput(path), bytesInput("b.json", []byte(`{"id":"1","type":"PushEvent","actor":{"id":1,"login":"x-mirror-sync"},"repo":{"id":2,"name":"o/r"},"payload":{"commits":[]},"created_at":"2015-01-01T12:00:01Z"}`+"\n"))},
		opts, func(context.Context, []contrib.Contribution) error { return nil }); err != nil {
		t.Fatal(err)
	}
	if len(seen) != 2 || seen[0] != path || seen[1] != "b.json" {
		t.Errorf("behaviour given for %q, want each input once, in order", seen)
	}
	opts.Behaviour = func(context.Context, string, []bots.Evidence) error { return os.ErrPermission }
	_, err := Read(context.Background(), []Input{FileInput(path)}, opts, func(context.Context, []contrib.Contribution) error { return nil })
	if !errors.Is(err, os.ErrPermission) || !strings.Contains(err.Error(), "bot signals") {
		t.Errorf("err = %v, want the behaviour's error", err)
	}
}

// The GH Archive fields the bot signals read reach them: a comment made
// through a GitHub App, a payload user of type Bot, commits replicated
// from SVN.
func TestBehaviourReadsTheSignalsFields(t *testing.T) {
	lines := `{"id":"1","type":"IssueCommentEvent","actor":{"id":1,"login":"release-notes-helper"},"repo":{"id":2,"name":"o/r"},"payload":{"action":"created","issue":{"number":3},"comment":{"id":4,"body":"Draft updated","user":{"login":"release-notes-helper","type":"User"},"performed_via_github_app":{"slug":"release-drafter"}}},"created_at":"2021-01-01T12:10:00Z"}
{"id":"2","type":"IssueCommentEvent","actor":{"id":5,"login":"stale"},"repo":{"id":2,"name":"o/r"},"payload":{"action":"created","issue":{"number":3},"comment":{"id":6,"body":"This issue is stale","user":{"login":"stale","type":"Bot"}}},"created_at":"2021-01-01T12:11:00Z"}
{"id":"3","type":"PushEvent","actor":{"id":7,"login":"asf-copier"},"repo":{"id":2,"name":"o/r"},"payload":{"ref":"refs/heads/main","commits":[{"sha":"a","author":{"name":"Someone","email":"x@y"},"message":"Fix\n\ngit-svn-id: https://svn.apache.org/r@1 abc"}]},"created_at":"2021-01-01T12:12:00Z"}
`
	got := map[string]bots.Verdict{}
	opts := Options{Selector: NewSelector(true, nil, nil), Behaviour: func(_ context.Context, _ string, ev []bots.Evidence) error {
		for _, e := range ev {
			got[e.Login] = bots.Judge(e)
		}
		return nil
	}}
	if _, err := Read(context.Background(), []Input{bytesInput("s.json", []byte(lines))}, opts, func(context.Context, []contrib.Contribution) error { return nil }); err != nil {
		t.Fatal(err)
	}
	for login, want := range map[string]bots.Signal{"release-notes-helper": bots.SignalApp, "stale": bots.SignalTypeBot, "asf-copier": bots.SignalMirror} {
		if v := got[login]; !v.Bot || !slices.Contains(v.Because, want) {
			t.Errorf("%s: verdict %+v, want a bot because of %s", login, v, want)
		}
	}
}

// GH Archive's trimmed payloads (2025-10 on) list no commits and no
// titles: a person's pushes and pull requests there show no signal.
func TestTrimmedPayloadsShowNoBotSignal(t *testing.T) {
	var lines []string
	for i := 0; i < 4; i++ {
		lines = append(lines, fmt.Sprintf(`{"id":"%d","type":"PushEvent","actor":{"id":1,"login":"talbot"},"repo":{"id":2,"name":"o/r"},"payload":{"repository_id":2,"push_id":%d,"ref":"refs/heads/main","head":"a","before":"b"},"created_at":"2025-11-01T12:05:0%dZ"}`, i, i, i))
		lines = append(lines, fmt.Sprintf(`{"id":"p%d","type":"PullRequestEvent","actor":{"id":1,"login":"talbot"},"repo":{"id":2,"name":"o/r"},"payload":{"action":"opened","number":%d,"pull_request":{"number":%d}},"created_at":"2025-11-01T12:30:0%dZ"}`, i, i+1, i+1, i))
	}
	opts := Options{Selector: NewSelector(true, nil, nil), Behaviour: func(_ context.Context, _ string, ev []bots.Evidence) error {
		for _, e := range ev {
			if v := bots.Judge(e); v.Bot {
				t.Errorf("%s judged a bot from trimmed payloads: %+v", e.Login, v)
			}
		}
		return nil
	}}
	if _, err := Read(context.Background(), []Input{bytesInput("trimmed.json", []byte(strings.Join(lines, "\n")+"\n"))}, opts, func(context.Context, []contrib.Contribution) error { return nil }); err != nil {
		t.Fatal(err)
	}
}

// In Timeline events the actor has no id, so every user of such an event
// is identified by login: one person is one actor across kinds.
func TestTimelineUsersGetOneIDAcrossKinds(t *testing.T) {
	lines := `{"created_at":"2014-03-01T10:00:00-08:00","type":"PullRequestEvent","actor":"Ann","repository":{"id":5,"name":"r","owner":"o"},"payload":{"action":"opened","number":3,"pull_request":{"number":3,"user":{"id":77,"login":"Ann"}}}}
{"created_at":"2014-03-02T10:00:00-08:00","type":"PullRequestEvent","actor":"Bob","repository":{"id":5,"name":"r","owner":"o"},"payload":{"action":"closed","number":3,"pull_request":{"number":3,"merged":true,"merged_at":"2014-03-02T18:00:00Z","user":{"id":77,"login":"Ann"}}}}
{"created_at":"2014-03-03T10:00:00-08:00","type":"IssueCommentEvent","actor":"ann","repository":{"id":5,"name":"r","owner":"o"},"payload":{"action":"created","comment":{"id":9,"user":{"id":77,"login":"ann"}}}}
`
	_, got := collect(t, []Input{bytesInput("t.json", []byte(lines))}, Options{Selector: NewSelector(true, nil, nil)})
	if len(got) != 3 {
		t.Fatalf("got %d contributions, want 3", len(got))
	}
	for _, c := range got {
		if c.ActorID != contrib.LoginActorID("Ann") {
			t.Errorf("%s credited to id %d (%s), want the login-derived id of Ann", c.Kind, c.ActorID, c.ActorLogin)
		}
	}
}

func TestPathsWithDotDotAreFiles(t *testing.T) {
	dir := t.TempDir()
	if err := os.Mkdir(filepath.Join(dir, "sub"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "2015-01-01-12.json"), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	arg := dir + "/sub/../2015-01-01-12.json"
	inputs, err := (Resolver{}).Resolve([]string{arg})
	if err != nil || len(inputs) != 1 || inputs[0].Name != arg {
		t.Fatalf("Resolve(%q) = %v, %v; want the file", arg, inputs, err)
	}
}

// A file without newlines is stopped at MaxLineBytes, not read into memory.
func TestEndlessLineStopsTheInput(t *testing.T) {
	endless := Input{Name: "endless.json", Open: func(context.Context) (ioReadCloser, int64, error) {
		return nopCloser{io.LimitReader(repeatReader('x'), MaxLineBytes+(8<<20))}, -1, nil
	}}
	st, got := collect(t, []Input{endless}, Options{Selector: NewSelector(true, nil, nil)})
	if len(got) != 0 || len(st.Broken) != 1 || !strings.Contains(st.Broken[0].Error(), "longer than") {
		t.Fatalf("broken = %v, contributions %d", st.Broken, len(got))
	}
}

func TestCancelledImportSaysSo(t *testing.T) {
	path := fixtures.Path(t, "gharchive/2015-01-01-12.json.gz")
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	_, err := Read(ctx, []Input{FileInput(path), FileInput(path)}, Options{Selector: NewSelector(true, nil, nil), BatchSize: 100},
		func(context.Context, []contrib.Contribution) error { cancel(); return nil })
	if err == nil || !strings.Contains(err.Error(), "interrupted") || strings.Contains(err.Error(), "storing") {
		t.Fatalf("err = %v, want an interruption, not a storage failure", err)
	}
}

func TestMalformedSamplesAreTheFirstLines(t *testing.T) {
	good := `{"id":"1","type":"WatchEvent","actor":{"id":1,"login":"a"},"repo":{"id":2,"name":"o/r"},"payload":{"action":"started"},"created_at":"2020-01-01T00:00:00Z"}`
	var lines []string
	for i := 0; i < 400; i++ {
		if i%40 == 7 {
			lines = append(lines, "{broken")
		} else {
			lines = append(lines, good)
		}
	}
	st, _ := collect(t, []Input{bytesInput("m.json", []byte(strings.Join(lines, "\n")))},
		Options{Selector: NewSelector(true, nil, nil), BlockSize: 2048, Workers: 4})
	var got []int64
	for _, e := range st.MalformedSamples {
		got = append(got, e.Line)
	}
	if st.Malformed != 10 || !cmp.Equal(got, []int64{8, 48, 88, 128, 168}) {
		t.Errorf("malformed %d, samples at lines %v; want 10 and the first five (8, 48, 88, 128, 168)", st.Malformed, got)
	}
}
