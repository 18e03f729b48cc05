package gharchive

import (
	"strings"
	"time"

	json "github.com/goccy/go-json"

	"contribtrack/internal/bots"
	"contribtrack/internal/contrib"
)

// Reasons an event (or one commit in a push) is not turned into a
// contribution. They appear in the import summary.
const (
	SkipUntrackedType  = "event type not tracked"
	SkipAction         = "action not counted (reopened, edited, ...)"
	SkipNoRepo         = "no repository"
	SkipNoActor        = "no actor"
	SkipBadTime        = "missing or bad created_at"
	SkipNotSelected    = "repository not in the config, actor not in the roster (use --all to keep every repository)"
	SkipBranch         = "push to a branch that is not the default branch"
	SkipBranchUnknown  = "push to a branch other than main or master, the repository's default branch not named in the import"
	SkipBranchHeld     = "push to a branch other than main or master, held for the repository's default branch past the limit (50,000 held commits)"
	SkipTrimmedPush    = "push without its commit list (trimmed payload, 2025-10 on)"
	SkipTrimmedMerge   = "pull request closed, merge state unknown (trimmed payload, 2025-10 on)"
	SkipMissingField   = "a field the kind needs is missing"
	SkipBadID          = "an id or number that is zero or negative"
	SkipCommitNotNew   = "commit: already on the repository (distinct=false)"
	SkipCommitUnlisted = "commit: not listed (GitHub lists at most 20 per push)"
	SkipCommitNoAuthor = "commit: no sha or author email"
)

// Selector decides which repositories an import keeps.
type Selector struct {
	All   bool                // keep every repository
	Orgs  map[string]struct{} // lower-case owners to keep
	Repos map[string]struct{} // lower-case owner/name to keep
	// Members' accounts, kept in any repository.
	IDs    map[uint64]struct{}
	Logins map[string]struct{}
}

// NewSelector builds a Selector for the given orgs and owner/name repos.
func NewSelector(all bool, orgs, repos []string) Selector {
	s := Selector{All: all, Orgs: map[string]struct{}{}, Repos: map[string]struct{}{}}
	for _, o := range orgs {
		s.Orgs[strings.ToLower(o)] = struct{}{}
	}
	for _, r := range repos {
		s.Repos[strings.ToLower(r)] = struct{}{}
	}
	return s
}

// KeepsActor reports whether the events of an account are kept wherever
// they happen: roster members' (see WithMembers).
func (s Selector) KeepsActor(id uint64, login string) bool {
	if id != 0 {
		if _, ok := s.IDs[id]; ok {
			return true
		}
	}
	if login == "" {
		return false
	}
	_, ok := s.Logins[strings.ToLower(login)]
	return ok
}

// WithMembers also keeps the events of these accounts (roster members'
// GitHub ids and logins), in any repository.
func (s Selector) WithMembers(ids []uint64, logins []string) Selector {
	s.IDs, s.Logins = map[uint64]struct{}{}, map[string]struct{}{}
	for _, id := range ids {
		s.IDs[id] = struct{}{}
	}
	for _, l := range logins {
		s.Logins[strings.ToLower(l)] = struct{}{}
	}
	return s
}

// Keeps reports whether contributions to repo (owner/name) are kept.
func (s Selector) Keeps(org, repo string) bool {
	if s.All {
		return true
	}
	if _, ok := s.Orgs[strings.ToLower(org)]; ok {
		return true
	}
	_, ok := s.Repos[strings.ToLower(repo)]
	return ok
}

// learnsEverywhere reports whether pushes may be kept in any repository
// (everything is kept, or roster members' events are), so that default
// branches are worth learning everywhere.
func (s Selector) learnsEverywhere() bool { return s.All || len(s.IDs) > 0 || len(s.Logins) > 0 }

