package gqlexec

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	gocmp "github.com/google/go-cmp/cmp"

	"contribtrack/internal/contrib"
	"contribtrack/internal/githubtest/ghdata"
)

// Commit.history(author:) and the whole of following people: what the
// queries yield against ghdata's TruthOf and Truth.

type tHistoryPage struct {
	Repository *struct {
		DefaultBranchRef *struct {
			Target struct {
				History tConn[tCommit] `json:"history"`
			} `json:"target"`
		} `json:"defaultBranchRef"`
	} `json:"repository"`
	RateLimit tRateLimit `json:"rateLimit"`
}

// wantHistory is r's history (git log order) kept by keep, with since and
// until on the committed date, both included.
func wantHistory(r *ghdata.Repo, since, until time.Time, keep func(*ghdata.Commit) bool) []string {
	out := []string{}
	for _, i := range r.LogOrder(len(r.Commits) - 1) {
		c := r.Commits[i]
		if keep(c) && !c.CommittedAt.Before(since) && !c.CommittedAt.After(until) {
			out = append(out, c.SHA)
		}
	}
	return out
}

// history pages through query (qUserCommits or qUserCommitsByEmail) with
// page size n and returns the commits.
func history(t *testing.T, e *Executor, query string, vars map[string]any, n int) []tCommit {
	t.Helper()
	q := withFirst(t, strings.ReplaceAll(query, "history(first:100", "history(first: 100"), "history", n)
	var got []tCommit
	total := -1
	for _, p := range pageAll(t, e, q, vars, func(p *tHistoryPage) tPageInfo {
		return p.Repository.DefaultBranchRef.Target.History.PageInfo
	}) {
		h := p.Repository.DefaultBranchRef.Target.History
		if total >= 0 && h.TotalCount != total {
			t.Errorf("totalCount went from %d to %d", total, h.TotalCount)
		}
		total = h.TotalCount
		got = append(got, h.Nodes...)
	}
	if total != len(got) {
		t.Errorf("totalCount %d, %d commits", total, len(got))
	}
	return got
}

func oids(cs []tCommit) []string {
	out := []string{}
	for _, c := range cs {
		out = append(out, c.Oid)
	}
	return out
}

func TestHistoryByAuthor(t *testing.T) {
	ds := smallDataset()
	e := New(ds, schemaOrNil(t))
	users := activeUsers(ds)
	mid := time.Date(2023, 6, 1, 0, 0, 0, 0, time.UTC)
	windows := [][2]time.Time{{time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC), ds.Now}, {mid, mid.AddDate(1, 0, 0)}}
	nonEmpty := 0
	for _, u := range users {
		for _, r := range ds.Repos {
			for _, w := range windows {
				want := wantHistory(r, w[0], w[1], func(c *ghdata.Commit) bool { return c.Author == u })
				if len(want) > 2 {
					nonEmpty++
				}
				for _, n := range []int{100, 2} {
					t.Run(fmt.Sprintf("id/%s/%s/%d/first:%d", u.Login, r.FullName(), w[0].Year(), n), func(t *testing.T) {
						vars := map[string]any{"owner": r.Owner.Login, "name": r.Name, "author": u.NodeID,
							"since": w[0].Format(time.RFC3339), "until": w[1].Format(time.RFC3339)}
						got := history(t, e, qUserCommits, vars, n)
						if diff := gocmp.Diff(want, oids(got)); diff != "" {
							t.Errorf("commits (-want +got):\n%s", diff)
						}
						for _, c := range got {
							if c.Author == nil || c.Author.User == nil || c.Author.User.DatabaseID != u.ID {
								t.Errorf("%s: author %+v, want %s", c.Oid, c.Author, u.Login)
							}
						}
					})
				}
			}
		}
	}
	if nonEmpty == 0 {
		t.Errorf("no one has more than two commits in a repository: the test proves less")
	}
	// By email: linked and unlinked addresses, in any case.
	r := ds.Repos[0]
	var linked, unlinked string
	for _, c := range r.Commits {
		if c.Author == nil && unlinked == "" {
			unlinked = c.AuthorEmail
		} else if c.Author != nil && c.Author.Type == "User" && linked == "" {
			linked = c.AuthorEmail
		}
	}
	if linked == "" || unlinked == "" {
		t.Fatalf("%s lacks linked or unlinked commits", r.FullName())
	}
	for _, set := range [][]string{{strings.ToUpper(linked)}, {unlinked, linked}, {"nobody@example.com"}} {
		t.Run(fmt.Sprintf("emails/%v", set), func(t *testing.T) {
			want := wantHistory(r, time.Time{}, ds.Now, func(c *ghdata.Commit) bool {
				return slices.ContainsFunc(set, func(e string) bool { return strings.EqualFold(e, c.AuthorEmail) })
			})
			vars := map[string]any{"owner": r.Owner.Login, "name": r.Name, "emails": set,
				"since": "2000-01-01T00:00:00Z", "until": ds.Now.Format(time.RFC3339)}
			if diff := gocmp.Diff(want, oids(history(t, e, qUserCommitsByEmail, vars, 3))); diff != "" {
				t.Errorf("commits (-want +got):\n%s", diff)
			}
		})
	}
	t.Run("id takes precedence over emails", func(t *testing.T) {
		u := users[0]
		q := strings.Replace(qUserCommits, "author:{id:$author}", `author:{id:$author, emails:["nobody@example.com"]}`, 1)
		vars := map[string]any{"owner": r.Owner.Login, "name": r.Name, "author": u.NodeID,
			"since": "2000-01-01T00:00:00Z", "until": ds.Now.Format(time.RFC3339)}
		want := wantHistory(r, time.Time{}, ds.Now, func(c *ghdata.Commit) bool { return c.Author == u })
		if diff := gocmp.Diff(want, oids(history(t, e, q, vars, 100))); diff != "" || len(want) == 0 {
			t.Errorf("commits (-want +got):\n%s", diff)
		}
	})
}

