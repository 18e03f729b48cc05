package cli

import (
	"slices"
	"strings"

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
			if err := checkListingFormat(format); err != nil {
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
			o := f.output()
			fit, err := leaderboard.WriteShare(f.stdout, format, classes, o)
			f.noteFitted(fit, o)
			return err
		},
	}
	qf.register(cmd.Flags())
	listingFormat(cmd, &format)
	cmd.Flags().StringVar(&by, "by", "affiliation", "group by "+strings.Join(store.ShareGroupings, ", "))
	return cmd
}
