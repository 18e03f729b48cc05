package cli

import (
	"errors"
	"fmt"
	"sort"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"contribtrack/internal/contrib"
	"contribtrack/internal/roster"
	"contribtrack/internal/store"
)

func newRosterCmd(f *factory) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "roster",
		Short: "Check, import and query the community roster",
		Long: `The roster says who the community's people are: members with their GitHub
logins (and ids, and commit emails), and their dated memberships in programs.
Identity corrections, bots, people who are not bots and opt-outs are kept in
files next to it. See docs/roster.md for the formats.`,
	}
	cmd.AddCommand(newRosterLintCmd(f), newRosterImportCmd(f), newRosterWhoCmd(f), newRosterUnclaimedCmd(f))
	return cmd
}

// loadRoster reads and checks roster files; its error lists every
// problem (roster.Problems, the first roster.MaxShown of them).
func loadRoster(args []string) (*roster.Roster, error) {
	return roster.Load(args...)
}

func rosterSummary(r *roster.Roster) string {
	n := 0
	for _, m := range r.Members {
		n += len(m.Memberships)
	}
	return fmt.Sprintf("%d members, %d memberships, %d identity corrections, %d bots, %d humans, %d opt-outs",
		len(r.Members), n, len(r.Corrections), len(r.Bots), len(r.Humans), len(r.OptOut))
}

func newRosterLintCmd(f *factory) *cobra.Command {
	return &cobra.Command{
		Use:   "lint FILE...",
		Short: "Check roster files (YAML or CSV) together, reporting every problem",
		Args:  needFiles,
		RunE: func(cmd *cobra.Command, args []string) error {
			r, err := loadRoster(args)
			if err != nil {
				return err
			}
			fmt.Fprintf(f.stdout, "ok: %s\n", rosterSummary(r))
			return nil
		},
	}
}

func newRosterImportCmd(f *factory) *cobra.Command {
	var allowEmpty bool
	cmd := &cobra.Command{
		Use:   "import FILE...",
		Short: "Replace the stored roster with these files (all or nothing)",
		Long: `Check the roster files together and, when they have no problem, store them
as the roster every leaderboard uses. Give every file each time (the roster
and its identity corrections): an import replaces the previous roster as a
whole, and a failed one leaves it in place.`,
		Args: needFiles,
		RunE: func(cmd *cobra.Command, args []string) error {
			r, err := loadRoster(args)
			var ps roster.Problems
			if errors.As(err, &ps) {
				// Checked before anything is opened: nothing was stored.
				return fmt.Errorf("%w\nnothing was changed: fix these and import the files again", ps)
			}
			if err != nil {
				return err
			}
			if len(r.Members) == 0 && !allowEmpty {
				return usageError("these files list no member: importing them would empty the roster (pass --allow-empty if that is what you want)")
			}
			s, err := f.writeStore(cmd.Context())
			if err != nil {
				return err
			}
			env, err := f.ingest(cmd.Context(), s)
			if err != nil {
				return err
			}
			imp, err := env.ImportRoster(cmd.Context(), r, strings.Join(args, ", "))
			if imp.ID != 0 {
				// Imported, even when the rollup's refresh failed after it.
				fmt.Fprintf(f.stdout, "imported %s (roster %d)\n", rosterSummary(r), imp.ID)
			}
			return err
		},
	}
	cmd.Flags().BoolVar(&allowEmpty, "allow-empty", false, "import files that list no member (empties the roster)")
	return cmd
}

func needFiles(_ *cobra.Command, args []string) error {
	if len(args) == 0 {
		return usageError("name at least one roster file (.yaml or .csv)")
	}
	return nil
}