// TestMembersYieldTruthOf follows people the way `collect --members`
// would, over every year of the dataset: the contributions collection for
// what they opened and which pull requests they reviewed and repositories
// they committed to, qUserReviews for all their reviews of those pull
// requests (the collection lists one), qUserCommits for the commits. What
// it yields is exactly ghdata's TruthOf, less what GitHub leaves out of
// contributions (ghdata.CountsAsContribution: forks).
func TestMembersYieldTruthOf(t *testing.T) {
	ds := smallDataset()
	e := New(ds, schemaOrNil(t))
	users := activeUsers(ds)
	ids := map[int64]bool{}
	var got []contrib.Contribution
	for _, u := range users {
		ids[u.ID] = true
		add := func(k contrib.Kind, key string, number int, repoID int64, repo string, at time.Time) {
			got = append(got, contrib.Contribution{Kind: k, Key: key, CreatedAt: at.UTC(), ActorID: uint64(u.ID),
				ActorLogin: u.Login, RepoID: uint64(repoID), RepoName: repo, Org: contrib.OrgOf(repo), Number: int64(number)})
		}
		reviewed := map[string]bool{}
		for _, w := range yearWindows(ds) {
			from, to := w[0], w[1]
			c := fetchPaged(t, e, u.Login, from, to, 100)
			for _, p := range c.PullRequestContributions.Nodes {
				pr := p.PullRequest
				key := contrib.KeyForNumber(uint64(pr.Repository.DatabaseID), int64(pr.Number))
				add(contrib.PROpened, key, pr.Number, pr.Repository.DatabaseID, pr.Repository.NameWithOwner, p.OccurredAt)
				if pr.Merged {
					add(contrib.PRMerged, key, pr.Number, pr.Repository.DatabaseID, pr.Repository.NameWithOwner, *pr.MergedAt)
				}
			}
			for _, is := range c.IssueContributions.Nodes {
				add(contrib.IssueOpened, contrib.KeyForNumber(uint64(is.Issue.Repository.DatabaseID), int64(is.Issue.Number)),
					is.Issue.Number, is.Issue.Repository.DatabaseID, is.Issue.Repository.NameWithOwner, is.OccurredAt)
			}
			for _, rv := range c.PullRequestReviewContributions.Nodes {
				reviewed[fmt.Sprintf("%s#%d", rv.Repository.NameWithOwner, rv.PullRequest.Number)] = true
			}
			for _, rc := range c.CommitContributionsByRepository {
				repo := rc.Repository
				owner, name, _ := strings.Cut(repo.NameWithOwner, "/")
				// history filters on the committed date, contributions count
				// the author date: look a week past the span, keep by author date.
				vars := map[string]any{"owner": owner, "name": name, "author": u.NodeID,
					"since": from.Format(time.RFC3339), "until": to.AddDate(0, 0, 7).Format(time.RFC3339)}
				n := 0
				for _, cm := range history(t, e, qUserCommits, vars, 100) {
					if !cm.AuthoredDate.Before(from) && !cm.AuthoredDate.After(to) {
						add(contrib.Commit, contrib.KeyForCommit(uint64(repo.DatabaseID), cm.Oid), 0, repo.DatabaseID, repo.NameWithOwner, cm.AuthoredDate)
						n++
					}
				}
				if n != rc.Contributions.TotalCount {
					t.Errorf("%s %s %d: history found %d commits, contributions say %d", u.Login, repo.NameWithOwner, from.Year(), n, rc.Contributions.TotalCount)
				}
			}
		}
		for pr := range reviewed {
			repo, num, _ := strings.Cut(pr, "#")
			owner, name, _ := strings.Cut(repo, "/")
			r := ds.Repo(owner, name)
			var number int
			fmt.Sscan(num, &number)
			vars := map[string]any{"owner": owner, "name": name, "number": number, "login": u.Login}
			var page struct {
				Repository struct {
					PullRequest struct {
						Reviews tReviews `json:"reviews"`
					} `json:"pullRequest"`
				} `json:"repository"`
				RateLimit tRateLimit `json:"rateLimit"`
			}
			decodeOK(t, exec(t, e, qUserReviews, vars), &page)
			for _, rv := range page.Repository.PullRequest.Reviews.Nodes {
				add(contrib.PRReview, contrib.KeyForID(rv.DatabaseID), number, r.ID, repo, *rv.SubmittedAt)
			}
		}
	}
	all := ds.TruthOf(ids, time.Time{}, ds.Now.Add(time.Second))
	var want []contrib.Contribution
	for _, c := range all {
		if ghdata.CountsAsContribution(c.Kind, ds.RepoByID(int64(c.RepoID))) {
			want = append(want, c)
		}
	}
	if len(want) == len(all) {
		t.Errorf("no contribution in a fork: the test proves less")
	}
	sortContribs(want)
	sortContribs(got)
	if diff := gocmp.Diff(want, got); diff != "" {
		t.Errorf("following %d people (-TruthOf +queries):\n%s", len(users), diff)
	}
}

