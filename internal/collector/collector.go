// Package collector fetches contributions from the GitHub API: every
// pull request (with reviews and review comments), issue (with comments
// and who closed it), default-branch commit, commit comment, release, star
// and fork of the configured organisations and repositories, normalised into
// contrib.Contribution and handed to a store.
//
// Each run first lists the repositories with a cheap GraphQL probe of what
// changed (counts, latest updates, head commit); a resource whose probe
// matches its checkpoint costs nothing more. A changed resource is fetched
// from its checkpoint on (a time watermark, a commit sha, a count), and the
// checkpoint moves only once the contributions it covers are stored: a run
// killed at any point resumes without losing or double counting anything.
package collector

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"path"
	"sort"
	"strings"
	"sync"
	"time"

	"contribtrack/internal/contrib"
	"contribtrack/internal/ghclient"
)

// Options says what to collect and how.
type Options struct {
	Orgs  []string // every repository of these organisations ...
	Repos []string // ... and these owner/name repositories
	// Include and Exclude filter an organisation's repositories by name
	// (shell patterns such as "cdk-*"; case-insensitive). Empty Include
	// means all. Single Repos are always collected.
	Include, Exclude []string
	SkipArchived     bool
	SkipForks        bool
	// Full ignores checkpoints and fetches everything again.
	Full bool
	// Workers is how many repositories are synced at once; default 4.
	Workers int
	// BatchSize is how many contributions are stored per insert; default 20,000.
	BatchSize int
	// FlushEvery is the longest contributions and checkpoints wait before
	// they are stored; default 5 s.
	FlushEvery time.Duration
	// Progress, when set, is told about each repository as it finishes.
	Progress func(RepoResult)
	// Observer, when set, is told about flushes, failures, repository
	// syncs and runs (for metrics).
	Observer Observer
	Logger   *slog.Logger
	// EmailKey is what email identities are derived with.
	EmailKey contrib.EmailKey
	// DiffCheckLines: each merged pull request with at most this many
	// changed lines gets its diff read (one REST request, the first 100
	// files) to tell whether it changes only whitespace
	// (contrib.PullRequest.Whitespace); 0: never.
	DiffCheckLines int
	// Now is the clock; default GitHub's, as the client knows it (a sync's
	// start bounds its watermarks, which are GitHub's times).
	Now func() time.Time

	// Several collectors share the work when each has a Holder name and
	// the same Leases: a repository is synced by whoever claims its lease
	// (renewed while it syncs, LeaseTTL default 60 s, a claim confirmed
	// after LeaseSettle, default 1 s). A collector that finds a repository
	// held waits until its holder has synced it since this run started or
	// the lease expires (the holder stopped), and then takes it.
	Holder      string
	Leases      Leases
	LeaseTTL    time.Duration
	LeaseSettle time.Duration
}

// Leases hand out repositories to collectors (a *store.Store).
type Leases interface {
	Claim(ctx context.Context, resource, holder string, ttl, settle time.Duration) (bool, error)
}

// RepoResult is the outcome of one repository's sync.
type RepoResult struct {
	Repo      string
	Changed   []string // resources fetched
	Unchanged int      // resources whose probe matched the checkpoint
	Stored    int      // contributions stored
	Err       error
	Skipped   string        // why nothing was done, when that is no failure
	Elapsed   time.Duration // how long the sync took
}

// Summary is the outcome of a run.
type Summary struct {
	// Started is false when the run stopped before syncing anything (the
	// checkpoints could not be read, GitHub refused the credentials or
	// could not be reached while the repositories were listed): nothing
	// was fetched or stored, and the counts below mean nothing.
	Started   bool
	Repos     int // repositories considered
	Unchanged int // repositories with nothing to fetch
	Failed    int
	Stored    map[contrib.Kind]int
	Errors    []error
	Client    ghclient.Stats
	Elapsed   time.Duration
}

// Total is the number of contributions and signals stored.
func (s Summary) Total() int {
	n := 0
	for _, v := range s.Stored {
		n += v
	}
	return n
}

