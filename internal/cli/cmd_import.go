package cli

import (
	"errors"
	"fmt"
	"io"
	"os"
	"runtime/debug"
	"sort"
	"strings"
	"time"

	"github.com/schollz/progressbar/v3"
	"github.com/spf13/cobra"

	"contribtrack/internal/contrib"
	"contribtrack/internal/gharchive"
	"contribtrack/internal/ingest"
)

func newImportCmd(f *factory) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "import",
		Short: "Import contributions from other sources",
	}
	cmd.AddCommand(newImportGHArchiveCmd(f))
	return cmd
}

func newImportGHArchiveCmd(f *factory) *cobra.Command {
	var all bool
	var baseURL string
	cmd := &cobra.Command{
		Use:   "gharchive PATH|URL|HOUR|HOUR-RANGE ...",
		Short: "Load GH Archive hour files (.json.gz or .json, local or http(s))",
		Long: `Load GH Archive hour files. Each argument is a file, a directory of hour
files, an http(s) URL, an hour such as 2024-01-01-5, or an inclusive hour
range such as 2024-01-01-0..2024-01-01-23 (fetched from gharchive.base_url).
Without --all only the orgs and repos in the configuration are kept, and
the roster members' events wherever they happen.
Importing the same hours again changes no count.`,
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) == 0 {
				return usageError("name at least one file, URL, hour or hour range")
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			cfg, err := f.config()
			if err != nil {
				return err
			}
			if baseURL == "" {
				baseURL = cfg.GHArchive.BaseURL
			}
			res := gharchive.Resolver{BaseURL: baseURL}
			inputs, err := res.Resolve(args)
			if err != nil {
				return usageError("%v", err)
			}
			s, err := f.writeStore(cmd.Context())
			if err != nil {
				return err
			}
			env, err := f.ingest(cmd.Context(), s)
			if err != nil {
				return err
			}
			bar := newProgress(f.stderr, inputs)
			var progress func(int64)
			if bar != nil {
				progress = func(n int64) { _ = bar.Add64(n) }
				defer bar.Exit()
			}
			src, err := env.Files(cmd.Context(), inputs, all, progress)
			if errors.Is(err, ingest.ErrNothingToKeep) {
				return usageError("%v", err)
			}
			if err != nil {
				return err
			}
			defer debug.SetGCPercent(debug.SetGCPercent(gharchive.GCPercent))
			start := time.Now()
			done, err := env.Sync(cmd.Context(), src)
			if bar != nil {
				_ = bar.Finish()
				fmt.Fprintln(f.stderr)
			}
			stats, _ := done.Detail.(gharchive.Stats)
			printSummary(f.stdout, stats, time.Since(start))
			// What was stored is counted as ClickHouse confirmed it: a
			// failure says only what is true.
			stored := storedCount{batches: done.Batches, rows: done.Rows}
			switch {
			case err != nil && done.SyncErr == nil:
				return fmt.Errorf("%s stored, but %w", stored, err) // only the rollup's refresh failed
			case err != nil && stored.batches == 0:
				return fmt.Errorf("import stopped; nothing was stored (run the same import again: what is stored twice counts once): %w", err)
			case err != nil:
				return fmt.Errorf("import stopped; what was stored before the failure is kept: %s (run the same import again: what is stored twice counts once): %w", stored, err)
			}
			if len(stats.Broken) > 0 {
				return fmt.Errorf("%d of %d inputs could not be read to the end or held no valid event (what was read is stored): %w",
					len(stats.Broken), len(inputs), errors.Join(stats.Broken...))
			}
			return nil
		},
	}
	cmd.Flags().BoolVar(&all, "all", false, "keep every repository, not only the configured orgs and repos")
	cmd.Flags().StringVar(&baseURL, "base-url", "", "where hour files are fetched from (default: gharchive.base_url, "+gharchive.DefaultBaseURL+")")
	return cmd
}

// newProgress returns a progress bar over the compressed bytes of the
// inputs, or nil when stderr is not a terminal.
func newProgress(w io.Writer, inputs []gharchive.Input) *progressbar.ProgressBar {
	if !isTerminal(w) {
		return nil
	}
	var total int64
	for _, in := range inputs {
		if !strings.Contains(in.Name, "://") {
			size, err := fileSize(in.Name)
			if err != nil {
				total = -1
				break
			}
			total += size
		} else {
			total = -1
			break
		}
	}
	return progressbar.NewOptions64(total,
		progressbar.OptionSetWriter(w),
		progressbar.OptionShowBytes(true),
		progressbar.OptionSetDescription("importing"),
		progressbar.OptionThrottle(100*time.Millisecond),
		progressbar.OptionClearOnFinish(),
	)
}

func printSummary(w io.Writer, st gharchive.Stats, took time.Duration) {
	var total int64
	for _, n := range st.Kinds {
		total += n
	}
	fmt.Fprintf(w, "read %d inputs in %s: %d events, %d contributions and signals (stored unless an error follows)\n",
		st.Inputs, took.Round(time.Millisecond), st.Events, total)
	for _, k := range contrib.Kinds {
		if n := st.Kinds[k]; n > 0 {
			fmt.Fprintf(w, "  %-20s %10d\n", k, n)
		}
	}
	if len(st.Skipped) > 0 {
		fmt.Fprintln(w, "skipped:")
		reasons := make([]string, 0, len(st.Skipped))
		for r := range st.Skipped {
			reasons = append(reasons, r)
		}
		sort.Slice(reasons, func(i, j int) bool { return st.Skipped[reasons[i]] > st.Skipped[reasons[j]] })
		for _, r := range reasons {
			fmt.Fprintf(w, "  %10d  %s\n", st.Skipped[r], r)
		}
	}
	if st.Malformed > 0 {
		fmt.Fprintf(w, "malformed lines (skipped): %d\n", st.Malformed)
		for _, e := range st.MalformedSamples {
			fmt.Fprintf(w, "  %s\n", e)
		}
		if extra := st.Malformed - int64(len(st.MalformedSamples)); extra > 0 {
			fmt.Fprintf(w, "  ... and %d more\n", extra)
		}
	}
	for _, err := range st.Broken {
		if errors.Is(err, gharchive.ErrNoEvents) {
			fmt.Fprintf(w, "input without a valid event: %v\n", err)
			continue
		}
		fmt.Fprintf(w, "incomplete input: %v\n", err)
	}
}

func fileSize(path string) (int64, error) {
	st, err := os.Stat(path)
	if err != nil {
		return 0, err
	}
	return st.Size(), nil
}

// storedCount is what an import stored: batches and contributions.
type storedCount struct{ batches, rows int }

func (c storedCount) String() string {
	return fmt.Sprintf("%d %s (%d %s)", c.batches, plural(c.batches, "batch", "batches"), c.rows, plural(c.rows, "contribution", "contributions"))
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
