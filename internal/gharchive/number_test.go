package gharchive

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"contribtrack/internal/contrib"
	"contribtrack/internal/testing/fixtures"
)

// ownNumber are the kinds whose number is their own (it is in their key).
var ownNumber = map[contrib.Kind]bool{contrib.PROpened: true, contrib.PRMerged: true, contrib.PRClosed: true,
	contrib.IssueOpened: true, contrib.IssueClosed: true}

// parentNumber are the kinds whose number is their issue's or pull request's.
var parentNumber = map[contrib.Kind]bool{contrib.PRReview: true, contrib.PRReviewComment: true, contrib.IssueComment: true}

// checkNumber reports what is wrong with c.Number, if anything, for kinds
// that always have one.
func checkNumber(c contrib.Contribution) string {
	switch {
	case ownNumber[c.Kind] && c.Key != contrib.KeyForNumber(c.RepoID, c.Number):
		return "number not the one in its key"
	case parentNumber[c.Kind] && c.Number <= 0:
		return "no number"
	case !ownNumber[c.Kind] && !parentNumber[c.Kind] && c.Number != 0:
		return "a number on a kind that has none"
	}
	return ""
}

// Every contribution of the real hour that belongs to an issue or pull
// request has its number, the same as read independently from the file.
func TestFixtureHourNumbers(t *testing.T) {
	path := fixtures.Path(t, "gharchive/2015-01-01-12.json.gz")
	exp := fixtures.ExpectedFromGHArchive(t, path)
	_, got := collect(t, []Input{FileInput(path)}, Options{Selector: NewSelector(true, nil, nil)})
	numbered := map[contrib.Kind]int{}
	byKey := map[string]int64{}
	for _, c := range got {
		if msg := checkNumber(c); msg != "" {
			t.Errorf("%s %s in %s: %s (%d)", c.Kind, c.Key, c.RepoName, msg, c.Number)
		}
		if ownNumber[c.Kind] || parentNumber[c.Kind] {
			numbered[c.Kind]++
			byKey[string(c.Kind)+"/"+c.Key] = c.Number
		}
	}
	// The hour has no PullRequestReviewEvent (they start in 2020).
	for _, k := range []contrib.Kind{contrib.PROpened, contrib.PRMerged, contrib.PRClosed, contrib.PRReviewComment,
		contrib.IssueOpened, contrib.IssueClosed, contrib.IssueComment} {
		if numbered[k] == 0 {
			t.Errorf("no %s in the hour: its numbers go unchecked", k)
		}
	}
	if diff := cmp.Diff(exp.Numbers, byKey); diff != "" {
		t.Errorf("numbers by kind/key (-independent +importer):\n%s", diff)
	}
	// Known events: a comment on bitcoin/secp256k1 pull request 177's
	// conversation (event 2489582739) and a diff comment on
	// scikit-learn/scikit-learn pull request 3907 (event 2489583099).
	for key, want := range map[string]int64{"issue_comment/68485196": 177, "pr_review_comment/22399287": 3907} {
		if n, ok := byKey[key]; !ok || n != want {
			t.Errorf("%s: number %d (found %v), want %d", key, n, ok, want)
		}
	}
}