// Collector runs syncs.
type Collector struct {
	gh    *ghclient.Client
	store contrib.SyncStore
	opts  Options
	log   *slog.Logger
}

// New returns a collector.
func New(gh *ghclient.Client, st contrib.SyncStore, opts Options) *Collector {
	if opts.Workers <= 0 {
		opts.Workers = 4
	}
	if opts.BatchSize <= 0 {
		opts.BatchSize = 20000
	}
	if opts.FlushEvery <= 0 {
		opts.FlushEvery = 5 * time.Second
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	if opts.Now == nil {
		opts.Now = gh.Now
	}
	if opts.LeaseTTL <= 0 {
		opts.LeaseTTL = 60 * time.Second
	}
	if opts.LeaseSettle <= 0 {
		opts.LeaseSettle = time.Second
	}
	return &Collector{gh: gh, store: st, opts: opts, log: opts.Logger}
}

// ErrPartial is returned (wrapped) when some repositories failed; the
// others were collected and their checkpoints saved.
var ErrPartial = errors.New("some repositories could not be collected")

// Run performs one sync of everything configured.
func (c *Collector) Run(ctx context.Context) (_ Summary, err error) {
	start := time.Now()
	defer func() { c.runFinished("repositories", start, err) }()
	sum := Summary{Stored: map[contrib.Kind]int{}}
	cps := map[contrib.CheckpointKey]contrib.Checkpoint{}
	if !c.opts.Full {
		if cps, err = c.store.Checkpoints(ctx); err != nil {
			c.failed(ctx.Err() != nil, StageCheckpoint, err)
			return sum, err
		}
	}
	targets, terrs, err := c.targets(ctx)
	if err != nil {
		sum.Client = c.gh.Stats()
		return sum, err
	}
	sum.Started = true
	sum.Repos = len(targets) + len(terrs)
	sum.Failed = len(terrs)
	sum.Errors = append(sum.Errors, terrs...)
	// The workers stop early when storing fails for good: fetching more
	// would only spend the rate-limit budget.
	runCtx, abort := context.WithCancel(ctx)
	defer abort()
	sink := newSink(c.store, c.opts.BatchSize, c.opts.FlushEvery, abort)
	sink.obs = c.opts.Observer
	jobs := make(chan repoProbe)
	results := make(chan RepoResult)
	held := make(chan repoProbe, len(targets))     // repositories another collector holds
	runStart := c.opts.Now().Truncate(time.Second) // checkpoints keep seconds
	var wg, inflight sync.WaitGroup
	for i := 0; i < min(c.opts.Workers, max(len(targets), 1)); i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for p := range jobs {
				c.work(runCtx, p, sink, cps, held, results)
				inflight.Done()
			}
		}()
	}
	go func() {
		defer close(jobs)
		pending := targets
		for len(pending) > 0 {
			for _, p := range pending {
				inflight.Add(1)
				select {
				case jobs <- p:
				case <-runCtx.Done():
					inflight.Done()
					return
				}
			}
			inflight.Wait()
			pending = pending[:0:0]
			for len(held) > 0 {
				pending = append(pending, <-held)
			}
			if pending = c.stillToSync(runCtx, pending, runStart, results); len(pending) > 0 {
				select {
				case <-time.After(c.opts.LeaseTTL / 4):
				case <-runCtx.Done():
					return
				}
			}
		}
	}()
	go func() { wg.Wait(); close(results) }()
	for r := range results {
		switch {
		case r.Err != nil:
			sum.Failed++
			sum.Errors = append(sum.Errors, r.Err)
		case len(r.Changed) == 0:
			sum.Unchanged++
		}
		if c.opts.Progress != nil {
			c.opts.Progress(r)
		}
		if c.opts.Observer != nil {
			c.opts.Observer.RepoSynced(r)
		}
	}
	return c.finish(ctx, sink, sum, start, "repositories")
}

