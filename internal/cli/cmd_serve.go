package cli

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"contribtrack/internal/api"
	"contribtrack/internal/config"
	"contribtrack/internal/contrib"
	"contribtrack/internal/ghclient"
	"contribtrack/internal/ingest"
	"contribtrack/internal/leaderboard"
	"contribtrack/internal/localch"
	"contribtrack/internal/metrics"
	"contribtrack/internal/serve"
	"contribtrack/internal/store"
)

func newServeCmd(f *factory) *cobra.Command {
	var listen, githubURL string
	cmd := &cobra.Command{
		Use:   "serve",
		Short: "Keep the data in sync on a schedule and answer the HTTP API",
		Long: `Run the service: a scheduled sync of the configured orgs and repositories
from the GitHub API (serve.interval, default 1h, plus up to serve.jitter of
it at random; with serve.members also the roster's members), the leaderboard
rollup refreshed after each sync, and the HTTP server:

  GET /api/v1/leaderboard            the leaderboard (same filters and JSON as the CLI; format=csv)
  GET /api/v1/share                  contributions by affiliation, program, ... (share --format json)
  GET /api/v1/projects               each repository's (by=org: org's) activity in a period
  GET /api/v1/projects/metrics       a project's community metrics (new, returning, pony factor, ...)
  GET /api/v1/contributors/{login}   one contributor's profile
  GET /api/v1/contributors/{login}/score  every contribution behind a score, its points and why
  GET /api/v1/reports                a contributor report (the report command's; format=json|md|csv|html)
  GET /api/v1/sync                   each repository's last sync, lag and completeness
  GET /healthz                       the process is up
  GET /readyz                        ClickHouse answers and the schema is current
  GET /metrics                       Prometheus metrics

docs/api.md has the parameters.

Set CONTRIBTRACK_API_TOKEN to require "Authorization: Bearer <token>" on
/api/. SIGTERM or SIGINT stop it gracefully: requests in flight finish, and
a running sync stores what it fetched and saves its checkpoints.`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			cfg, err := f.config()
			if err != nil {
				return err
			}
			if listen == "" {
				listen = cfg.Serve.Listen
			}
			if githubURL == "" {
				githubURL = cfg.GitHub.URL
			}
			f.pool = servePool(cfg)
			// The dashboards score by the rules this server answers by.
			s, err := f.writeStore(ctx)
			if err != nil {
				return err
			}
			if f.local != nil {
				go watchLocalCrashes(ctx, f.local.Dir, f.localSince, localCrashPoll, f.log)
			}
			m := metrics.New()
			m.SetBuildInfo(buildOf(f.stamp).metrics())
			if cfg.Cluster != "" {
				m.WatchNodes(func(ctx context.Context) ([]metrics.Node, error) {
					nodes, err := s.Nodes(ctx)
					out := make([]metrics.Node, len(nodes))
					for i, n := range nodes {
						out[i] = metrics.Node{Shard: n.Shard, Replica: n.Replica, Address: n.Address, Up: n.Up}
					}
					return out, err
				})
			}
			jobs, err := serveJobs(ctx, f, cfg, s, githubURL, m)
			if err != nil {
				return err
			}
			ln, err := net.Listen("tcp", listen)
			if err != nil {
				return fmt.Errorf("serve.listen %s: %w", listen, err)
			}
			handler := api.New(api.Options{
				Store: s, Rules: rules(cfg), Projects: cfg.Projects, Token: strings.TrimSpace(f.getenv("CONTRIBTRACK_API_TOKEN")),
				CORSOrigins: cfg.Serve.CORSOrigins, Timeout: cfg.Serve.Timeout(), Logger: f.log,
				Metrics: m.Handler(), VersionRefresh: cfg.Serve.VersionInterval(),
				MaxQueries: cfg.Serve.MaxConcurrentQueries, MaxQueued: cfg.Serve.MaxQueuedRequests, // 0: the API's defaults
			})
			defer handler.Close()
			for i := range jobs {
				jobs[i] = thenRefreshVersion(jobs[i], handler)
			}
			fmt.Fprintf(f.stdout, "serving http://%s\n", ln.Addr())
			return serve.Run(ctx, serve.Options{
				Listener: ln, Handler: handler, Jobs: jobs,
				Interval: cfg.Serve.SyncInterval(), Jitter: cfg.Serve.Jitter,
				RequestTimeout: cfg.Serve.Timeout(), Logger: f.log,
			})
		},
	}
	cmd.Flags().StringVar(&listen, "listen", "", "host:port to serve on (default: serve.listen, "+config.DefaultListen+")")
	cmd.Flags().StringVar(&githubURL, "github-url", "", "GitHub API to use (default: github.url)")
	return cmd
}

// servePool is how many ClickHouse connections serve keeps: one for each
// question the API may ask at once (serve.max_concurrent_queries), and
// room for the scheduled jobs (two per collector worker), the data
// version's refresh and the probes, so that no question waits for a
// connection beyond its turn (clickhouse-go fails one that waits longer
// than its dial timeout).
func servePool(cfg *config.Config) int {
	workers := cfg.GitHub.Workers
	if workers <= 0 {
		workers = 4 // the collector's default
	}
	turns := cfg.Serve.MaxConcurrentQueries
	if turns <= 0 {
		turns = api.DefaultMaxQueries()
	}
	return max(turns, api.Questions) + 2*workers + 4
}

