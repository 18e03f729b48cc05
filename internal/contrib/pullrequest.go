package contrib

import (
	"slices"
	"strings"
	"time"
)

// PullRequest is what a source saw of a pull request along with a
// sighting of one of its contributions (pr_opened, pr_merged, pr_closed):
// the facts that acceptance-based scoring reads (docs/scoring.md). The
// store keeps one row per pull request, the latest observation winning
// (API over GH Archive at the same time).
type PullRequest struct {
	// ObservedAt is when the facts held: an event's time (GH Archive), or
	// the pull request's last update when the API listed it.
	ObservedAt time.Time
	OpenedAt   time.Time // when it was opened (zero: not said)
	AuthorID   uint64    // the pull request's author (of pr_merged and pr_closed too)
	// AuthorType is the author account's type as the source says it:
	// "Bot" for a GitHub App's account, "User", "Mannequin"; "" unknown.
	AuthorType string
	Title      string
	Draft      bool
	// Labels are the label names at that time, lower-cased, sorted, each
	// once.
	Labels []string
	// MergedByID is who merged it (0: not merged, or the source did not
	// say).
	MergedByID uint64
	// Additions, Deletions and ChangedFiles are the diff's size; -1 when
	// the source did not say.
	Additions, Deletions, ChangedFiles int64
	// Whitespace says whether the diff changes only whitespace (1), more
	// (0), or was not read (-1): only the API's small pull requests' diffs
	// are (WhitespaceOnlyDiff).
	Whitespace int8
}

// WhitespaceOnlyDiff reports whether a diff, as the unified-diff patches
// of its files (GitHub's pulls/{n}/files "patch"), changes nothing but
// whitespace: in each hunk, the lines it removes and the lines it adds
// read the same, in the same order, once all spaces, tabs and line ends
// are taken out, and lines that hold only whitespace may come and go (as
// git diff --ignore-all-space --ignore-blank-lines would show nothing). A
// diff that changes no line at all (a rename, a mode change), moves lines,
// or has a file without a patch (a binary or a very large file) is not
// whitespace-only.
func WhitespaceOnlyDiff(patches []string) bool {
	changed := false
	for _, patch := range patches {
		if patch == "" {
			return false
		}
		var removed, added []string
		for _, line := range strings.Split(patch+"\n@@", "\n") {
			if strings.HasPrefix(line, "@@") { // a hunk ends: compare it
				if !slices.Equal(removed, added) {
					return false
				}
				removed, added = removed[:0], added[:0]
				continue
			}
			if line == "" || strings.HasPrefix(line, "\\") {
				continue
			}
			sign, text := line[0], strings.Join(strings.Fields(line[1:]), "")
			switch {
			case sign == '-':
				changed = true
				if text != "" {
					removed = append(removed, text)
				}
			case sign == '+':
				changed = true
				if text != "" {
					added = append(added, text)
				}
			}
		}
	}
	return changed
}

// NormalLabels returns label names lower-cased, trimmed, sorted and each
// once, without empty ones.
func NormalLabels(names []string) []string {
	var out []string
	for _, n := range names {
		if n = strings.ToLower(strings.TrimSpace(n)); n != "" {
			out = append(out, n)
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// The scoring profiles (configuration's scoring.profile): how
// contributions are judged for a score (docs/scoring.md).
const (
	// ProfileActivity scores every contribution at its kind's weight.
	ProfileActivity = "activity"
	// ProfileAccepted counts pull requests that were accepted and
	// discounts self-dealing, trivial and mass-generated work.
	ProfileAccepted = "accepted"
)

// Review states, as contributions of kind pr_review carry them
// (Contribution.ReviewState): GitHub's states, lower-cased.
const (
	ReviewApproved         = "approved"
	ReviewChangesRequested = "changes_requested"
	ReviewCommented        = "commented"
	ReviewDismissed        = "dismissed"
)

// ReviewStateOf returns a review's state as contribtrack stores it from
// what GitHub says ("APPROVED" in GraphQL, "approved" in events): one of
// the Review* states, or "" when unknown (pending reviews are not
// contributions).
func ReviewStateOf(githubState string) string {
	switch s := strings.ToLower(strings.TrimSpace(githubState)); s {
	case ReviewApproved, ReviewChangesRequested, ReviewCommented, ReviewDismissed:
		return s
	default:
		return ""
	}
}