// work syncs one repository, unless another collector holds it (then it
// goes to held, to be looked at again).
func (c *Collector) work(ctx context.Context, p repoProbe, sink *sink, cps map[contrib.CheckpointKey]contrib.Checkpoint,
	held chan<- repoProbe, results chan<- RepoResult) {
	var r RepoResult
	claimed, err := c.leased(ctx, leaseName(p), sink, func() {
		rs := &repoSync{c: c, probe: p, sink: sink, cps: cps, t0: c.opts.Now()}
		t := time.Now()
		r = rs.run(ctx)
		r.Elapsed = time.Since(t)
	})
	switch {
	case err != nil:
		results <- RepoResult{Repo: p.NameWithOwner, Err: fmt.Errorf("%s: %w", p.NameWithOwner, err)}
	case !claimed:
		held <- p
	default:
		results <- r
	}
}

// sharing reports whether the collector shares the work with others.
func (c *Collector) sharing() bool { return c.opts.Holder != "" && c.opts.Leases != nil }

// leased runs sync holding the named lease (renewed while it runs), unless
// another collector holds it (claimed false); alone, it just runs it.
// What sync stored, and its checkpoints, are stored before the lease may
// lapse: a collector waiting for the work sees it done, not a free lease.
func (c *Collector) leased(ctx context.Context, lease string, sink *sink, sync func()) (claimed bool, err error) {
	if !c.sharing() {
		sync()
		return true, nil
	}
	ok, err := c.opts.Leases.Claim(ctx, lease, c.opts.Holder, c.opts.LeaseTTL, c.opts.LeaseSettle)
	if err != nil || !ok {
		return false, err
	}
	renewCtx, stop := context.WithCancel(ctx)
	defer stop()
	go func() {
		tick := time.NewTicker(c.opts.LeaseTTL / 3)
		defer tick.Stop()
		for {
			select {
			case <-renewCtx.Done():
				return
			case <-tick.C:
				if _, err := c.opts.Leases.Claim(renewCtx, lease, c.opts.Holder, c.opts.LeaseTTL, 0); err != nil && renewCtx.Err() == nil {
					c.log.Warn("renewing a lease failed", "lease", lease, "err", err)
				}
			}
		}
	}()
	sync()
	if err := sink.flush(ctx); err != nil {
		return true, fmt.Errorf("storing: %w", err)
	}
	// The lease is left to expire, not released: a collector that reaches
	// this work later in its first pass finds it held, and then sees its
	// checkpoint instead of syncing it again.
	return true, nil
}

func leaseName(p repoProbe) string { return fmt.Sprintf("repo:%d", p.DatabaseID) }

// stillToSync returns the held repositories that no collector has synced
// since this run started (their holder may still be at it, or gone);
// the others are reported as synced by another collector.
func (c *Collector) stillToSync(ctx context.Context, held []repoProbe, runStart time.Time, results chan<- RepoResult) []repoProbe {
	if len(held) == 0 {
		return nil
	}
	cps, err := c.store.Checkpoints(ctx)
	if err != nil {
		return held // try again later
	}
	var out []repoProbe
	for _, p := range held {
		cp, ok := cps[contrib.CheckpointKey{RepoID: uint64(p.DatabaseID), Resource: contrib.ResourceRepo}]
		if ok && !cp.SyncedAt.Before(runStart) {
			results <- RepoResult{Repo: p.NameWithOwner, Skipped: syncedElsewhere}
			continue
		}
		out = append(out, p)
	}
	return out
}

// syncedElsewhere is why a collector sharing the work skipped something.
const syncedElsewhere = "synced by another collector"

// finish stores what is still buffered (even when the run was interrupted:
// what finished is kept), completes the summary, and says how the run
// ended.
func (c *Collector) finish(ctx context.Context, sink *sink, sum Summary, start time.Time, what string) (Summary, error) {
	ferr := sink.flush(ctx)
	for k, n := range sink.storedByKind() {
		sum.Stored[k] = n
	}
	sum.Client = c.gh.Stats()
	sum.Elapsed = time.Since(start)
	switch {
	case ferr != nil:
		return sum, fmt.Errorf("storing contributions failed, the run stopped (checkpoints before the failure are kept; run again): %w", ferr)
	case ctx.Err() != nil:
		return sum, fmt.Errorf("collection interrupted: %w (stored contributions and checkpoints are kept; run again to resume)", ctx.Err())
	case sum.Failed > 0:
		return sum, fmt.Errorf("%w: %d of %d %s (first: %w)", ErrPartial, sum.Failed, sum.Repos, what, sum.Errors[0])
	}
	return sum, nil
}

