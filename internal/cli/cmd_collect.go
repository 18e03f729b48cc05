package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"sync"
	"time"

	"contribtrack/internal/ingest"

	"github.com/spf13/cobra"

	"contribtrack/internal/collector"
	"contribtrack/internal/config"
	"contribtrack/internal/contrib"
	"contribtrack/internal/ghclient"
)

func newCollectCmd(f *factory) *cobra.Command {
	var (
		githubURL string
		full      bool
		workers   int
		members   bool
	)
	cmd := &cobra.Command{
		Use:   "collect",
		Short: "Sync the configured orgs and repos from the GitHub API (one run)",
		Long: `Fetch every contribution of the configured orgs and repositories from the
GitHub API into ClickHouse: pull requests with reviews and review comments,
issues with comments and who closed them, default-branch commits, releases,
stars and forks. A later run fetches only what changed since the last one
(checkpoints are kept in ClickHouse); --full fetches everything again.

Credentials come from the environment: GITHUB_TOKEN, or GITHUB_TOKENS
(comma-separated; requests are spread across them), or a GitHub App
configured under github.app in the config file.

--members also follows the imported roster's members across every public
repository (pull requests and issues they opened, reviews, default-branch
commits), from the start of their first membership; work in a tracked
repository counts once.`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			cfg, err := f.config()
			if err != nil {
				return err
			}
			if len(cfg.Orgs) == 0 && len(cfg.Repos) == 0 && !members {
				return usageError("nothing to collect: list orgs or repos in the config file (--config) or CONTRIBTRACK_ORGS / CONTRIBTRACK_REPOS, or follow the roster's members with --members")
			}
			if githubURL == "" {
				githubURL = cfg.GitHub.URL
			}
			if workers < 0 || workers > 64 {
				return usageError("--workers %d: want 1 to 64", workers)
			}
			if workers == 0 {
				workers = cfg.GitHub.Workers
			}
			// Progress and rate-limit waits are printed from several goroutines.
			progress := &lockedWriter{w: f.stderr}
			gh, err := newGitHubClient(f, cfg, githubURL, progress, nil)
			if err != nil {
				return err
			}
			ctx := cmd.Context()
			// GitHub first: a refused token or a dead URL fails at once,
			// before ClickHouse is started or a summary printed.
			if err := gh.Check(ctx); err != nil {
				return fmt.Errorf("collect: %w", err)
			}
			s, err := f.writeStore(ctx)
			if err != nil {
				return err
			}
			env, err := f.ingest(ctx, s)
			if err != nil {
				return err
			}
			c := env.Collector(gh, ingest.CollectOptions{Full: full, Workers: workers, Holder: holder(cfg),
				Progress: func(r collector.RepoResult) { printRepoResult(progress, r) }})
			if len(cfg.Orgs)+len(cfg.Repos) > 0 {
				if err := collectFrom(ctx, f, env, c.Repos(), "collect", "repositories"); err != nil {
					return err
				}
			}
			if !members {
				return nil
			}
			return collectFrom(ctx, f, env, env.Members(c, false), "collect --members", "member accounts")
		},
	}
	cmd.Flags().StringVar(&githubURL, "github-url", "", "GitHub API to use: github.com (default), a GitHub Enterprise Server or a test server URL (default: github.url)")
	cmd.Flags().BoolVar(&full, "full", false, "ignore checkpoints and fetch everything again")
	cmd.Flags().IntVar(&workers, "workers", 0, "repositories synced at once (default: github.workers, 4)")
	cmd.Flags().BoolVar(&members, "members", false, "also follow the roster's members across every public repository")
	return cmd
}

// collectFrom syncs one of the collector's sources and prints its
// summary, unless it stopped before syncing anything.
func collectFrom(ctx context.Context, f *factory, env ingest.Env, src contrib.Source, what, unit string) error {
	res, err := env.Sync(ctx, src)
	if errors.Is(err, ingest.ErrNoRoster) {
		return usageError("%v", err)
	}
	if !res.Started {
		return fmt.Errorf("%s: %w", what, err) // nothing ran: no summary to give
	}
	printCollectSummary(f.stdout, res.Detail.(collector.Summary), unit)
	if err != nil {
		return fmt.Errorf("%s: %w", what, err)
	}
	return nil
}

