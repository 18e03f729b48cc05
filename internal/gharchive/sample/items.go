package sample

import (
	"math/rand/v2"
	"time"
)

// An item is an issue or pull request. Its whole life (author, title, reviews,
// comments, merge or close) is a pure function of (seed, repository, number), so
// an item opened in one hour is merged consistently in a later hour, and every
// hour can be generated on its own. Each repository reserves repo.slots numbers
// per hour; a slot is used with a probability that follows Options.EventsPerHour.

// lifecycleHours is how long after its creation an item can still produce events.
const lifecycleHours = 72

type actKind int

const (
	actOpened actKind = iota
	actComment
	actReview
	actReviewComment
	actClosed
	actMerged
	actReopened
	actMergePush
	actDeleteBranch
)

// activity is one event in the life of an item.
type activity struct {
	kind  actKind
	at    time.Time
	actor *account
	id    int64  // comment, review or push id
	state string // review state
	body  string
}

type item struct {
	repo                          *repository
	number                        int64
	g                             int64 // unique per (repository, number); drives the item's ids
	pr                            bool
	author                        *account
	title, body                   string
	created                       time.Time
	headRepo                      *repository
	headRef                       string
	headSHA, baseSHA, mergeSHA    string
	commits, additions, deletions int
	files                         int
	acts                          []activity // in chronological order
	nComments, nReviews           int64
}

// Ids derived from the item index g (< 10^8). Review ids are 10^9 + 8g + k, comment
// ids 2*10^9 + 2(32g + k) and merge push ids 3*10^9 + 2g: comment and push ids
// are even here and odd when allocated per hour (see hourGen.nextID), so the two
// sources never collide.
func (it *item) prID() int64    { return 1_500_000_000 + it.g }
func (it *item) issueID() int64 { return 1_600_000_000 + it.g }

// itemNumber returns the number of slot j of repo in hour index hi.
func itemNumber(repo *repository, hi int64, j int) int64 {
	return 1 + (hi-repo.created)*int64(repo.slots) + int64(j)
}

// planItem returns the item in slot j of repo in hour hi, or nil when the slot is unused.
func (p *population) planItem(seed int64, repo *repository, hi int64, j int, eph int) *item {
	number := itemNumber(repo, hi, j)
	r := rand.New(rand.NewPCG(mix(uint64(seed), uint64(repo.ID)), uint64(number)))
	// Items per hour over all repositories ~ 8% of the events, so that about 30% of
	// all events belong to issues and pull requests.
	ppm := int64(eph) * diurnal[hourOfDay(hi)] * 8 * repo.sharePPM / (10_000 * int64(repo.slots))
	if r.Int64N(1_000_000) >= ppm {
		return nil
	}
	it := &item{repo: repo, number: number, g: number*int64(len(p.repos)) + int64(repo.ord)}
	it.created = hourTime(hi).Add(time.Duration(r.IntN(3600)) * time.Second)
	if it.pr = r.IntN(100) < 62; it.pr {
		p.planPR(r, it)
	} else {
		p.planIssue(r, it)
	}
	end := hourTime(hi + lifecycleHours)
	for i, a := range it.acts {
		if !a.at.Before(end) {
			it.acts = it.acts[:i]
			break
		}
	}
	return it
}

func (it *item) add(kind actKind, at time.Time, actor *account) *activity {
	it.acts = append(it.acts, activity{kind: kind, at: at, actor: actor})
	return &it.acts[len(it.acts)-1]
}

func (it *item) addComment(kind actKind, at time.Time, actor *account, body string) {
	a := it.add(kind, at, actor)
	a.id, a.body = 2_000_000_000+2*(it.g*32+it.nComments), body
	it.nComments++
}

