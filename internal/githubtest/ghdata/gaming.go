package ghdata

import (
	"fmt"
	"regexp"
	"strings"
	"time"

	"contribtrack/internal/contrib"
)

// gamingCases adds the histories that acceptance-based scoring judges
// (Spec.Gaming; docs/scoring.md), two months before the dataset's end, by
// accounts of their own: a self-merge, a self-review, a spam-labelled and
// a fast-closed pull request, a draft, a campaign of one title across five
// repositories, a whitespace-only change, and a dependency bot without "[bot]" in its login whose
// pull requests all follow one template.
func (g *generator) gamingCases() {
	d := g.d
	at := g.spec.End.AddDate(0, -2, 0)
	maint := g.maint[0]
	pull := func(r *Repo, author *User, title string, opened time.Time) *Pull {
		r.nextNumber++
		p := &Pull{Number: r.nextNumber, Author: author, CreatedAt: opened, UpdatedAt: opened, Title: title,
			HeadRef: fmt.Sprintf("%s/case-%d", author.Login, r.nextNumber)}
		p.sizeFrom(r)
		r.Pulls = append(r.Pulls, p)
		return p
	}
	merge := func(r *Repo, p *Pull, by *User, when time.Time) {
		p.MergedAt, p.ClosedAt, p.ClosedBy, p.UpdatedAt = when, when, by, when
		p.MergeCommit = g.sha(r.ID, "merge", p.Number)
	}
	r := d.Repos[0]

	selfMerger := g.addUser("quick-merger", "User")
	p := pull(r, selfMerger, "Tune the retry policy", at)
	merge(r, p, selfMerger, at.Add(time.Hour))

	selfReviewer := g.addUser("own-reviewer", "User")
	p = pull(r, selfReviewer, "Add pagination to the list call", at.Add(2*time.Hour))
	p.Reviews = append(p.Reviews, &Review{Author: selfReviewer, State: "COMMENTED", SubmittedAt: at.Add(3 * time.Hour), Body: "Looks good to me."})
	merge(r, p, maint, at.Add(4*time.Hour))

	spammer := g.addUser("spam-sender", "User")
	p = pull(r, spammer, "Update README.md", at.Add(5*time.Hour))
	p.Labels = []string{"spam"}
	p.ClosedAt, p.ClosedBy, p.UpdatedAt = at.Add(5*time.Hour+30*time.Minute), maint, at.Add(5*time.Hour+30*time.Minute)
	p = pull(r, spammer, "Improve the docs", at.Add(6*time.Hour))
	p.ClosedAt, p.ClosedBy, p.UpdatedAt = at.Add(6*time.Hour+3*time.Minute), maint, at.Add(6*time.Hour+3*time.Minute)

	drafter := g.addUser("draft-writer", "User")
	p = pull(r, drafter, "WIP: a new client", at.Add(7*time.Hour))
	p.Draft = true

	campaigner := g.addUser("name-adder", "User")
	for i, cr := range d.Repos[:min(5, len(d.Repos))] {
		opened := at.Add(8*time.Hour + time.Duration(i)*10*time.Minute)
		merge(cr, pull(cr, campaigner, "Add my name to CONTRIBUTORS", opened), maint, opened.Add(time.Hour))
	}

	// A whitespace-only change, approved and merged: judged by its diff.
	reformatter := g.addUser("space-fixer", "User")
	p = pull(r, reformatter, "Reformat the config loader", at.Add(9*time.Hour))
	p.Additions, p.Deletions, p.ChangedFiles, p.WhitespaceOnly, p.Labels = 3, 3, 1, true, nil
	p.Reviews = append(p.Reviews, &Review{Author: maint, State: "APPROVED", SubmittedAt: at.Add(10 * time.Hour), Body: "Thanks."})
	merge(r, p, maint, at.Add(11*time.Hour))

	updater := g.addUser("deps-updater", "User")
	for i := 0; i < 6; i++ {
		cr := d.Repos[i%len(d.Repos)]
		opened := at.Add(time.Duration(24*(i+1)) * time.Hour)
		p := pull(cr, updater, fmt.Sprintf("Bump lodash from 4.17.%d to 4.17.%d", 10+i, 11+i), opened)
		merge(cr, p, maint, opened.Add(2*time.Hour))
	}
	for _, r := range d.Repos {
		g.bump(r, g.spec.End)
	}
}

// Acceptance is what AcceptedTruth judges by: the accepted profile's
// factors and thresholds (docs/scoring.md), with no hold and every
// repository opted in.
type Acceptance struct {
	SelfMerge, SelfReview, OwnRepository, OwnIssue, Whitespace, Typo, Mass float64
	TypoLines, MassRepos                                                   int
	MassWindow, SpamClose                                                  time.Duration
	// DiffLines: the diffs of merged pull requests with at most this many
	// changed lines are read (a collector's DiffCheckLines; 0: none).
	DiffLines int
}

// Credited is a contribution of the ground truth and what the accepted
// profile makes of it: Rule "" counts it fully (Factor 1).
type Credited struct {
	contrib.Contribution
	Rule   string
	Factor float64
}

var typoTitle = regexp.MustCompile(`(?i)\b(typo|typos|spelling|misspell\w*|whitespace|white space|grammar)\b`)

