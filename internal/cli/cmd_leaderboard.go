package cli

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"contribtrack/internal/config"
	"contribtrack/internal/contrib"
	"contribtrack/internal/leaderboard"
	"contribtrack/internal/store"
)

// queryFlags are the filters leaderboard and share take.
type queryFlags struct {
	from, to, org, repo          string
	program, category, group     string
	region, country, affiliation string
	kinds                        []string
	includeBots                  bool
}

func (qf *queryFlags) register(fl *pflag.FlagSet) {
	fl.StringVar(&qf.from, "from", "", "first day, inclusive (YYYY-MM-DD, UTC)")
	fl.StringVar(&qf.to, "to", "", "last day, exclusive (YYYY-MM-DD, UTC)")
	fl.StringVar(&qf.org, "org", "", "only this org")
	fl.StringVar(&qf.repo, "repo", "", "only this repository (owner/name)")
	fl.StringSliceVar(&qf.kinds, "kind", nil, "only these kinds (repeat or comma-separate); default every contribution kind")
	fl.BoolVar(&qf.includeBots, "include-bots", false, "keep bots")
	fl.StringVar(&qf.program, "program", "", "only contributions made while a member of this program (roster), e.g. aws-heroes")
	fl.StringVar(&qf.category, "category", "", "only while in this category of a program (roster), e.g. Serverless")
	fl.StringVar(&qf.group, "group", "", "only while leading this group (roster), e.g. \"AWS User Group Lisbon\"")
	fl.StringVar(&qf.region, "region", "", "only roster members of this region")
	fl.StringVar(&qf.country, "country", "", "only roster members of this country")
	fl.StringVar(&qf.affiliation, "affiliation", "", "only community, vendor (staff of a roster vendor) or other")
}

// query checks the flags and builds the query (limit filled in later).
func (qf *queryFlags) query(limit int) (leaderboard.Query, error) {
	if qf.from == "" || qf.to == "" {
		return leaderboard.Query{}, usageError("--from and --to are required (UTC dates such as 2024-01-31)")
	}
	q := leaderboard.Query{
		Question: store.Question{
			Org:         qf.org,
			Repo:        qf.repo,
			Limit:       limit,
			Program:     qf.program,
			Category:    qf.category,
			Group:       qf.group,
			Region:      qf.region,
			Country:     qf.country,
			Affiliation: qf.affiliation,
		},
		IncludeBots: qf.includeBots,
	}
	var err error
	if q.From, err = parseDate("--from", qf.from); err != nil {
		return q, err
	}
	if q.To, err = parseDate("--to", qf.to); err != nil {
		return q, err
	}
	for _, list := range qf.kinds {
		for _, k := range strings.Split(list, ",") {
			kind, err := contrib.ParseKind(k)
			if err != nil {
				return q, usageError("--kind: %v", err)
			}
			q.Kinds = append(q.Kinds, kind)
		}
	}
	return q, flagError(q.Validate())
}

// flagError says a question's own check (leaderboard.Query.Validate, or a
// report request's) as a usage error naming the flag at fault.
func flagError(err error) error {
	var fe *leaderboard.FieldError
	switch {
	case err == nil:
		return nil
	case errors.As(err, &fe):
		return usageError("--%s: %s", fe.Field, fe.Problem)
	}
	return usageError("%v", err)
}

// scoring opens the store and gathers the settings: weights and bot rules
// from the config, people from the active roster.
func scoring(ctx context.Context, f *factory) (*store.Store, leaderboard.Settings, error) {
	cfg, err := f.config()
	if err != nil {
		return nil, leaderboard.Settings{}, err
	}
	s, _, err := f.readStore(ctx)
	if err != nil {
		return nil, leaderboard.Settings{}, err
	}
	settings, err := leaderboard.LoadSettings(ctx, s, rules(cfg))
	return s, settings, err
}

// rules are the configured scoring rules.
func rules(cfg *config.Config) leaderboard.Rules { return leaderboard.Configured(cfg) }

func newLeaderboardCmd(f *factory) *cobra.Command {
	var (
		qf     queryFlags
		format string
		limit  int
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
their 2023 dates); --affiliation keeps the community, vendor staff or others.`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			q, err := qf.query(limit)
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
			if err := leaderboard.CheckNames(cmd.Context(), s, q, settings); err != nil {
				return err
			}
			entries, err := leaderboard.Compute(cmd.Context(), s, q, settings)
			if err != nil {
				return err
			}
			if len(entries) == 0 {
				fmt.Fprintf(f.stderr, "no contributions match in [%s, %s)\n", q.From.Format(time.DateOnly), q.To.Format(time.DateOnly))
			}
			o := f.output()
			fit, err := leaderboard.WriteTo(f.stdout, format, entries, q.Kinds, o)
			f.noteFitted(fit, o)
			return err
		},
	}
	fl := cmd.Flags()
	qf.register(fl)
	fl.IntVar(&limit, "limit", 20, fmt.Sprintf("number of contributors (1-%d)", leaderboard.MaxLimit))
	listingFormat(cmd, &format)
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