// normalizer turns decoded events into contributions. Pushes are not
// decided here: whether their branch is the default is for the merger to
// say (see branches.go), so they become notes, in event order, with the
// default branches events name.
type normalizer struct {
	sel      Selector
	emails   *contrib.EmailHasher
	emit     func(contrib.Contribution)
	skip     func(reason string, n int)
	timeline bool // the current event is in the Timeline format
	learnAll bool // sel.learnsEverywhere()
	notes    []branchNote
	commits  []contrib.Contribution // the commits of the pushes in notes
	ledger   *bots.Ledger           // what accounts did, for the bot signals (nil: not traced)
}

func (n *normalizer) event(ev *event) {
	t, timeOK := parseTime(ev.CreatedAt) // once, for the trace and the contribution
	if n.ledger != nil && timeOK {
		n.trace(ev, t)
	}
	if ev.RepoID != 0 && ev.DefaultBranch != "" && (n.learnAll || n.sel.Keeps(ev.Org, ev.RepoName)) {
		n.notes = append(n.notes, branchNote{repoID: ev.RepoID, branch: ev.DefaultBranch})
	}
	if ev.ForkID != 0 && ev.ForkBranch != "" && n.learnAll {
		n.notes = append(n.notes, branchNote{repoID: ev.ForkID, branch: ev.ForkBranch})
	}
	c := contrib.Contribution{Via: contrib.ViaGHArchive, RepoID: ev.RepoID, RepoName: ev.RepoName, Org: ev.Org}
	if c.RepoName == "" {
		n.skip(SkipNoRepo, 1)
		return
	}
	if !tracked(ev.Type) {
		n.skip(SkipUntrackedType, 1)
		return
	}
	if !n.sel.Keeps(c.Org, c.RepoName) && !n.sel.KeepsActor(ev.Actor.ID, ev.Actor.Login) {
		n.skip(SkipNotSelected, 1)
		return
	}
	if !timeOK {
		n.skip(SkipBadTime, 1)
		return
	}
	c.CreatedAt = t
	if ev.Actor.Login == "" && ev.Actor.ID == 0 {
		n.skip(SkipNoActor, 1)
		return
	}
	n.timeline = ev.Timeline
	n.setActor(&c, ev.Actor)
	p := ev.Payload
	switch ev.Type {
	case "PushEvent":
		n.push(ev, c)
	case "PullRequestEvent":
		n.pullRequest(p, c)
	case "PullRequestReviewEvent":
		if p.Review == nil || p.Review.ID == 0 {
			n.skip(SkipMissingField, 1)
			return
		}
		if p.Review.ID < 0 {
			n.skip(SkipBadID, 1)
			return
		}
		if p.Action != "created" && p.Action != "submitted" {
			n.skip(SkipAction, 1)
			return
		}
		if p.Review.User != nil {
			n.setActor(&c, *p.Review.User)
		}
		if at, ok := parseTime(p.Review.SubmittedAt); ok {
			c.CreatedAt = at
		}
		if p.PullRequest != nil {
			c.Number = p.PullRequest.Number
		}
		c.ReviewState = contrib.ReviewStateOf(p.Review.State)
		n.put(c, contrib.PRReview, contrib.KeyForID(p.Review.ID))
	case "PullRequestReviewCommentEvent":
		if p.PullRequest != nil {
			c.Number = p.PullRequest.Number
		}
		n.comment(ev, c, contrib.PRReviewComment)
	case "IssueCommentEvent":
		// payload.issue.number; Timeline events give only the issue's id (0).
		c.Number = ev.IssueNumber
		n.comment(ev, c, contrib.IssueComment)
	case "CommitCommentEvent":
		n.comment(ev, c, contrib.CommitComment)
	case "IssuesEvent":
		n.issue(ev, c)
	case "ReleaseEvent":
		if p.Action != "published" {
			n.skip(SkipAction, 1)
			return
		}
		if p.Release == nil || p.Release.ID == 0 {
			n.skip(SkipMissingField, 1)
			return
		}
		if p.Release.ID < 0 {
			n.skip(SkipBadID, 1)
			return
		}
		if p.Release.Author != nil && p.Release.Author.Login != "" {
			n.setActor(&c, *p.Release.Author)
		}
		n.put(c, contrib.Release, contrib.KeyForID(p.Release.ID))
	case "WatchEvent":
		if c.RepoID == 0 {
			n.skip(SkipMissingField, 1)
			return
		}
		if p.Action != "" && p.Action != "started" {
			n.skip(SkipAction, 1)
			return
		}
		n.put(c, contrib.Star, contrib.KeyForActorOnRepo(c.RepoID, c.ActorID))
	case "ForkEvent":
		if c.RepoID == 0 {
			n.skip(SkipMissingField, 1)
			return
		}
		n.put(c, contrib.Fork, contrib.KeyForActorOnRepo(c.RepoID, c.ActorID))
	}
}