// runFinished tells the observer, if any, that a run ended.
func (c *Collector) runFinished(run string, start time.Time, err error) {
	if c.opts.Observer != nil {
		c.opts.Observer.RunFinished(run, time.Since(start), err)
	}
}

// targets lists the repositories to sync, with their probes. An owner or
// repository that cannot be listed (deleted, renamed, private) is reported
// in errs and the others are synced; refused credentials, an unreachable
// GitHub and interruptions stop the run (err).
func (c *Collector) targets(ctx context.Context) (out []repoProbe, errs []error, err error) {
	seen := map[int64]bool{}
	fatal := func(err error) bool {
		return errors.Is(err, ghclient.ErrUnauthorized) || errors.Is(err, ghclient.ErrUnreachable) || ctx.Err() != nil
	}
	for _, org := range c.opts.Orgs {
		err := cursorPages(nil, func(after *string) (pageInfo, bool, error) {
			var q orgReposQuery
			vars := map[string]any{"login": str(org), "after": strPtr(after)}
			if err := c.gh.Query(ctx, &q, vars, 1); err != nil {
				return pageInfo{}, false, err
			}
			if q.RepositoryOwner == nil {
				return pageInfo{}, false, fmt.Errorf("no such organisation or user: %w", ghclient.ErrNotFound)
			}
			for _, p := range q.RepositoryOwner.Repositories.Nodes {
				if c.keep(p) && !seen[p.DatabaseID] {
					seen[p.DatabaseID] = true
					out = append(out, p)
				}
			}
			return q.RepositoryOwner.Repositories.PageInfo, false, nil
		})
		if err != nil {
			err = fmt.Errorf("listing repositories of %s: %w", org, err)
			c.failed(ctx.Err() != nil, StageProbe, err)
			if fatal(err) {
				return nil, nil, err
			}
			errs = append(errs, err)
		}
	}
	for _, full := range c.opts.Repos {
		owner, name, ok := strings.Cut(full, "/")
		if !ok {
			return nil, nil, fmt.Errorf("repository %q: want owner/name", full)
		}
		var q repoQuery
		err := c.gh.Query(ctx, &q, map[string]any{"owner": str(owner), "name": str(name)}, 1)
		if err == nil && q.Repository == nil {
			err = ghclient.ErrNotFound
		}
		if err != nil {
			err = fmt.Errorf("probing %s: %w", full, err)
			c.failed(ctx.Err() != nil, StageProbe, err)
			if fatal(err) {
				return nil, nil, err
			}
			errs = append(errs, err)
			continue
		}
		if !seen[q.Repository.DatabaseID] {
			seen[q.Repository.DatabaseID] = true
			out = append(out, *q.Repository)
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].NameWithOwner < out[j].NameWithOwner })
	return out, errs, nil
}

// keep applies the organisation filters to one repository.
func (c *Collector) keep(p repoProbe) bool {
	if (c.opts.SkipArchived && p.IsArchived) || (c.opts.SkipForks && p.IsFork) {
		return false
	}
	_, name, _ := strings.Cut(strings.ToLower(p.NameWithOwner), "/")
	match := func(pats []string) bool {
		for _, pat := range pats {
			if ok, _ := path.Match(strings.ToLower(pat), name); ok {
				return true
			}
		}
		return false
	}
	if len(c.opts.Include) > 0 && !match(c.opts.Include) {
		return false
	}
	return !match(c.opts.Exclude)
}

// ValidatePatterns checks include/exclude patterns.
func ValidatePatterns(pats []string) error {
	for _, p := range pats {
		if _, err := path.Match(p, ""); err != nil {
			return fmt.Errorf("repository pattern %q: %w", p, err)
		}
	}
	return nil
}
