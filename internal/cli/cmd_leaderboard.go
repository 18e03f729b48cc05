package cli

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"contribtrack/internal/contrib"
	"contribtrack/internal/leaderboard"
)

func newLeaderboardCmd(f *factory) *cobra.Command {
	var (
		from, to, org, repo, format string
		program, category, group    string
		region, country             string
		kinds                       []string
		limit                       int
		includeBots                 bool
	)
	cmd := &cobra.Command{
		Use:   "leaderboard --from DATE --to DATE",
		Short: "Rank contributors by score for a period",
		Long: `Rank contributors by score: the weighted sum of their contributions in
[--from, --to) (UTC dates, --from inclusive, --to exclusive). Weights come
from scoring.weights in the configuration. Bots are left out unless
--include-bots is given. With a roster imported, a member's logins and
commit emails count as one person, and --program, --category, --group,
--region and --country keep the contributions made while the person held a
matching membership (a --program leaderboard for 2023 shows Heroes as of
their 2023 dates).`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if from == "" || to == "" {
				return usageError("--from and --to are required (UTC dates such as 2024-01-31)")
			}
			q := leaderboard.Query{Org: org, Repo: repo, Limit: limit, IncludeBots: includeBots,
				Program: program, Category: category, Group: group, Region: region, Country: country}
			var err error
			if q.From, err = parseDate("--from", from); err != nil {
				return err
			}
			if q.To, err = parseDate("--to", to); err != nil {
				return err
			}
			if strings.Contains(org, "/") {
				return usageError("--org %q: give an org name; use --repo for owner/name", org)
			}
			if repo != "" && strings.Count(repo, "/") != 1 {
				return usageError("--repo %q: want owner/name", repo)
			}
			for _, list := range kinds {
				for _, k := range strings.Split(list, ",") {
					kind, err := contrib.ParseKind(k)
					if err != nil {
						return usageError("--kind: %v", err)
					}
					q.Kinds = append(q.Kinds, kind)
				}
			}
			if !slices.Contains(leaderboard.Formats, format) {
				return usageError("--format %q: want one of %s", format, strings.Join(leaderboard.Formats, ", "))
			}
			if err := q.Validate(); err != nil {
				return usageError("%v", err)
			}
			cfg, err := f.config()
			if err != nil {
				return err
			}
			s, err := f.openStore(cmd.Context())
			if err != nil {
				return err
			}
			if err := s.CheckSchema(cmd.Context()); err != nil {
				return err
			}
			imp, err := s.ActiveRoster(cmd.Context())
			if err != nil {
				return err
			}
			people, err := s.People(cmd.Context(), imp.ID)
			if err != nil {
				return err
			}
			entries, err := leaderboard.Compute(cmd.Context(), s, q, leaderboard.Settings{
				Weights:    cfg.Weights(),
				BotRegex:   leaderboard.AnyRegex(cfg.BotRegex(), leaderboard.ExactRegex(people.Flags["bot"])),
				HumanRegex: leaderboard.ExactRegex(people.Flags["human"]),
				Roster:     imp.ID, People: people,
			})
			if err != nil {
				return err
			}
			return leaderboard.Write(f.stdout, format, entries, q.Kinds, isTerminal(f.stdout))
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&from, "from", "", "first day, inclusive (YYYY-MM-DD, UTC)")
	fl.StringVar(&to, "to", "", "last day, exclusive (YYYY-MM-DD, UTC)")
	fl.StringVar(&org, "org", "", "only this org")
	fl.StringVar(&repo, "repo", "", "only this repository (owner/name)")
	fl.StringSliceVar(&kinds, "kind", nil, "only these kinds (repeat or comma-separate); default every contribution kind")
	fl.IntVar(&limit, "limit", 20, fmt.Sprintf("number of contributors (1-%d)", leaderboard.MaxLimit))
	fl.BoolVar(&includeBots, "include-bots", false, "keep bots in the ranking")
	fl.StringVar(&program, "program", "", "only contributions made while a member of this program (roster), e.g. aws-heroes")
	fl.StringVar(&category, "category", "", "only while in this category of a program (roster), e.g. Serverless")
	fl.StringVar(&group, "group", "", "only while leading this group (roster), e.g. \"AWS User Group Lisbon\"")
	fl.StringVar(&region, "region", "", "only roster members of this region")
	fl.StringVar(&country, "country", "", "only roster members of this country")
	fl.StringVar(&format, "format", "table", "table, json or csv")
	return cmd
}

// parseDate reads a UTC date (YYYY-MM-DD) or an RFC 3339 time.
func parseDate(flag, s string) (time.Time, error) {
	if t, err := time.Parse(time.DateOnly, s); err == nil {
		return t, nil
	}
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t.UTC(), nil
	}
	return time.Time{}, usageError("%s %q: want a date such as 2024-01-31", flag, s)
}
