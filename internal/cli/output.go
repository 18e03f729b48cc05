package cli

import (
	"fmt"
	"os"
	"slices"
	"strconv"
	"strings"

	"github.com/spf13/cobra"
	"golang.org/x/term"

	"contribtrack/internal/leaderboard"
)

// defaultWidth is a terminal's width when it cannot be asked (nor
// $COLUMNS read).
const defaultWidth = 80

// output says where listings go: an aligned table fitted to a terminal's
// width, or tab-separated with every column when standard output is not a
// terminal.
func (f *factory) output() leaderboard.Output {
	if f.terminal != nil {
		return *f.terminal
	}
	file, ok := f.stdout.(*os.File)
	if !ok || !term.IsTerminal(int(file.Fd())) {
		return leaderboard.Output{}
	}
	if w, _, err := term.GetSize(int(file.Fd())); err == nil && w > 0 {
		return leaderboard.Output{Terminal: true, Width: w}
	}
	if w, err := strconv.Atoi(f.getenv("COLUMNS")); err == nil && w > 0 {
		return leaderboard.Output{Terminal: true, Width: w}
	}
	return leaderboard.Output{Terminal: true, Width: defaultWidth}
}

// noteFitted says on stderr what a terminal's table left out.
func (f *factory) noteFitted(fit leaderboard.Fitted, o leaderboard.Output) {
	if note := fit.Note(o.Width); note != "" {
		fmt.Fprintln(f.stderr, note)
	}
}

// listingFormat registers --format table|json|csv, the one set of
// formats every listing takes, with its completion.
func listingFormat(cmd *cobra.Command, format *string) {
	cmd.Flags().StringVar(format, "format", "table", strings.Join(leaderboard.Formats, ", ")+" (a table is tab-separated when piped)")
	completeValues(cmd, "format", leaderboard.Formats...)
}

// checkListingFormat refuses a --format no listing writes.
func checkListingFormat(format string) error {
	if !slices.Contains(leaderboard.Formats, format) {
		return usageError("--format %q: want one of %s", format, strings.Join(leaderboard.Formats, ", "))
	}
	return nil
}

// completeValues completes a flag with fixed values.
func completeValues(cmd *cobra.Command, flag string, values ...string) {
	_ = cmd.RegisterFlagCompletionFunc(flag, cobra.FixedCompletions(values, cobra.ShellCompDirectiveNoFileComp))
}
