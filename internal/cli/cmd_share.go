package cli

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"contribtrack/internal/leaderboard"
	"contribtrack/internal/store"
)

func newShareCmd(f *factory) *cobra.Command {
	var (
		qf     queryFlags
		format string
		by     string
	)
	cmd := &cobra.Command{
		Use:   "share --from DATE --to DATE",
		Short: "Split a period's contributions by affiliation, program, category, group, region or country",
		Long: `Split the contributions of [--from, --to) (the same filters as leaderboard)
by who made them at the time. By default by affiliation: vendor staff (an
affiliation with one of the roster's vendors, by member or by commit email
domain), the community (roster members otherwise) and others; the
community's share is the first line. --by program, category or group puts
each contribution in the programs, categories or groups its author held when
it was made (one made while in two programs counts in both); --by region or
country uses the roster's members. Prints each group's contributions, share
of all the period's contributions, people and score.`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if qf.affiliation != "" {
				return usageError("share splits by affiliation itself: drop --affiliation")
			}
			q, err := qf.query(1)
			if err != nil {
				return err
			}
			s, settings, err := scoring(cmd.Context(), f)
			if err != nil {
				return err
			}
			if !slices.Contains(store.ShareGroupings, by) {
				return usageError("--by %q: want one of %s", by, strings.Join(store.ShareGroupings, ", "))
			}
			if err := leaderboard.CheckNames(cmd.Context(), s, q, settings); err != nil {
				return err
			}
			classes, err := leaderboard.ComputeShare(cmd.Context(), s, q, settings, by)
			if err != nil {
				return err
			}
			switch format {
			case "json":
				enc := json.NewEncoder(f.stdout)
				enc.SetIndent("", "  ")
				return enc.Encode(classes)
			case "table":
				tw := tabwriter.NewWriter(f.stdout, 0, 4, 2, ' ', 0)
				fmt.Fprintln(tw, strings.ToUpper(by)+"\tCONTRIBUTIONS\tSHARE\tPEOPLE\tSCORE")
				for _, c := range classes {
					fmt.Fprintf(tw, "%s\t%d\t%.1f%%\t%d\t%g\n", c.Class, c.Contributions, c.Share*100, c.People, c.Score)
				}
				return tw.Flush()
			}
			return usageError("--format %q: want table or json", format)
		},
	}
	qf.register(cmd.Flags())
	cmd.Flags().StringVar(&format, "format", "table", "table or json")
	cmd.Flags().StringVar(&by, "by", "affiliation", "group by "+strings.Join(store.ShareGroupings, ", "))
	return cmd
}