// newGitHubClient builds the API client from the config and environment.
// Tokens are read from the environment only.
func newGitHubClient(f *factory, cfg *config.Config, githubURL string, progress io.Writer, obs ghclient.Observer) (*ghclient.Client, error) {
	opts := ghclient.Options{URL: githubURL, MaxInFlight: cfg.GitHub.MaxInFlight, Logger: f.log, Observer: obs,
		OnWait: func(w ghclient.Wait) {
			fmt.Fprintf(progress, "waiting %s for token #%d (%s %s)\n",
				time.Until(w.Until).Round(time.Second), w.Token, w.Resource, w.Reason)
		},
		OnRetry: func(r ghclient.Retry) { fmt.Fprintln(progress, r) }}
	if a := cfg.GitHub.App; a.Configured() {
		pem, err := os.ReadFile(a.PrivateKeyFile)
		if err != nil {
			return nil, fmt.Errorf("github.app.private_key_file: %w", err)
		}
		key, err := ghclient.ParsePrivateKey(pem)
		if err != nil {
			return nil, fmt.Errorf("github.app.private_key_file %s: %w", a.PrivateKeyFile, err)
		}
		opts.App = &ghclient.App{ID: a.ID, InstallationID: a.InstallationID, PrivateKey: key}
	} else {
		if v := f.getenv("GITHUB_TOKENS"); v != "" {
			for _, t := range strings.Split(v, ",") {
				if t = strings.TrimSpace(t); t != "" {
					opts.Tokens = append(opts.Tokens, t)
				}
			}
		} else if v := strings.TrimSpace(f.getenv("GITHUB_TOKEN")); v != "" {
			opts.Tokens = []string{v}
		}
	}
	gh, err := ghclient.New(opts)
	if err != nil {
		return nil, usageError("%w", err)
	}
	return gh, nil
}

func printRepoResult(w io.Writer, r collector.RepoResult) {
	switch {
	case r.Err != nil:
		fmt.Fprintf(w, "failed     %s: %v\n", r.Repo, r.Err)
	case r.Skipped != "":
		fmt.Fprintf(w, "skipped    %s: %s\n", r.Repo, r.Skipped)
	case len(r.Changed) == 0:
		fmt.Fprintf(w, "unchanged  %s\n", r.Repo)
	default:
		fmt.Fprintf(w, "synced     %s: %s (%d stored)\n", r.Repo, strings.Join(r.Changed, ", "), r.Stored)
	}
}

func printCollectSummary(w io.Writer, s collector.Summary, what string) {
	fmt.Fprintf(w, "collected %d %s in %s: %d changed, %d unchanged, %d failed\n",
		s.Repos, what, s.Elapsed.Round(time.Millisecond), s.Repos-s.Unchanged-s.Failed, s.Unchanged, s.Failed)
	fmt.Fprintf(w, "stored %d contributions and signals\n", s.Total())
	for _, k := range contrib.Kinds {
		if n := s.Stored[k]; n > 0 {
			fmt.Fprintf(w, "  %-20s %10d\n", k, n)
		}
	}
	c := s.Client
	fmt.Fprintf(w, "GitHub: %d REST requests (%d answered 304), %d GraphQL requests; %d rate-limit points (REST %d, GraphQL %d); %d retries; %d waits (%s)\n",
		c.RESTRequests, c.NotModified, c.GraphQLRequests, c.Points(), c.RESTPoints, c.GraphQLPoints, c.Retries, c.Waits, c.Waited.Round(time.Second))
	for _, err := range s.Errors {
		fmt.Fprintf(w, "error: %v\n", err)
	}
}

// lockedWriter serialises writes from several goroutines.
type lockedWriter struct {
	mu sync.Mutex
	w  io.Writer
}

func (l *lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}