// thenRefreshVersion runs the job, then has the API read the data version
// at once, so that what the job wrote (contributions, a rebuilt rollup) is
// in the next answers rather than after the next background refresh.
func thenRefreshVersion(j serve.Job, h *api.Server) serve.Job {
	run := j.Run
	j.Run = func(ctx context.Context) error {
		err := run(ctx)
		rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
		defer cancel()
		_ = h.RefreshVersion(rctx) // failing, the background refresh catches up
		return err
	}
	return j
}

// serveJobs are the steps of each scheduled round: sync the configured
// repositories, follow the roster's members (serve.members), import GH
// Archive's new hours (serve.gharchive_from), refresh the rollup, then
// the community gauges.
func serveJobs(ctx context.Context, f *factory, cfg *config.Config, s *store.Store, githubURL string, m *metrics.Metrics) ([]serve.Job, error) {
	var sources []contrib.Source
	wantAPI := len(cfg.Orgs)+len(cfg.Repos) > 0 || cfg.Serve.Members
	gh, err := newGitHubClient(f, cfg, githubURL, &lockedWriter{w: f.stderr}, m.GitHubObserver())
	if wantAPI && errors.Is(err, ghclient.ErrNoCredentials) && cfg.Serve.GHArchiveFrom != "" {
		// GH Archive alone needs no credentials: the orgs select its events.
		f.log.Warn("no GitHub credentials: the API collector is off; GH Archive hours are imported for the configured orgs and repos")
		wantAPI = false
	} else if wantAPI && err != nil {
		return nil, err
	}
	var env ingest.Env
	if wantAPI || cfg.Serve.GHArchiveFrom != "" {
		// Only what stores contributions needs the email key.
		if env, err = f.ingest(ctx, s); err != nil {
			return nil, err
		}
	}
	if wantAPI {
		c := env.Collector(gh, ingest.CollectOptions{Observer: m.CollectorObserver(), Holder: holder(cfg)})
		if len(cfg.Orgs)+len(cfg.Repos) > 0 {
			sources = append(sources, c.Repos())
		}
		if cfg.Serve.Members {
			sources = append(sources, env.Members(c, true)) // no roster yet: nobody to follow
		}
	}
	if cfg.Serve.GHArchiveFrom != "" {
		sources = append(sources, env.Hours(m.ImportObserver(), map[time.Time]int{}))
	}
	var jobs []serve.Job
	for _, src := range sources {
		jobs = append(jobs, serve.Job{Name: src.Name(), Run: func(ctx context.Context) error {
			syn, err := src.Sync(ctx, s)
			if syn.Started && (syn.Units > 0 || err == nil) {
				f.log.Info("synced "+src.Name(), syn.Unit, syn.Units, "unchanged", syn.Unchanged, "failed", syn.Failed, "stored", syn.Total())
			}
			return err
		}})
	}
	// The rollup is refreshed once a round, after every source: stopping
	// may cut it short, and then it stays stale, answers stay exact, and
	// the next start catches up.
	jobs = append(jobs, serve.Job{Name: "rollup", Run: func(ctx context.Context) error { return ingest.Refresh(ctx, s, f.log) }})
	jobs = append(jobs, serve.Job{Name: "community gauges", Run: func(ctx context.Context) error {
		settings, err := leaderboard.LoadSettings(ctx, s, rules(cfg))
		if err != nil {
			return err
		}
		programs, err := s.RosterPrograms(ctx, settings.Roster)
		if err != nil {
			return err
		}
		base := store.LeaderboardFilter{
			Question: store.Question{
				Kinds: contrib.ContributionKinds,
			},
			Weights:    settings.Weights,
			BotRegex:   settings.BotRegex,
			HumanRegex: settings.HumanRegex,
			Roster:     settings.Roster,
		}
		return m.RefreshCommunity(ctx, s, base, cfg.Orgs, programs, time.Now())
	}})
	return jobs, nil
}

// holder names this process for the leases collectors share the work
// with (github.shared), "" when it collects alone.
func holder(cfg *config.Config) string {
	if !cfg.GitHub.Shared {
		return ""
	}
	host, err := os.Hostname()
	if err != nil {
		host = "unknown-host"
	}
	var b [4]byte
	_, _ = rand.Read(b[:])
	// The random part tells apart collectors of one process (tests) and a
	// process restarted with a recycled pid.
	return fmt.Sprintf("%s/%d/%x", host, os.Getpid(), b)
}

// localCrashPoll is how often serve looks for deaths of the embedded
// server's engine.
const localCrashPoll = 5 * time.Second

// watchLocalCrashes logs, until ctx ends, each death of the embedded
// server's engine (restarted by its supervisor) recorded in dir after
// since: questions and jobs that failed meanwhile failed because of it.
func watchLocalCrashes(ctx context.Context, dir string, since time.Time, every time.Duration, log *slog.Logger) {
	seen := 0
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		cs, err := localch.Crashes(dir, since)
		if err != nil {
			continue
		}
		for _, c := range cs[min(seen, len(cs)):] {
			log.Warn(c.String(), "logs", filepath.Join(dir, "log"))
		}
		seen = max(seen, len(cs))
	}
}