// AcceptedTruth returns every contribution of Truth with the rule of the
// accepted profile that applies to it, judged from the dataset itself:
// the ground truth a collector and contribtrack's statements are held to.
func (d *Dataset) AcceptedTruth(a Acceptance) []Credited {
	truth := d.Truth()
	d.RLock()
	defer d.RUnlock()
	pulls, issues := map[[2]int64]*Pull{}, map[[2]int64]*Issue{}
	owners := map[int64]string{}
	campaign := map[string][]*Pull{} // author and lower-cased title
	repoOf := map[*Pull]int64{}
	for _, r := range d.Repos {
		owners[r.ID] = r.Owner.Login
		for _, p := range r.Pulls {
			pulls[[2]int64{r.ID, int64(p.Number)}] = p
			repoOf[p] = r.ID
			if p.Author != nil {
				k := p.Author.Login + "\x00" + strings.ToLower(p.Title)
				campaign[k] = append(campaign[k], p)
			}
		}
		for _, is := range r.Issues {
			issues[[2]int64{r.ID, int64(is.Number)}] = is
		}
	}
	out := make([]Credited, 0, len(truth))
	for _, c := range truth {
		cr := Credited{Contribution: c, Factor: 1}
		key := [2]int64{int64(c.RepoID), c.Number}
		p := pulls[key]
		var author *User
		if p != nil {
			author = p.Author
		}
		isAuthor := func(u *User) bool { return author != nil && u != nil && u.ID == author.ID }
		switch c.Kind {
		case contrib.PROpened, contrib.PRMerged:
			cr.Rule = a.pullRule(c.Kind, p, author, isAuthor, owners[int64(c.RepoID)], campaign, repoOf)
		case contrib.PRReview, contrib.PRReviewComment:
			if author != nil && uint64(author.ID) == c.ActorID {
				cr.Rule = "self_review"
			}
		case contrib.IssueComment:
			thread := author
			if is := issues[key]; is != nil {
				thread = is.Author
			}
			if thread != nil && uint64(thread.ID) == c.ActorID {
				cr.Rule = "own_issue"
			}
		}
		cr.Factor = map[string]float64{"": 1, "self_merge": a.SelfMerge, "own_repository": a.OwnRepository, "mass_generated": a.Mass,
			"whitespace": a.Whitespace, "typo": a.Typo, "self_review": a.SelfReview, "own_issue": a.OwnIssue}[cr.Rule]
		out = append(out, cr)
	}
	return out
}

// pullRule is the rule for a pull request's pr_opened or pr_merged.
func (a Acceptance) pullRule(kind contrib.Kind, p *Pull, author *User, isAuthor func(*User) bool, owner string,
	campaign map[string][]*Pull, repoOf map[*Pull]int64) string {
	if p == nil || author == nil {
		return ""
	}
	approved, reviewed := false, false
	for _, rv := range p.Reviews {
		if rv.Author != nil && !isAuthor(rv.Author) {
			reviewed = true
			approved = approved || rv.State == "APPROVED"
		}
	}
	spamLabel := false
	for _, l := range p.Labels {
		spamLabel = spamLabel || strings.EqualFold(l, "spam") || strings.EqualFold(l, "invalid")
	}
	opened := kind == contrib.PROpened
	lines := p.Additions + p.Deletions
	switch {
	case spamLabel:
		return "spam_label"
	case opened && !p.Merged() && !p.ClosedAt.IsZero() && p.ClosedAt.Sub(p.CreatedAt) <= a.SpamClose && !isAuthor(p.ClosedBy) && !reviewed:
		return "spam_closed_fast"
	case opened && p.Draft && !p.Merged():
		return "draft"
	case opened && !p.Merged() && !approved:
		return "not_accepted"
	case p.Merged() && isAuthor(p.ClosedBy) && !reviewed:
		return "self_merge"
	case strings.EqualFold(owner, author.Login):
		return "own_repository"
	case a.campaigned(p, author, campaign, repoOf):
		return "mass_generated"
	case p.WhitespaceOnly && p.Merged() && lines > 0 && lines <= a.DiffLines:
		return "whitespace"
	case lines > 0 && lines <= a.TypoLines && typoTitle.MatchString(p.Title):
		return "typo"
	}
	return ""
}

// campaigned reports whether p's author sent its title to MassRepos
// repositories or more, counting those opened within MassWindow of it.
func (a Acceptance) campaigned(p *Pull, author *User, campaign map[string][]*Pull, repoOf map[*Pull]int64) bool {
	same := campaign[author.Login+"\x00"+strings.ToLower(p.Title)]
	all, near := map[int64]bool{}, map[int64]bool{}
	for _, q := range same {
		all[repoOf[q]] = true
		if d := q.CreatedAt.Sub(p.CreatedAt); d <= a.MassWindow && d >= -a.MassWindow {
			near[repoOf[q]] = true
		}
	}
	return len(all) >= a.MassRepos && len(near) >= a.MassRepos
}

// PersonTruth is one person's expected standing under the accepted
// profile: the score and how many pull requests are marked as spam.
type PersonTruth struct {
	Score   float64
	Flagged int
}

// AcceptedPeople sums AcceptedTruth per person as a leaderboard shows
// them (the login, or an email identity's label), leaving out the
// contributions of the logins isBot names.
func (d *Dataset) AcceptedPeople(a Acceptance, weights map[contrib.Kind]float64, isBot func(login string) bool) map[string]PersonTruth {
	out := map[string]PersonTruth{}
	flagged := map[[2]uint64]bool{}
	for _, c := range d.AcceptedTruth(a) {
		if !c.Kind.IsContribution() || c.ActorLogin != "" && isBot(c.ActorLogin) {
			continue
		}
		login := c.ActorLogin
		if login == "" {
			login = contrib.EmailLabel(c.ActorID) // a commit email's identity, as leaderboards show it
		}
		p := out[login]
		p.Score += weights[c.Kind] * c.Factor
		if k := [2]uint64{c.RepoID, uint64(c.Number)}; (c.Rule == "spam_label" || c.Rule == "spam_closed_fast") && !flagged[k] {
			flagged[k] = true
			p.Flagged++
		}
		out[login] = p
	}
	return out
}
