package contrib

import "slices"

// Kind is what a contribution (or project signal) is. The names are a
// public contract: dashboards, reports, the API and tests rely on them.
type Kind string

// The contribution kinds, and the two project signals that are stored but
// are not contributions.
const (
	Commit          Kind = "commit"
	PROpened        Kind = "pr_opened"
	PRMerged        Kind = "pr_merged"
	PRClosed        Kind = "pr_closed"
	PRReview        Kind = "pr_review"
	PRReviewComment Kind = "pr_review_comment"
	IssueOpened     Kind = "issue_opened"
	IssueClosed     Kind = "issue_closed"
	IssueComment    Kind = "issue_comment"
	CommitComment   Kind = "commit_comment"
	Release         Kind = "release"
	Star            Kind = "star"
	Fork            Kind = "fork"
)

// KindInfo is everything contribtrack says about one kind, in one place
// (KindTable). Kinds, the score's defaults, the listings' headers and the
// reports' labels and chart groups come from it, and the dashboards'
// kind lists through the view scoring_weights; the reports' JSON Schema
// and the dashboards' columns per kind are checked against it; the
// schema's enum and the rollups' counts follow its order.
type KindInfo struct {
	Kind Kind
	// Contribution: it counts towards leaderboards (stars and forks are
	// project signals, stored but not counted).
	Contribution bool
	// Weight is the default score of one (scoring.weights overrides it).
	Weight float64
	// Credited says whose contribution it is (the vocabulary's rule).
	Credited string
	// Label names it for people (reports); Short heads its column on a
	// narrow terminal.
	Label, Short string
	// Group is the stack of the reports' activity chart it falls in.
	Group string
}

// KindTable lists every kind in its stored order: the Enum8 values of the
// schema follow this order starting at 1, and the rollups' counts are in
// it. A new kind goes at the end.
func KindTable() []KindInfo { return slices.Clone(kindTable) }

// kindTable is KindTable's table, built once; it is never written.
var kindTable = append(baseKinds, testKinds...)

// baseKinds are the kinds of every build; testKinds (kinds_test_build.go)
// are added only by the test build that shows a new kind flowing to the
// leaderboards (go test -tags kindtest), and are empty otherwise.
var baseKinds = []KindInfo{
	{Commit, true, 1, "the commit's author (the account GitHub links, else an identity from the author email)", "Commits", "cmt", "Code"},
	{PROpened, true, 2, "the pull request's author", "PRs opened", "pr_op", "Pull requests"},
	{PRMerged, true, 3, "the pull request's author, at merge time", "PRs merged", "pr_mg", "Pull requests"},
	{PRClosed, true, 1, "whoever closed the pull request unmerged", "PRs closed", "pr_cl", "Pull requests"},
	{PRReview, true, 2, "the review's author", "Reviews", "rev", "Reviews"},
	{PRReviewComment, true, 1, "the comment's author", "Review comments", "rev_cm", "Reviews"},
	{IssueOpened, true, 1, "the issue's author", "Issues opened", "is_op", "Issues"},
	{IssueClosed, true, 1, "whoever closed the issue", "Issues closed", "is_cl", "Issues"},
	{IssueComment, true, 1, "the comment's author", "Issue comments", "is_cm", "Comments & releases"},
	{CommitComment, true, 1, "the comment's author", "Commit comments", "cmt_cm", "Comments & releases"},
	{Release, true, 2, "the release's author", "Releases", "rel", "Comments & releases"},
	{Star, false, 0, "the account that starred", "Stars", "star", ""},
	{Fork, false, 0, "the account that forked", "Forks", "fork", ""},
}

// Info returns what the table says about k (ok false: no such kind).
func Info(k Kind) (KindInfo, bool) {
	for _, i := range kindTable {
		if i.Kind == k {
			return i, true
		}
	}
	return KindInfo{}, false
}

// DefaultWeights returns every kind's default weight (a new map each
// call: callers may change it).
func DefaultWeights() map[Kind]float64 {
	out := map[Kind]float64{}
	for _, i := range kindTable {
		out[i.Kind] = i.Weight
	}
	return out
}

// kindsOf returns the table's kinds, those that count as contributions
// only when contributions is set.
func kindsOf(table []KindInfo, contributions bool) []Kind {
	var out []Kind
	for _, i := range table {
		if i.Contribution || !contributions {
			out = append(out, i.Kind)
		}
	}
	return out
}
