package cli

import (
	"encoding/json"
	"fmt"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"contribtrack/internal/leaderboard"
)

func newShareCmd(f *factory) *cobra.Command {
	var (
		qf     queryFlags
		format string
	)
	cmd := &cobra.Command{
		Use:   "share --from DATE --to DATE",
		Short: "Split a period's contributions into community, vendor staff and others",
		Long: `Split the contributions of [--from, --to) (the same filters as leaderboard)
by who made them at the time: vendor staff (an affiliation with one of the
roster's vendors, by member or by commit email domain), the community (roster
members otherwise) and others. Prints each class's contributions, share,
people and score; the community's share is the first line.`,
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
			classes, err := leaderboard.ComputeShare(cmd.Context(), s, q, settings)
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
				fmt.Fprintln(tw, "CLASS\tCONTRIBUTIONS\tSHARE\tPEOPLE\tSCORE")
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
	return cmd
}