func (p *population) planPR(r *rand.Rand, it *item) {
	repo := it.repo
	cdk := repo.Name == "aws-cdk" || repo.Owner.Login == "cdklabs"
	switch x := r.IntN(100); {
	case x < 10:
		it.author = p.dependabot
	case x < 14:
		it.author = p.renovate
	case x < 16:
		it.author = p.actions
	case x < 20 && cdk:
		it.author = p.cdkAutomation
	default:
		it.author = p.users[p.pickUser(r)]
	}
	switch it.author {
	case p.dependabot, p.renovate:
		it.title, it.headRef = depBump(r, it.author)
		it.body = "Bumps the dependency. Release notes, changelog and commits are linked below."
	case p.actions, p.cdkAutomation:
		it.title = pick(r, []string{"chore: update analytics metadata", "chore(release): prepare next version",
			"docs: update API reference", "chore: update region information"})
		it.headRef = "automation/" + pick(r, []string{"update-metadata", "release", "docs", "regions"})
		it.body = "This PR was created automatically by a scheduled workflow."
	default:
		it.title = changeTitle(r)
		it.headRef = pick(r, []string{"feat/", "fix/", it.author.Login + "/", ""}) + pick(r, scopes) + "-" + pick(r, syllables) + pick(r, syllables)
		it.body = "### Issue\n\nCloses #" + itoa(1+r.Int64N(it.number)) + ".\n\n### Reason for this change\n\n" + pick(r, comments)
	}
	it.headRepo = repo
	if it.author.idx >= 0 && !containsAccount(repo.maint, it.author) {
		it.headRepo = p.forkOf(it.author, repo)
	}
	it.headSHA, it.baseSHA, it.mergeSHA = newSHA(r), newSHA(r), newSHA(r)
	it.commits, it.additions, it.deletions, it.files = 1+r.IntN(8), r.IntN(400), r.IntN(150), 1+r.IntN(12)

	it.add(actOpened, it.created, it.author)
	t := it.created
	if repo.AWS && r.IntN(100) < 35 {
		t = t.Add(time.Duration(30+r.IntN(600)) * time.Second)
		it.addComment(actComment, t, pickAccount(r, p.actions, p.cdkAutomation), pick(r, botComments[:3]))
	}
	fate := r.IntN(100) // < 62 merged, < 76 closed without merge, else left open
	nReviews := weighted(r, 25, 40, 25, 10)
	for k := 0; k < nReviews; k++ {
		t = later(r, t)
		reviewer := p.maintainer(r, repo, it.author)
		state := pick(r, []string{"commented", "changes_requested", "approved"})
		if k == nReviews-1 && fate < 62 {
			state = "approved"
		}
		a := it.add(actReview, t, reviewer)
		a.id, a.state, a.body = 1_000_000_000+it.g*8+it.nReviews, state, pick(r, reviewBodies)
		it.nReviews++
		if state != "approved" {
			for c := r.IntN(3); c > 0; c-- {
				it.addComment(actReviewComment, t, reviewer, pick(r, comments))
			}
		}
		if r.IntN(100) < 40 {
			t = later(r, t)
			it.addComment(actComment, t, pickAccount(r, it.author, reviewer), pick(r, comments))
		}
	}
	if cdk && !it.author.isBot() && r.IntN(100) < 30 {
		t = t.Add(time.Duration(5+r.IntN(300)) * time.Second)
		a := it.add(actReview, t, p.cdkAutomation)
		a.id, a.state = 1_000_000_000+it.g*8+it.nReviews, "approved"
		it.nReviews++
	}
	switch {
	case fate < 62:
		t = later(r, t)
		merger := p.maintainer(r, repo, nil)
		if repo.Name == "aws-cdk" && r.IntN(100) < 60 {
			merger = p.mergify
		}
		it.add(actMerged, t, merger)
		it.add(actMergePush, t, merger).id = 3_000_000_000 + 2*it.g
		if it.headRepo == repo && r.IntN(100) < 70 {
			it.add(actDeleteBranch, t.Add(time.Duration(1+r.IntN(30))*time.Second), merger)
		}
	case fate < 76:
		t = later(r, t)
		it.add(actClosed, t, pickAccount(r, it.author, p.maintainer(r, repo, nil)))
		if r.IntN(100) < 15 {
			it.add(actReopened, later(r, t), it.author)
		}
	}
}

func (p *population) planIssue(r *rand.Rand, it *item) {
	it.author = p.users[p.pickUser(r)]
	it.title = issueTitle(r)
	it.body = "### Describe the bug\n\n" + it.title + "\n\n### Expected Behavior\n\nIt should work.\n\n### Reproduction Steps\n\nSee the snippet below."
	it.add(actOpened, it.created, it.author)
	t := it.created
	for n := weighted(r, 30, 30, 20, 12, 8); n > 0; n-- {
		t = later(r, t)
		actor := pickAccount(r, it.author, p.maintainer(r, it.repo, nil), p.maintainer(r, it.repo, nil), p.users[p.pickUser(r)])
		it.addComment(actComment, t, actor, pick(r, comments))
	}
	if r.IntN(100) < 45 {
		t = later(r, t)
		it.add(actClosed, t, pickAccount(r, it.author, p.maintainer(r, it.repo, nil), p.maintainer(r, it.repo, nil)))
		if r.IntN(100) < 6 {
			it.add(actReopened, later(r, t), it.author)
		}
	}
}

// maintainer returns a maintainer of repo other than not (when possible).
func (p *population) maintainer(r *rand.Rand, repo *repository, not *account) *account {
	m := repo.maint[r.IntN(len(repo.maint))]
	if m == not {
		m = repo.maint[(r.IntN(len(repo.maint)-1)+1+indexOf(repo.maint, m))%len(repo.maint)]
	}
	return m
}

func indexOf(list []*account, a *account) int {
	for i, x := range list {
		if x == a {
			return i
		}
	}
	return -1
}

func pickAccount(r *rand.Rand, list ...*account) *account { return list[r.IntN(len(list))] }

// weighted returns i with probability proportional to weights[i].
func weighted(r *rand.Rand, weights ...int) int {
	total := 0
	for _, w := range weights {
		total += w
	}
	x := r.IntN(total)
	for i, w := range weights {
		if x < w {
			return i
		}
		x -= w
	}
	return len(weights) - 1
}

// later returns a time after t: minutes, hours or most of a day later.
func later(r *rand.Rand, t time.Time) time.Time {
	var s int
	switch x := r.IntN(100); {
	case x < 45:
		s = 60 + r.IntN(30*60)
	case x < 80:
		s = 30*60 + r.IntN(210*60)
	default:
		s = 4*3600 + r.IntN(20*3600)
	}
	return t.Add(time.Duration(s) * time.Second)
}

// prState is the state of an item right after acts[i].
type prState struct {
	open                     bool
	closedAt, mergedAt       time.Time
	mergedBy                 *account
	comments, reviewComments int
}

func (it *item) stateAt(i int) prState {
	s := prState{open: true}
	for _, a := range it.acts[:i+1] {
		switch a.kind {
		case actComment:
			s.comments++
		case actReviewComment:
			s.reviewComments++
		case actClosed:
			s.open, s.closedAt = false, a.at
		case actMerged:
			s.open, s.closedAt, s.mergedAt, s.mergedBy = false, a.at, a.at, a.actor
		case actReopened:
			s.open, s.closedAt = true, time.Time{}
		}
	}
	return s
}
