package cli

import (
	"fmt"

	"github.com/spf13/cobra"

	"contribtrack/internal/gharchive"
	"contribtrack/internal/gharchive/sample"
)

func newDemoDataCmd(f *factory) *cobra.Command {
	var (
		out, from, to string
		seed          int64
		perHour       int
	)
	cmd := &cobra.Command{
		Use:   "demo-data --out DIR",
		Short: "Write a deterministic GH Archive sample (AWS-like orgs) for demos and tests",
		Long: `Write generated GH Archive hour files, named as GH Archive names them, with
activity in AWS-like orgs and elsewhere. The same seed and hours always give
the same bytes: a GH Archive to try import gharchive on where gharchive.org
is not reachable (the demo collects from the GitHub test server instead).`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if out == "" {
				return usageError("--out is required")
			}
			f1, err := gharchive.ParseHour(from)
			if err != nil {
				return usageError("--from: %v", err)
			}
			t1, err := gharchive.ParseHour(to)
			if err != nil {
				return usageError("--to: %v", err)
			}
			if t1.Before(f1) {
				return usageError("--to is before --from")
			}
			paths, err := sample.WriteHours(out, f1, t1, sample.Options{Seed: seed, EventsPerHour: perHour})
			if err != nil {
				return err
			}
			fmt.Fprintf(f.stdout, "wrote %d hour files to %s\n", len(paths), out)
			return nil
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&out, "out", "", "directory to write the hour files to")
	fl.StringVar(&from, "from", "2024-01-01-0", "first hour (YYYY-MM-DD-H)")
	fl.StringVar(&to, "to", "2024-01-01-23", "last hour, inclusive")
	fl.Int64Var(&seed, "seed", 1, "seed of the generator")
	fl.IntVar(&perHour, "events-per-hour", 0, "average events per hour (0: the generator's default)")
	return cmd
}
