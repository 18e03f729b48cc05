package gharchive

import (
	"bufio"
	"bytes"
	"context"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"contribtrack/internal/contrib"
	"contribtrack/internal/testing/fixtures"
)

// Fuzz targets of the GH Archive line decoder (issue 16). Run one with
//
//	go test -run '^$' -fuzz '^FuzzDecodeLine$' -fuzztime 10s ./internal/gharchive
//
// or every target of the project with scripts/fuzz.sh. Their seeds (f.Add,
// and any input a run found failing, under testdata/fuzz/FuzzXxx) run with
// the ordinary tests.

// fuzzPrefixes are well-formed lines of both formats that fill most of the
// decoder's scratch space: a line decoded after one of them must come out as
// it does alone.
var fuzzPrefixes = []string{
	`{"id":"1","type":"PullRequestEvent","actor":{"id":7,"login":"closer"},"repo":{"id":42,"name":"aws/aws-cdk"},"payload":{"action":"closed","number":9,"pull_request":{"number":9,"merged":true,"merged_at":"2024-01-02T03:04:05Z","user":{"id":8,"login":"author"},"base":{"repo":{"id":42,"default_branch":"main"}}},"issue":{"number":9},"comment":{"id":5,"user":{"id":9,"login":"c"}},"review":{"id":6,"submitted_at":"2024-01-02T03:04:05Z"},"release":{"id":3,"author":{"id":1,"login":"r"}},"commits":[{"sha":"abc","author":{"email":"a@example.com"},"distinct":true}],"size":3,"ref":"refs/heads/main","forkee":{"id":43,"default_branch":"trunk"}},"created_at":"2024-01-02T03:04:05Z"}`,
	`{"created_at":"2013-05-01T10:00:00-07:00","type":"PushEvent","actor":"tl-user","actor_attributes":{"login":"tl-user"},"repository":{"id":77,"name":"proj","owner":"someorg","master_branch":"master"},"payload":{"shas":[["0123abcd","dev@example.org","msg","Dev",true]],"size":1,"ref":"refs/heads/master","number":4,"comment_id":11}}`,
}

// fuzzSeedLines are synthetic lines for when ../shared/fixtures is absent,
// and edge cases the real lines do not cover.
var fuzzSeedLines = []string{
	`{"id":"2","type":"IssuesEvent","actor":{"id":1,"login":"ana"},"repo":{"id":5,"name":"aws/x"},"payload":{"action":"opened","issue":{"number":3}},"created_at":"2024-05-01T00:00:00Z"}`,
	`{"id":"3","type":"PushEvent","actor":{"id":1,"login":"ana"},"repo":{"id":5,"name":"aws/x"},"payload":{"ref":"refs/heads/main","size":2,"commits":[{"sha":"s1","author":{"email":"ana@example.com"},"distinct":true},{"sha":"s2","author":{"email":""}}]},"created_at":"2024-05-01T00:00:00Z"}`,
	`{"id":"4","type":"WatchEvent","actor":{"id":1,"login":"ana"},"repo":{"id":5,"name":"aws/x"},"payload":{"action":"started"},"created_at":"2024-05-01T00:00:00+02:00"}`,
	`{"created_at":"2012-03-10T22:58:16-08:00","type":"IssueCommentEvent","actor":"bob","repository":{"id":9,"name":"r","owner":"o"},"payload":{"comment_id":17,"issue_id":99}}{"created_at":"2012-03-10T22:58:17-08:00","type":"WatchEvent","actor":"bob","repository":{"id":9,"name":"r","owner":"o"},"payload":{"action":"started"}}`,
	`{"id":"5","type":"ReleaseEvent","actor":{"login":"rel"},"repo":{"id":5,"name":"aws/x"},"payload":{"action":"published","release":{"id":8}},"created_at":"not a time"}`,
	`{"id":`,
	`[1,2,3]`,
	"\x00\xff{}",
	`{"id":"6","type":"PullRequestEvent","repo":{"id":5,"name":"noslash"},"actor":{"id":2},"payload":{"action":"closed","pull_request":{"number":1,"merged":false}},"created_at":"2024-05-01T00:00:00Z"}`,
}

