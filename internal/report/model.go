package report

import (
	"time"
)

// Report is a contributor report. Its JSON form is documented by
// schema.json and docs/reports.md.
type Report struct {
	Schema string `json:"$schema"`
	Title  string `json:"title"`
	Scope  struct {
		Kind string `json:"kind"` // all, org, repo, program or member
		Name string `json:"name"` // "" for all
	} `json:"scope"`
	From        string    `json:"from"`     // first day, YYYY-MM-DD
	To          string    `json:"to"`       // the day after the last, YYYY-MM-DD
	LastDay     string    `json:"last_day"` // the last day, YYYY-MM-DD
	GeneratedAt time.Time `json:"generated_at"`
	// Kinds are the contribution kinds, in the order of the counts'
	// columns; Weights their weights in the score.
	Kinds   []string           `json:"kinds"`
	Weights map[string]float64 `json:"weights"`

	Summary      Summary       `json:"summary"`
	Contributors []Contributor `json:"contributors"`
	TopReviewers []Reviewer    `json:"top_reviewers"`
	// Welcome lists the first-time contributors, by score.
	Welcome      []Person     `json:"welcome"`
	Repositories []Repository `json:"repositories"`
	Activity     Activity     `json:"activity"`
	// Profile is the scoring profile the scores follow (activity or
	// accepted, docs/scoring.md).
	Profile string `json:"profile"`
	// Flagged lists, per person, the items the accepted profile marks as
	// spam, for a program manager to check (empty under activity).
	Flagged []FlaggedPerson `json:"flagged"`
	// Notes say what the numbers leave out or could not measure.
	Notes []string `json:"notes"`
}

// Summary is the period's numbers.
type Summary struct {
	Contributions         uint64            `json:"contributions"`
	ByKind                map[string]uint64 `json:"by_kind"`
	ActiveContributors    int               `json:"active_contributors"`
	NewContributors       int               `json:"new_contributors"`
	ReturningContributors int               `json:"returning_contributors"`
	PullRequestsMerged    uint64            `json:"pull_requests_merged"`
	// Medians in seconds; null where nothing was measured, or for scopes
	// of people (a program, a member), where they do not apply.
	MedianTimeToMergeSeconds                    *float64 `json:"median_time_to_merge_seconds"`
	MedianTimeToFirstResponseIssuesSeconds      *float64 `json:"median_time_to_first_response_issues_seconds"`
	MedianTimeToFirstResponsePullRequestSeconds *float64 `json:"median_time_to_first_response_pull_requests_seconds"`
	// CommunityShare is the part of the contributions made by community
	// members rather than vendor staff or others (0..1; null without a
	// roster, where nobody is known to be either, and in a member's
	// report, about one person).
	CommunityShare *float64 `json:"community_share"`
	// Completeness is the stored contributions against the totals GitHub
	// reported at the last sync, over the scope's synced repositories
	// (null when none has been synced through the API).
	Completeness *float64 `json:"completeness"`
	// LastSync is the oldest of the scope's repositories' last successful
	// syncs: every one was in sync at or after it (null: none synced).
	LastSync           *time.Time `json:"last_sync"`
	RepositoriesSynced int        `json:"repositories_synced"`
	// Bots are left out; these are their contributions and accounts.
	BotContributions uint64 `json:"bot_contributions"`
	BotAccounts      uint64 `json:"bot_accounts"`
	// Truncated is true when more people contributed than a report lists.
	Truncated bool `json:"truncated"`
}

// Person is someone a report names.
type Person struct {
	Login string `json:"login"`          // as shown: a member's roster login, "(hidden)" for an opt-out
	Name  string `json:"name,omitempty"` // a member's display name
	URL   string `json:"url,omitempty"`  // their GitHub profile (none for hidden or email-only identities)
}

// Contributor is one line of the contributors table.
type Contributor struct {
	Rank int `json:"rank"`
	Person
	Score         float64           `json:"score"`
	Contributions uint64            `json:"contributions"`
	Counts        map[string]uint64 `json:"counts"`
	Programs      []string          `json:"programs"`   // roster programs held in the period
	FirstTime     bool              `json:"first_time"` // first contribution to the scope in this period
}

// Reviewer is one of the top reviewers.
type Reviewer struct {
	Person
	Reviews        uint64 `json:"reviews"`
	ReviewComments uint64 `json:"review_comments"`
}

// Repository is one repository's part of the period.
type Repository struct {
	Name          string `json:"name"`
	Contributions uint64 `json:"contributions"`
	Contributors  uint64 `json:"contributors"`
}

// Activity is the period cut into buckets of one unit (day, week from
// Monday, month or year; the first and last clipped to the period), every
// bucket listed.
type Activity struct {
	Unit    string           `json:"unit"`
	Buckets []ActivityBucket `json:"buckets"`
}

// ActivityBucket is one bucket of activity.
type ActivityBucket struct {
	Start         string            `json:"start"` // first day, YYYY-MM-DD
	Contributions uint64            `json:"contributions"`
	Contributors  uint64            `json:"contributors"`
	Counts        map[string]uint64 `json:"counts"`
}

// FlaggedPerson is one person's items marked as spam, most items first.
type FlaggedPerson struct {
	Person
	Items []FlaggedItem `json:"items"`
}

// FlaggedItem is one contribution marked as spam, and the rule that
// marked it.
type FlaggedItem struct {
	At         time.Time `json:"at"`
	Kind       string    `json:"kind"`
	Repository string    `json:"repository"`
	Number     int64     `json:"number"`
	Title      string    `json:"title"`
	URL        string    `json:"url"` // the pull request on GitHub ("" when not known)
	Rule       string    `json:"rule"`
	Why        string    `json:"why"`
}