func newRosterWhoCmd(f *factory) *cobra.Command {
	return &cobra.Command{
		Use:   "who LOGIN|EMAIL",
		Short: "Explain how a login or commit email resolves: member, programs, flags, contributions",
		Args: func(_ *cobra.Command, args []string) error {
			if len(args) != 1 || strings.TrimSpace(args[0]) == "" {
				return usageError("give one login or email")
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			s, imp, err := f.readStore(cmd.Context())
			if err != nil {
				return err
			}
			who := strings.TrimSpace(args[0])
			var login string
			var actor uint64
			shown := who
			if strings.Contains(who, "@") {
				env, err := f.ingest(cmd.Context(), s)
				if err != nil {
					return err
				}
				actor = env.EmailKey.ActorID(who)
				_, domain, _ := strings.Cut(who, "@")
				// The address is hashed as imports hash it, and not printed back.
				shown = fmt.Sprintf("the email (domain %s), stored as %s", strings.ToLower(domain), contrib.EmailLabel(actor))
			} else {
				login = who
			}
			w, err := s.WhoIs(cmd.Context(), imp.ID, login, actor)
			if err != nil {
				return err
			}
			printWho(f.stdout, shown, imp, w)
			return nil
		},
	}
}

func printWho(out interface{ Write([]byte) (int, error) }, shown string, imp store.RosterImport, w store.Who) {
	switch {
	case imp.ID == 0:
		fmt.Fprintf(out, "%s: no roster has been imported\n", shown)
	case w.MemberID == 0:
		fmt.Fprintf(out, "%s: not in the roster\n", shown)
	default:
		fmt.Fprintf(out, "%s: member %s (%s), found by %s\n", shown, w.MemberKey, w.Name, w.Via)
		if w.Country != "" || w.Region != "" {
			fmt.Fprintf(out, "  country %s, region %s\n", orDash(w.Country), orDash(w.Region))
		}
		for _, m := range w.Memberships {
			end := "ongoing"
			if m.Ends.Before(roster.Forever) {
				end = m.Ends.AddDate(0, 0, -1).Format(time.DateOnly)
			}
			what := strings.TrimSpace(m.Category + " " + m.Group)
			fmt.Fprintf(out, "  %s %s: %s to %s\n", m.Program, what, m.Starts.Format(time.DateOnly), end)
		}
	}
	if len(w.Flags) > 0 {
		fmt.Fprintf(out, "  flags: %s\n", strings.Join(w.Flags, ", "))
	}
	kinds := make([]string, 0, len(w.Counts))
	for k := range w.Counts {
		kinds = append(kinds, k)
	}
	sort.Strings(kinds)
	var parts []string
	for _, k := range kinds {
		parts = append(parts, fmt.Sprintf("%s %d", k, w.Counts[k]))
	}
	if len(parts) == 0 {
		parts = []string{"none"}
	}
	fmt.Fprintf(out, "  contributions stored: %s\n", strings.Join(parts, ", "))
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

func newRosterUnclaimedCmd(f *factory) *cobra.Command {
	var from, to string
	var limit int
	cmd := &cobra.Command{
		Use:   "unclaimed --from DATE --to DATE",
		Short: "List commit email identities nobody has claimed, most commits first",
		Long: `Commits whose author email matches no GitHub account stay with an identity
derived from the email (shown as email:<hex>, the address is never stored).
This lists those no roster member has claimed, with their email domain and
repositories, so that people can find theirs: check with
"contribtrack roster who EMAIL", then claim it in the identities file.`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if from == "" || to == "" {
				return usageError("--from and --to are required (UTC dates such as 2024-01-31)")
			}
			f0, err := parseDate("--from", from)
			if err != nil {
				return err
			}
			t0, err := parseDate("--to", to)
			if err != nil {
				return err
			}
			if limit < 1 || limit > 10000 {
				return usageError("--limit %d: must be between 1 and 10000", limit)
			}
			s, imp, err := f.readStore(cmd.Context())
			if err != nil {
				return err
			}
			us, err := s.UnclaimedEmails(cmd.Context(), imp.ID, f0, t0, limit)
			if err != nil {
				return err
			}
			tw := tabwriter.NewWriter(f.stdout, 0, 4, 2, ' ', 0)
			fmt.Fprintln(tw, "IDENTITY\tCOMMITS\tDOMAIN\tREPOSITORIES")
			for _, u := range us {
				fmt.Fprintf(tw, "%s\t%d\t%s\t%s\n", contrib.EmailLabel(u.ActorID), u.Commits, orDash(u.Domain), strings.Join(u.Repos, ", "))
			}
			return tw.Flush()
		},
	}
	cmd.Flags().StringVar(&from, "from", "", "first day, inclusive (YYYY-MM-DD, UTC)")
	cmd.Flags().StringVar(&to, "to", "", "last day, exclusive (YYYY-MM-DD, UTC)")
	cmd.Flags().IntVar(&limit, "limit", 50, "number of identities (1-10000)")
	return cmd
}