// addGHArchiveSeeds adds a few real lines from ../shared/fixtures (read in
// place, at setup, when present): the shortest line of each tracked event
// type in each format.
func addGHArchiveSeeds(f *testing.F, add func(string)) {
	for _, s := range fuzzSeedLines {
		add(s)
	}
	p := filepath.Join(fixtures.Root(), "gharchive", "gofaster-sample.small.2014-2021.jsonl")
	file, err := os.Open(p)
	if err != nil {
		return
	}
	defer file.Close()
	shortest := map[string]string{}
	sc := bufio.NewScanner(file)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		line := sc.Text()
		var d decoder
		var ev event
		if d.decode([]byte(line), &ev) != nil || !tracked(ev.Type) {
			continue
		}
		k := ev.Type
		if ev.Timeline {
			k += "/timeline"
		}
		if old, ok := shortest[k]; !ok || len(line) < len(old) {
			shortest[k] = line
		}
	}
	for _, line := range shortest {
		add(line)
	}
}

// decodeAll decodes data as one block the way Read's workers do, keeping
// every contribution and every push's commits.
func decodeAll(data []byte) decoded {
	return decodeBlock(block{data: data, firstLine: 1}, "fuzz.json", NewSelector(true, nil, nil), nil, true)
}

// checkContribution states what every decoded contribution must be.
func checkContribution(t *testing.T, c contrib.Contribution) {
	t.Helper()
	switch {
	case !c.Kind.Valid():
		t.Fatalf("unknown kind %q: %+v", c.Kind, c)
	case c.Key == "":
		t.Fatalf("no natural key: %+v", c)
	case c.RepoName == "":
		t.Fatalf("no repository: %+v", c)
	case c.Via != contrib.ViaGHArchive:
		t.Fatalf("source %q: %+v", c.Via, c)
	case c.CreatedAt.IsZero() || c.CreatedAt.Location() != time.UTC:
		t.Fatalf("time %v is not a UTC time: %+v", c.CreatedAt, c)
	case c.ActorID == 0:
		t.Fatalf("no actor: %+v", c)
	case c.Kind == contrib.Commit && (c.ActorLogin != "" || !contrib.IsEmailActor(c.ActorID)):
		t.Fatalf("a GH Archive commit is credited to an email identity only: %+v", c)
	case c.Kind != contrib.Commit && c.EmailDomain != "":
		t.Fatalf("an email domain on a %s: %+v", c.Kind, c)
	case strings.Contains(c.EmailDomain, "@"):
		t.Fatalf("email domain %q holds an address", c.EmailDomain)
	}
}

// FuzzDecodeLine feeds arbitrary bytes to the line decoder and normaliser.
// Properties: no panic; a line is either events or one malformed-line error
// that names its line and fits on one line; every contribution is complete
// (valid kind, key, repository, UTC time, actor; commits only by email
// identity); and decoding does not depend on what the decoder's reused
// scratch space held before (a line decoded after another comes out as it
// does alone).
func FuzzDecodeLine(f *testing.F) {
	addGHArchiveSeeds(f, func(s string) { f.Add([]byte(s)) })
	f.Fuzz(func(t *testing.T, line []byte) {
		alone := decodeAll(line)
		lines := 0
		for _, l := range bytes.Split(line, []byte("\n")) {
			if len(bytes.TrimSpace(l)) > 0 {
				lines++
			}
		}
		if alone.stats.Malformed > int64(lines) {
			t.Fatalf("%d malformed of %d lines", alone.stats.Malformed, lines)
		}
		if lines == 1 && alone.stats.Malformed == 1 && (alone.stats.Events != 0 || len(alone.contribs)+len(alone.commits) != 0) {
			t.Fatalf("a malformed line counted %d events, %d contributions", alone.stats.Events, len(alone.contribs)+len(alone.commits))
		}
		for _, s := range alone.stats.MalformedSamples {
			if s.Line < 1 || s.Line > int64(bytes.Count(line, []byte("\n"))+1) || s.Input != "fuzz.json" {
				t.Fatalf("sample names %s:%d", s.Input, s.Line)
			}
			if !strings.HasPrefix(s.Err, "malformed JSON: ") || strings.ContainsAny(s.Err, "\n\r") || len(s.Err) > 200 {
				t.Fatalf("malformed-line error is not one short line: %q", s.Err)
			}
		}
		for _, c := range alone.contribs {
			checkContribution(t, c)
			if c.Kind == contrib.Commit {
				t.Fatalf("a commit outside a push note: %+v", c)
			}
		}
		for _, c := range alone.commits {
			checkContribution(t, c)
			if c.Kind != contrib.Commit {
				t.Fatalf("a push gave a %s: %+v", c.Kind, c)
			}
		}
		for _, n := range alone.notes {
			if n.repoID == 0 || n.lo > n.hi || int(n.hi) > len(alone.commits) {
				t.Fatalf("bad branch note %+v (%d commits)", n, len(alone.commits))
			}
		}
		if lines == 0 {
			return
		}
		for _, p := range fuzzPrefixes {
			before := decodeAll([]byte(p))
			after := decodeAll([]byte(p + "\n" + string(line)))
			if diff := cmp.Diff(append(before.contribs, alone.contribs...), after.contribs); diff != "" {
				t.Fatalf("decoded after %.40s... the line gives other contributions (-alone +after):\n%s", p, diff)
			}
			if diff := cmp.Diff(append(before.commits, alone.commits...), after.commits); diff != "" {
				t.Fatalf("decoded after %.40s... the line gives other commits (-alone +after):\n%s", p, diff)
			}
			if after.stats.Events != before.stats.Events+alone.stats.Events || after.stats.Malformed != alone.stats.Malformed {
				t.Fatalf("decoded after %.40s... the line counts %d events, %d malformed; alone %d, %d",
					p, after.stats.Events-before.stats.Events, after.stats.Malformed, alone.stats.Events, alone.stats.Malformed)
			}
		}
	})
}