func tracked(typ string) bool {
	switch typ {
	case "PushEvent", "PullRequestEvent", "PullRequestReviewEvent", "PullRequestReviewCommentEvent",
		"IssueCommentEvent", "CommitCommentEvent", "IssuesEvent", "ReleaseEvent", "WatchEvent", "ForkEvent":
		return true
	}
	return false
}

// setActor credits c to u: by GitHub id, or by an id derived from the login
// where the source gives none (and throughout Timeline events, whose actor
// has no id).
func (n *normalizer) setActor(c *contrib.Contribution, u rawUser) {
	c.ActorLogin = u.Login
	c.ActorID = u.ID
	if c.ActorID == 0 || n.timeline && u.Login != "" {
		c.ActorID = contrib.LoginActorID(u.Login)
	}
}

func (n *normalizer) put(c contrib.Contribution, k contrib.Kind, key string) {
	c.Kind, c.Key = k, key
	n.emit(c)
}

func (n *normalizer) pullRequest(p *payloadFields, c contrib.Contribution) {
	number := p.Number
	if number == 0 && p.PullRequest != nil {
		number = p.PullRequest.Number
	}
	if number == 0 || c.RepoID == 0 {
		n.skip(SkipMissingField, 1)
		return
	}
	if number < 0 {
		n.skip(SkipBadID, 1)
		return
	}
	key := contrib.KeyForNumber(c.RepoID, number)
	c.Number = number
	c.PR = n.pullFacts(p.PullRequest, c.CreatedAt)
	switch p.Action {
	case "opened":
		n.put(c, contrib.PROpened, key)
	case "closed":
		if p.PullRequest == nil || p.PullRequest.Merged == nil {
			n.skip(SkipTrimmedMerge, 1)
			return
		}
		if !*p.PullRequest.Merged {
			n.put(c, contrib.PRClosed, key) // credited to whoever closed it
			return
		}
		// A merge is credited to the pull request's author, at merge time.
		if p.PullRequest.User == nil || p.PullRequest.User.Login == "" {
			n.skip(SkipMissingField, 1)
			return
		}
		n.setActor(&c, *p.PullRequest.User)
		if at, ok := parseTime(p.PullRequest.MergedAt); ok {
			c.CreatedAt = at
		}
		n.put(c, contrib.PRMerged, key)
	default:
		n.skip(SkipAction, 1)
	}
}

// pullFacts returns what an event's pull request object says of it, as
// of the event's time (nil when the payload is trimmed: no title).
func (n *normalizer) pullFacts(pr *payloadPR, at time.Time) *contrib.PullRequest {
	if pr == nil || pr.Title == "" {
		return nil
	}
	f := &contrib.PullRequest{ObservedAt: at, Title: pr.Title, Draft: pr.Draft, Additions: -1, Deletions: -1, ChangedFiles: -1, Whitespace: -1}
	if opened, ok := parseTime(pr.CreatedAt); ok {
		f.OpenedAt = opened
	}
	if pr.User != nil {
		var author contrib.Contribution
		n.setActor(&author, *pr.User)
		f.AuthorID, f.AuthorType = author.ActorID, pr.User.Type
	}
	if pr.MergedBy != nil && (pr.MergedBy.ID != 0 || pr.MergedBy.Login != "") {
		var merger contrib.Contribution
		n.setActor(&merger, *pr.MergedBy)
		f.MergedByID = merger.ActorID
	}
	names := make([]string, len(pr.Labels))
	for i, l := range pr.Labels {
		names[i] = l.Name
	}
	f.Labels = contrib.NormalLabels(names)
	for _, v := range []struct {
		from *int64
		to   *int64
	}{{pr.Additions, &f.Additions}, {pr.Deletions, &f.Deletions}, {pr.ChangedFiles, &f.ChangedFiles}} {
		if v.from != nil && *v.from >= 0 {
			*v.to = *v.from
		}
	}
	return f
}