// Numbers in every format the importer reads: Timeline (2011-2014), the
// Events API, and the trimmed payloads of 2025-10 on.
func TestNumbersInEveryFormat(t *testing.T) {
	lines := strings.Join([]string{
		// Timeline.
		`{"created_at":"2014-02-01T00:00:00-08:00","payload":{"action":"opened","issue":77,"number":9},"type":"IssuesEvent","actor":"Zed","repository":{"id":5,"name":"r","owner":"o"}}`,
		`{"created_at":"2014-02-01T00:01:00-08:00","payload":{"action":"opened","number":10,"pull_request":{"number":10,"user":{"login":"Zed"}}},"type":"PullRequestEvent","actor":"Zed","repository":{"id":5,"name":"r","owner":"o"}}`,
		`{"created_at":"2014-02-01T00:02:00-08:00","payload":{"action":"created","comment":{"id":501,"pull_request_url":"https://api.github.com/repos/o/r/pulls/10","user":{"login":"Amy"}},"pull_request":{"number":10}},"type":"PullRequestReviewCommentEvent","actor":"Amy","repository":{"id":5,"name":"r","owner":"o"}}`,
		`{"created_at":"2014-02-01T00:03:00-08:00","payload":{"issue_id":77,"comment_id":502},"type":"IssueCommentEvent","actor":"Amy","repository":{"id":5,"name":"r","owner":"o"}}`,
		// Events API.
		`{"id":"11","type":"IssuesEvent","actor":{"id":7,"login":"ana"},"repo":{"id":100,"name":"aws/x"},"payload":{"action":"closed","issue":{"number":21}},"created_at":"2020-08-01T10:00:00Z"}`,
		`{"id":"12","type":"IssueCommentEvent","actor":{"id":8,"login":"bo"},"repo":{"id":100,"name":"aws/x"},"payload":{"action":"created","issue":{"number":22,"pull_request":{"url":"u"}},"comment":{"id":601,"user":{"id":8,"login":"bo"}}},"created_at":"2020-08-01T10:01:00Z"}`,
		`{"id":"13","type":"PullRequestEvent","actor":{"id":9,"login":"cy"},"repo":{"id":100,"name":"aws/x"},"payload":{"action":"closed","number":22,"pull_request":{"number":22,"merged":true,"merged_at":"2020-08-01T10:02:00Z","user":{"id":7,"login":"ana"}}},"created_at":"2020-08-01T10:02:00Z"}`,
		`{"id":"14","type":"PullRequestEvent","actor":{"id":9,"login":"cy"},"repo":{"id":100,"name":"aws/x"},"payload":{"action":"closed","number":23,"pull_request":{"number":23,"merged":false,"user":{"id":7,"login":"ana"}}},"created_at":"2020-08-01T10:03:00Z"}`,
		`{"id":"15","type":"PullRequestReviewEvent","actor":{"id":9,"login":"cy"},"repo":{"id":100,"name":"aws/x"},"payload":{"action":"created","review":{"id":701,"user":{"id":9,"login":"cy"},"submitted_at":"2020-08-01T10:04:00Z"},"pull_request":{"number":22}},"created_at":"2020-08-01T10:04:00Z"}`,
		`{"id":"16","type":"PullRequestReviewCommentEvent","actor":{"id":9,"login":"cy"},"repo":{"id":100,"name":"aws/x"},"payload":{"action":"created","comment":{"id":801,"user":{"id":9,"login":"cy"}},"pull_request":{"number":22}},"created_at":"2020-08-01T10:05:00Z"}`,
		`{"id":"17","type":"CommitCommentEvent","actor":{"id":9,"login":"cy"},"repo":{"id":100,"name":"aws/x"},"payload":{"comment":{"id":901,"user":{"id":9,"login":"cy"}}},"created_at":"2020-08-01T10:06:00Z"}`,
		`{"id":"18","type":"ReleaseEvent","actor":{"id":9,"login":"cy"},"repo":{"id":100,"name":"aws/x"},"payload":{"action":"published","release":{"id":902,"author":{"id":9,"login":"cy"}}},"created_at":"2020-08-01T10:07:00Z"}`,
		// Trimmed (2025-10 on): pull_request keeps url, id, number, head, base.
		`{"id":"21","type":"PullRequestEvent","actor":{"id":7,"login":"ana"},"repo":{"id":100,"name":"aws/x"},"payload":{"action":"opened","pull_request":{"url":"u","id":1,"number":31,"head":{},"base":{}}},"public":true,"created_at":"2025-10-08T10:00:00Z"}`,
		`{"id":"22","type":"PullRequestReviewEvent","actor":{"id":8,"login":"bo"},"repo":{"id":100,"name":"aws/x"},"payload":{"action":"created","review":{"id":1001,"user":{"id":8,"login":"bo"}},"pull_request":{"url":"u","id":1,"number":31,"head":{},"base":{}}},"public":true,"created_at":"2025-10-08T10:01:00Z"}`,
		`{"id":"23","type":"IssueCommentEvent","actor":{"id":8,"login":"bo"},"repo":{"id":100,"name":"aws/x"},"payload":{"action":"created","issue":{"number":31},"comment":{"id":1002,"user":{"id":8,"login":"bo"}}},"public":true,"created_at":"2025-10-08T10:02:00Z"}`,
	}, "\n")
	_, got := collect(t, []Input{bytesInput("formats.json", []byte(lines))}, Options{Selector: NewSelector(true, nil, nil)})
	have := map[string]int64{}
	for _, c := range got {
		have[string(c.Kind)+"/"+c.Key] = c.Number
	}
	want := map[string]int64{
		"issue_opened/5#9": 9, "pr_opened/5#10": 10, "pr_review_comment/501": 10,
		"issue_comment/502":   0, // Timeline comments name the issue by id only
		"issue_closed/100#21": 21, "issue_comment/601": 22, "pr_merged/100#22": 22, "pr_closed/100#23": 23,
		"pr_review/701": 22, "pr_review_comment/801": 22, "commit_comment/901": 0, "release/902": 0,
		"pr_opened/100#31": 31, "pr_review/1001": 31, "issue_comment/1002": 31,
	}
	if diff := cmp.Diff(want, have); diff != "" {
		t.Errorf("numbers by kind/key (-want +got):\n%s", diff)
	}
}

// The sample across 2014-2021: every contribution that belongs to an issue
// or pull request has its number, except Timeline issue comments.
func TestSampleYearsNumbers(t *testing.T) {
	path := fixtures.Path(t, "gharchive/gofaster-sample.small.2014-2021.jsonl")
	_, got := collect(t, []Input{FileInput(path)}, Options{Selector: NewSelector(true, nil, nil)})
	reviews := 0
	for _, c := range got {
		if c.Kind == contrib.IssueComment && c.CreatedAt.Year() < 2015 {
			continue // Timeline: {issue_id, comment_id} only
		}
		if msg := checkNumber(c); msg != "" {
			t.Errorf("%s %s in %s at %s: %s (%d)", c.Kind, c.Key, c.RepoName, c.CreatedAt, msg, c.Number)
		}
		if c.Kind == contrib.PRReview && c.Number > 0 {
			reviews++
		}
	}
	if reviews != 12 {
		t.Errorf("%d pr_review with a number, want 12 (every PullRequestReviewEvent)", reviews)
	}
}
