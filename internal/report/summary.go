package report

import (
	"fmt"
	"sort"
	"strings"

	"contribtrack/internal/community"
	"contribtrack/internal/contrib"
	"contribtrack/internal/leaderboard"
	"contribtrack/internal/store"
)

// contributors fills the contributors table and the welcome list.
func (r *Report) contributors(entries []leaderboard.Entry, returning map[uint64]bool, details map[uint64]store.MemberDetails, s leaderboard.Settings) {
	for _, e := range entries {
		// Nothing about people who opted out, not even when they started.
		c := Contributor{Rank: e.Rank, Person: Person{Login: e.Login}, Score: e.Score, Counts: map[string]uint64{},
			Programs: []string{}, FirstTime: !returning[e.Person] && e.Login != leaderboard.Hidden}
		for _, k := range r.Kinds {
			c.Counts[k] = e.Counts[k]
			c.Contributions += e.Counts[k]
		}
		if e.Login != leaderboard.Hidden {
			if _, member := s.People.Logins[e.Person]; member {
				d := details[e.Person]
				c.Name = d.Name
				c.Programs = append(c.Programs, d.Programs...)
			}
			c.URL = profileURL(e.Login)
			if c.FirstTime {
				r.Welcome = append(r.Welcome, c.Person)
			}
		}
		r.Contributors = append(r.Contributors, c)
	}
}

// flag lists the flagged items per person.
func (r *Report) flag(people []leaderboard.FlaggedPerson, details map[uint64]store.MemberDetails, s leaderboard.Settings) {
	for _, p := range people {
		fp := FlaggedPerson{Person: Person{Login: p.Login, URL: profileURL(p.Login)}, Items: []FlaggedItem{}}
		if _, member := s.People.Logins[p.Person]; member {
			fp.Name = details[p.Person].Name
		}
		for _, e := range p.Items {
			it := FlaggedItem{At: e.At.UTC(), Kind: e.Kind, Repository: e.Repository, Number: e.Number, Title: e.Title, Rule: e.Rule, Why: e.Why}
			if contrib.ValidRepo(e.Repository) && e.Number > 0 {
				it.URL = fmt.Sprintf("https://github.com/%s/pull/%d", e.Repository, e.Number)
			}
			fp.Items = append(fp.Items, it)
		}
		r.Flagged = append(r.Flagged, fp)
	}
}

// profileOf names the scoring profile the settings score by.
func profileOf(s leaderboard.Settings) string {
	if s.Profile == "" {
		return contrib.ProfileActivity
	}
	return s.Profile
}

// profileURL is a login's GitHub profile ("" for what is not a login,
// such as an email-only identity).
func profileURL(login string) string {
	if !contrib.ValidLogin(login) {
		return ""
	}
	if app, ok := strings.CutSuffix(login, "[bot]"); ok {
		return "https://github.com/apps/" + app
	}
	return "https://github.com/" + login
}

// reviewers picks the top n reviewers from the contributors: by reviews,
// then review comments, then login.
func (r *Report) reviewers(n int) {
	for _, c := range r.Contributors {
		rv := Reviewer{Person: c.Person, Reviews: c.Counts[string(contrib.PRReview)], ReviewComments: c.Counts[string(contrib.PRReviewComment)]}
		if rv.Reviews+rv.ReviewComments > 0 {
			r.TopReviewers = append(r.TopReviewers, rv)
		}
	}
	sort.SliceStable(r.TopReviewers, func(i, j int) bool {
		a, b := r.TopReviewers[i], r.TopReviewers[j]
		if a.Reviews != b.Reviews {
			return a.Reviews > b.Reviews
		}
		if a.ReviewComments != b.ReviewComments {
			return a.ReviewComments > b.ReviewComments
		}
		return a.Login < b.Login
	})
	if len(r.TopReviewers) > n {
		r.TopReviewers = r.TopReviewers[:n]
	}
}