func sortContribs(cs []contrib.Contribution) {
	slices.SortFunc(cs, func(a, b contrib.Contribution) int {
		return strings.Compare(string(a.Kind)+"/"+a.Key, string(b.Kind)+"/"+b.Key)
	})
}

// TestTruthOfMatchesTruth checks TruthOf against Truth: the elements of
// the kinds it covers, by the given accounts, in [from, to), field for field.
func TestTruthOfMatchesTruth(t *testing.T) {
	ds := smallDataset()
	users := activeUsers(ds)
	bot := ds.Account("dependabot[bot]")
	kinds := map[contrib.Kind]bool{contrib.PROpened: true, contrib.PRMerged: true, contrib.IssueOpened: true,
		contrib.PRReview: true, contrib.Commit: true}
	y2024 := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	tests := []struct {
		name     string
		ids      []int64
		from, to time.Time
	}{
		{"one person, all time", []int64{users[0].ID}, time.Time{}, ds.Now.Add(time.Second)},
		{"several people, 2024", []int64{users[0].ID, users[1].ID, users[3].ID}, y2024, y2024.AddDate(1, 0, 0)},
		{"a bot too, half a year", []int64{users[2].ID, bot.ID}, y2024.AddDate(0, 3, 0), y2024.AddDate(0, 9, 0)},
		{"empty span", []int64{users[0].ID}, y2024, y2024},
		{"nobody", nil, time.Time{}, ds.Now.Add(time.Second)},
	}
	truth := ds.Truth()
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ids := map[int64]bool{}
			for _, id := range tc.ids {
				ids[id] = true
			}
			want := []contrib.Contribution{}
			for _, c := range truth {
				if kinds[c.Kind] && !contrib.IsEmailActor(c.ActorID) && ids[int64(c.ActorID)] &&
					!c.CreatedAt.Before(tc.from) && c.CreatedAt.Before(tc.to) {
					want = append(want, c)
				}
			}
			got := append([]contrib.Contribution{}, ds.TruthOf(ids, tc.from, tc.to)...)
			sortContribs(want)
			sortContribs(got)
			if diff := gocmp.Diff(want, got); diff != "" {
				t.Errorf("TruthOf (-Truth +TruthOf):\n%s", diff)
			}
			if tc.name == "several people, 2024" {
				seen := map[contrib.Kind]bool{}
				for _, c := range got {
					seen[c.Kind] = true
				}
				if len(seen) != len(kinds) {
					t.Errorf("kinds %v, want all of %v: the test proves less", seen, kinds)
				}
			}
		})
	}
}
