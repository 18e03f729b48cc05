package gharchive

import (
	"contribtrack/internal/contrib"
)

// Default branches.
//
// A commit counts when it is pushed to its repository's default branch. The
// 2015+ Events API does not say which branch that is on a PushEvent, but
// other events do: a CreateEvent's master_branch (whatever was created), a
// pull request's base repository (PullRequestEvent,
// PullRequestReviewEvent, PullRequestReviewCommentEvent), a ForkEvent's new
// fork, and every Timeline event's repository. Workers normalise blocks in
// parallel, so they only take notes, in event order: a branch named, a push
// with its commits. The merger reads the notes block after block in input
// order (see Read) and decides each push with a branchBook:
//
//   - a repository whose default branch the import has named (the latest
//     note so far): the push counts if it is to that branch;
//   - otherwise a push to main or master, or to the branch the GitHub API
//     last reported (Options.KnownDefaultBranches), counts;
//   - otherwise the push is held until an event names the repository's
//     default branch, and decided then; what is still held when the import
//     ends, or past maxHeldCommits, is skipped (SkipBranchUnknown,
//     SkipBranchHeld).

// maxHeldCommits bounds the commits of pushes held until their
// repository's default branch is named (about 250 bytes each): past it the
// oldest held push is given up.
const maxHeldCommits = 50_000

// maxLearned bounds one generation of learned default branches (about 50
// bytes each, two generations).
const maxLearned = 1 << 18

// branchNote is what a worker tells the merger about default branches, in
// event order: a repository's default branch named by an event, or a push.
type branchNote struct {
	repoID  uint64
	branch  string // the default branch named, or the branch pushed to
	push    bool
	trimmed bool                   // a push without its commit list (2025-10 on)
	lo, hi  int32                  // a push's commits in its block's commit list
	skips   commitSkips            // a push's commits that cannot count
	commits []contrib.Contribution // a held push's own commits
}

// commitSkips counts the commits of a push that cannot count even on the
// default branch.
type commitSkips struct{ noAuthor, notNew, unlisted int32 }

// branchBook decides pushes from the default branches learned so far. It is
// used by one goroutine.
type branchBook struct {
	known map[uint64]string // from elsewhere (the API), may be nil
	// Learned default branches, by repository: cur, and the generation
	// before it; a repository found only in old moves to cur.
	cur, old map[uint64]string
	// Held pushes, oldest first (nil once decided), and by repository.
	held      []*branchNote
	heldBy    map[uint64][]*branchNote
	heldCount int // commits held (a push without any counts one)
	maxHeld   int // maxHeldCommits, or less in tests

	emit func(contrib.Contribution)
	skip func(reason string, n int64)
}

func newBranchBook(known map[uint64]string, maxHeld int, emit func(contrib.Contribution), skip func(string, int64)) *branchBook {
	return &branchBook{known: known, cur: map[uint64]string{}, heldBy: map[uint64][]*branchNote{}, maxHeld: maxHeld, emit: emit, skip: skip}
}

// note takes one note; commits are the commits of its block.
func (b *branchBook) note(n *branchNote, commits []contrib.Contribution) {
	if !n.push {
		b.learn(n.repoID, n.branch)
		return
	}
	if d, ok := b.learned(n.repoID); ok {
		b.decide(n, commits, n.branch == d, SkipBranch)
		return
	}
	if n.branch == "main" || n.branch == "master" || n.branch != "" && b.known[n.repoID] == n.branch {
		b.decide(n, commits, true, "")
		return
	}
	b.hold(n, commits)
}

func (b *branchBook) learned(repoID uint64) (string, bool) {
	if d, ok := b.cur[repoID]; ok {
		return d, true
	}
	d, ok := b.old[repoID]
	if ok {
		b.put(repoID, d)
	}
	return d, ok
}

func (b *branchBook) learn(repoID uint64, branch string) {
	b.put(repoID, branch)
	if held, ok := b.heldBy[repoID]; ok {
		delete(b.heldBy, repoID)
		for _, n := range held {
			b.decide(n, n.commits, n.branch == branch, SkipBranch)
			b.release(n)
		}
	}
}

func (b *branchBook) put(repoID uint64, branch string) {
	if d, ok := b.cur[repoID]; ok && d == branch {
		return
	}
	if len(b.cur) >= maxLearned {
		b.old, b.cur = b.cur, make(map[uint64]string, maxLearned/4)
	}
	b.cur[repoID] = branch
}

// decide counts a push's commits, or skips the push for reason.
func (b *branchBook) decide(n *branchNote, commits []contrib.Contribution, counts bool, reason string) {
	if !counts {
		b.skip(reason, 1)
		return
	}
	if n.trimmed {
		b.skip(SkipTrimmedPush, 1)
		return
	}
	for _, c := range commits[n.lo:n.hi] {
		b.emit(c)
	}
	if n.skips.noAuthor > 0 {
		b.skip(SkipCommitNoAuthor, int64(n.skips.noAuthor))
	}
	if n.skips.notNew > 0 {
		b.skip(SkipCommitNotNew, int64(n.skips.notNew))
	}
	if n.skips.unlisted > 0 {
		b.skip(SkipCommitUnlisted, int64(n.skips.unlisted))
	}
}

// hold keeps a push, with a copy of its commits, until its repository's
// default branch is named; past maxHeldCommits the oldest is given up.
func (b *branchBook) hold(n *branchNote, commits []contrib.Contribution) {
	h := *n
	h.commits = append([]contrib.Contribution(nil), commits[n.lo:n.hi]...)
	h.lo, h.hi = 0, int32(len(h.commits))
	b.held = append(b.held, &h)
	b.heldBy[h.repoID] = append(b.heldBy[h.repoID], &h)
	b.heldCount += heldWeight(&h)
	for b.heldCount > b.maxHeld {
		oldest := b.oldest()
		b.drop(oldest)
		b.skip(SkipBranchHeld, 1)
	}
}

func heldWeight(n *branchNote) int { return max(1, len(n.commits)) }

// release forgets a held push once decided.
func (b *branchBook) release(n *branchNote) {
	b.heldCount -= heldWeight(n)
	n.commits = nil
	n.push = false // marks it decided in b.held
}

// oldest returns the oldest push still held, and compacts b.held.
func (b *branchBook) oldest() *branchNote {
	i := 0
	for i < len(b.held) && !b.held[i].push {
		i++
	}
	if i > len(b.held)/2 {
		b.held = append(b.held[:0], b.held[i:]...)
		i = 0
	}
	return b.held[i]
}

// drop gives up a held push.
func (b *branchBook) drop(n *branchNote) {
	list := b.heldBy[n.repoID]
	for i, x := range list { // n is usually the first: the repository's oldest
		if x == n {
			list = append(list[:i:i], list[i+1:]...)
			break
		}
	}
	if len(list) == 0 {
		delete(b.heldBy, n.repoID)
	} else {
		b.heldBy[n.repoID] = list
	}
	b.release(n)
}

// finish skips every push still held: no event of the import named its
// repository's default branch.
func (b *branchBook) finish() {
	for _, n := range b.held {
		if n.push {
			b.skip(SkipBranchUnknown, 1)
			b.release(n)
		}
	}
	b.held, b.heldBy = nil, map[uint64][]*branchNote{}
}