// summarise fills the summary from the community metrics, the bots left
// out and the sync status.
func (r *Report) summarise(req Request, f store.LeaderboardFilter, g gathered, s leaderboard.Settings) {
	sm, m := &r.Summary, g.metrics
	// The totals are the activity's: they count everyone, also past the
	// contributors a report lists.
	sm.ByKind = map[string]uint64{}
	for _, k := range r.Kinds {
		sm.ByKind[k] = 0
	}
	for _, b := range r.Activity.Buckets {
		sm.Contributions += b.Contributions
		for k, n := range b.Counts {
			sm.ByKind[k] += n
		}
	}
	sm.ActiveContributors, sm.NewContributors, sm.ReturningContributors = m.ActiveContributors, m.NewContributors, m.ReturningContributors
	// pr_merged is credited to the pull request's author at merge time:
	// the merged pull requests of the scope's (non-bot) authors.
	sm.PullRequestsMerged = sm.ByKind[string(contrib.PRMerged)]
	if req.project() {
		sm.MedianTimeToMergeSeconds = median(m.TimeToMerge)
		sm.MedianTimeToFirstResponseIssuesSeconds = median(m.TimeToFirstResponseIssues)
		sm.MedianTimeToFirstResponsePullRequestSeconds = median(m.TimeToFirstResponsePullRequests)
	} else {
		r.Notes = append(r.Notes, "Time to merge and to first response are measures of projects, not of people: this report is about people, so it leaves them out.")
	}
	switch {
	case req.Member != "":
		// One person's contributions are all theirs: a share of the
		// community says nothing about them.
	case s.Roster != 0 && sm.Contributions > 0:
		share := m.CommunityShare
		sm.CommunityShare = &share
	}
	if s.Roster == 0 {
		r.Notes = append(r.Notes, "No roster has been imported: identities are GitHub accounts, and the community's share is not known.")
	}
	if s.Profile == contrib.ProfileAccepted {
		r.Notes = append(r.Notes, "Scores and counts follow the accepted profile: only contributions that earn points are counted, each worth its weight times what the profile's rules leave of it (pull requests must be merged or approved; self-dealing, trivial and mass-generated work is discounted). `contribtrack score explain LOGIN` lists every contribution and why.")
	}

	if f.BotRegex != "" {
		// Everyone's totals less the people's.
		sm.BotContributions = g.withBots.Contributions - min(g.withBots.Contributions, sm.Contributions)
		sm.BotAccounts = g.withBots.People - min(g.withBots.People, uint64(sm.ActiveContributors))
		if sm.BotContributions == 0 {
			r.Notes = append(r.Notes, "Bots are left out (none contributed in this period).")
		} else {
			r.Notes = append(r.Notes, fmt.Sprintf("Bots are left out: %d contributions by %d bot accounts.", sm.BotContributions, sm.BotAccounts))
		}
	}
	sm.Truncated = sm.ActiveContributors > len(r.Contributors)
	if sm.Truncated {
		r.Notes = append(r.Notes, fmt.Sprintf("Only the first %d of the %d contributors are listed.", len(r.Contributors), sm.ActiveContributors))
	}

	var stored, reported uint64
	for _, rs := range g.sync {
		if !inScope(req, rs.RepoName) {
			continue
		}
		if rs.LastSync.IsZero() {
			continue
		}
		sm.RepositoriesSynced++
		if sm.LastSync == nil || rs.LastSync.Before(*sm.LastSync) {
			t := rs.LastSync.UTC()
			sm.LastSync = &t
		}
		for _, res := range rs.Resources {
			if res.GitHubTotal > 0 && res.Kind != "" && contrib.Kind(res.Kind).IsContribution() {
				stored += res.Stored
				reported += res.GitHubTotal
			}
		}
	}
	if reported > 0 {
		c := float64(stored) / float64(reported)
		sm.Completeness = &c
	}
	if sm.RepositoriesSynced == 0 {
		r.Notes = append(r.Notes, "No repository of this scope has been synced from the GitHub API: completeness and last sync are not known.")
	}
}

// inScope reports whether a synced repository belongs to the scope (a
// program's or a member's scope is every tracked repository).
func inScope(s Request, repo string) bool {
	switch {
	case !s.Set.Empty():
		return s.Set.Contains(repo)
	case s.Org != "":
		owner, _, _ := strings.Cut(repo, "/")
		return strings.EqualFold(owner, s.Org)
	case s.Repo != "":
		return strings.EqualFold(repo, s.Repo)
	}
	return true
}

func median(d *community.Durations) *float64 {
	if d == nil {
		return nil
	}
	v := d.MedianSeconds
	return &v
}