// readAll runs data through Read as one plain (or gzip) input.
func readAll(t *testing.T, data []byte, blockSize, workers int) ([]contrib.Contribution, Stats) {
	t.Helper()
	in := Input{Name: "fuzz.json", Open: func(context.Context) (io.ReadCloser, int64, error) {
		return io.NopCloser(bytes.NewReader(data)), int64(len(data)), nil
	}}
	var got []contrib.Contribution
	st, err := Read(context.Background(), []Input{in}, Options{
		Selector: NewSelector(true, nil, nil), BlockSize: blockSize, Workers: workers, BatchSize: 7,
	}, func(_ context.Context, b []contrib.Contribution) error {
		got = append(got, b...)
		return nil
	})
	if err != nil {
		t.Fatalf("Read failed on a readable input: %v", err)
	}
	return got, st
}

// FuzzRead feeds arbitrary bytes to the whole reader: blocks, parallel
// decoding, the in-order merge and the default-branch bookkeeping.
// Properties: no panic, no error (a bad line is counted, not fatal), every
// contribution complete, and the result the same whether the input is cut
// into tiny blocks decoded by several workers or read as one block (in
// another order: a block's pushes are decided after its other events).
func FuzzRead(f *testing.F) {
	addGHArchiveSeeds(f, func(s string) { f.Add([]byte(s)) })
	f.Add([]byte(strings.Join(fuzzPrefixes, "\n") + "\n" + strings.Join(fuzzSeedLines, "\n")))
	f.Add([]byte(fuzzSeedLines[1] + "\n" + `{"id":"9","type":"CreateEvent","actor":{"id":1,"login":"ana"},"repo":{"id":5,"name":"aws/x"},"payload":{"ref_type":"repository","master_branch":"main"},"created_at":"2024-05-01T00:00:00Z"}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		whole, wst := readAll(t, data, 1<<20, 1)
		for _, c := range whole {
			checkContribution(t, c)
		}
		if wst.Malformed < int64(len(wst.MalformedSamples)) || len(wst.MalformedSamples) > maxSamples {
			t.Fatalf("%d malformed lines, %d samples", wst.Malformed, len(wst.MalformedSamples))
		}
		if bytes.HasPrefix(data, []byte{0x1f, 0x8b}) {
			return // a gzip stream: its blocks are of what it decompresses to
		}
		cut, cst := readAll(t, data, 64, 3)
		// Blocks change the order in which pushes' commits are decided, not
		// which are.
		byKey := cmpopts.SortSlices(func(a, b contrib.Contribution) bool {
			if a.Kind != b.Kind || a.Key != b.Key {
				return a.Kind < b.Kind || a.Kind == b.Kind && a.Key < b.Key
			}
			if !a.CreatedAt.Equal(b.CreatedAt) {
				return a.CreatedAt.Before(b.CreatedAt)
			}
			return a.ActorID < b.ActorID
		})
		if diff := cmp.Diff(whole, cut, byKey); diff != "" {
			t.Fatalf("cut into 64-byte blocks, the input gives other contributions (-whole +cut):\n%s", diff)
		}
		if cst.Events != wst.Events || cst.Malformed != wst.Malformed {
			t.Fatalf("cut into blocks: %d events, %d malformed; whole: %d, %d", cst.Events, cst.Malformed, wst.Events, wst.Malformed)
		}
	})
}