func (n *normalizer) issue(ev *event, c contrib.Contribution) {
	p := ev.Payload
	number := ev.IssueNumber
	if number == 0 || c.RepoID == 0 {
		n.skip(SkipMissingField, 1)
		return
	}
	if number < 0 {
		n.skip(SkipBadID, 1)
		return
	}
	key := contrib.KeyForNumber(c.RepoID, number)
	c.Number = number
	c.PR = n.pullFacts(p.PullRequest, c.CreatedAt)
	switch p.Action {
	case "opened":
		n.put(c, contrib.IssueOpened, key)
	case "closed":
		n.put(c, contrib.IssueClosed, key)
	default:
		n.skip(SkipAction, 1)
	}
}

func (n *normalizer) comment(ev *event, c contrib.Contribution, k contrib.Kind) {
	p := ev.Payload
	if p.Action != "" && p.Action != "created" {
		n.skip(SkipAction, 1)
		return
	}
	id := ev.CommentID
	if p.Comment != nil {
		id = p.Comment.ID
		if p.Comment.User != nil && p.Comment.User.Login != "" {
			n.setActor(&c, *p.Comment.User)
		}
	}
	if id == 0 {
		n.skip(SkipMissingField, 1)
		return
	}
	if id < 0 {
		n.skip(SkipBadID, 1)
		return
	}
	n.put(c, k, contrib.KeyForID(id))
}

// push turns a push into a note for the merger: its branch, and each new
// commit credited to its author's email identity (GH Archive does not say
// which account a commit belongs to), with the commits it cannot count. The
// merger counts them if the branch is the repository's default.
func (n *normalizer) push(ev *event, c contrib.Contribution) {
	p := ev.Payload
	if c.RepoID == 0 {
		n.skip(SkipMissingField, 1)
		return
	}
	branch, ok := strings.CutPrefix(p.Ref, "refs/heads/")
	if !ok {
		branch = p.Ref
	}
	note := branchNote{repoID: c.RepoID, branch: branch, push: true, lo: int32(len(n.commits))}
	if p.Commits == nil && ev.Shas == nil {
		note.trimmed = true
	}
	listed := 0
	commit := func(sha, email string, distinct bool) {
		listed++
		switch {
		case sha == "" || email == "":
			note.skips.noAuthor++
		case !distinct:
			note.skips.notNew++
		default:
			cc := c
			cc.Kind, cc.Key = contrib.Commit, contrib.KeyForCommit(c.RepoID, sha)
			cc.ActorID, cc.ActorLogin = n.emails.ActorID(email), ""
			cc.EmailDomain = contrib.DomainOf(email)
			n.commits = append(n.commits, cc)
		}
	}
	for _, cm := range p.Commits {
		commit(cm.SHA, cm.Author.Email, cm.Distinct == nil || *cm.Distinct)
	}
	for _, s := range ev.Shas {
		commit(rawString(s, 0), rawString(s, 1), rawBool(s, 4, true))
	}
	if p.Size != nil && *p.Size > listed {
		note.skips.unlisted = int32(*p.Size - listed)
	}
	note.hi = int32(len(n.commits))
	n.notes = append(n.notes, note)
}

func rawString(a []json.RawMessage, i int) string {
	var s string
	if i < len(a) {
		_ = json.Unmarshal(a[i], &s)
	}
	return s
}

func rawBool(a []json.RawMessage, i int, def bool) bool {
	b := def
	if i < len(a) {
		_ = json.Unmarshal(a[i], &b)
	}
	return b
}
