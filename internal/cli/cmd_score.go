package cli

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"contribtrack/internal/contrib"
	"contribtrack/internal/leaderboard"
)

func newScoreCmd(f *factory) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "score",
		Short: "Explain scores",
	}
	cmd.AddCommand(newScoreExplainCmd(f))
	return cmd
}

func newScoreExplainCmd(f *factory) *cobra.Command {
	var (
		qf     queryFlags
		format string
	)
	cmd := &cobra.Command{
		Use:   "explain LOGIN --from DATE --to DATE",
		Short: "List every contribution behind a person's score, its points and why",
		Long: `List a person's contributions of [--from, --to) (UTC dates) with the points
each earns: its kind's weight (scoring.weights) times what the scoring
profile (scoring.profile) makes of it, and why. Under the accepted profile
discounted contributions are listed with the rule that discounted them, and
those flagged as spam again at the end (docs/scoring.md). A roster member
is explained under any of their logins.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			login := args[0]
			if !contrib.ValidLogin(login) {
				return usageError("%q is not a GitHub login", login)
			}
			if format != "text" && format != "json" {
				return usageError("--format %q: want text or json", format)
			}
			q, err := qf.query(1)
			if err != nil {
				return err
			}
			s, settings, err := scoring(cmd.Context(), f)
			if err != nil {
				return err
			}
			ex, err := leaderboard.Explain(cmd.Context(), s, q, settings, login, time.Now())
			var fe *leaderboard.FieldError
			if errors.As(err, &fe) {
				return flagError(err)
			}
			if err != nil {
				return err
			}
			if format == "json" {
				enc := json.NewEncoder(f.stdout)
				enc.SetIndent("", "  ")
				return enc.Encode(ex)
			}
			return writeExplanation(f.stdout, ex)
		},
	}
	fl := cmd.Flags()
	qf.register(fl)
	fl.StringVar(&format, "format", "text", "text or json")
	return cmd
}

// writeExplanation prints an explanation as a table.
func writeExplanation(w io.Writer, ex leaderboard.Explanation) error {
	fmt.Fprintf(w, "%s, %s to %s (profile %s): score %s from %d of %d contributions\n\n", ex.Login,
		ex.From.Format(time.DateOnly), ex.To.Format(time.DateOnly), ex.Profile, number(ex.Score), ex.Counted, len(ex.Items))
	writeItems(w, ex.Items)
	if len(ex.Flagged) > 0 {
		fmt.Fprintf(w, "\nflagged as spam (%d):\n", len(ex.Flagged))
		writeItems(w, ex.Flagged)
	}
	return nil
}

func writeItems(w io.Writer, items []leaderboard.CreditEntry) {
	tw := tabwriter.NewWriter(w, 2, 8, 2, ' ', 0)
	fmt.Fprintln(tw, "date\tkind\twhere\tweight\tfactor\tpoints\twhy")
	for _, e := range items {
		where := e.Repository
		if e.Number > 0 {
			where += "#" + strconv.FormatInt(e.Number, 10)
		}
		if e.Title != "" {
			where += " " + shorten(e.Title, 40)
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\n", e.At.Format(time.DateOnly), e.Kind, where,
			number(e.Weight), number(e.Factor), number(e.Points), e.Why)
	}
	tw.Flush()
}

// number prints a score without trailing zeros.
func number(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) }

// shorten cuts s to n runes, marking the cut.
func shorten(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}
