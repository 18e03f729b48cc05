package cli

import (
	"context"
	"fmt"

	"contribtrack/internal/ingest"

	"github.com/spf13/cobra"
)

func newMigrateCmd(f *factory) *cobra.Command {
	return &cobra.Command{
		Use:   "migrate",
		Short: "Create or upgrade the database schema (safe to run again)",
		Args:  noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			cfg, err := f.config()
			if err != nil {
				return err
			}
			s, err := f.openStore(cmd.Context())
			if err != nil {
				return err
			}
			applied, err := s.Migrate(cmd.Context())
			if err != nil {
				return err
			}
			if len(applied) == 0 {
				fmt.Fprintf(f.stdout, "database %s: schema up to date\n", s.Database())
			}
			for _, m := range applied {
				fmt.Fprintf(f.stdout, "database %s: applied %s\n", s.Database(), m)
			}
			// The views the dashboards read score by the rules published.
			if err := s.PublishRules(cmd.Context(), rules(cfg)); err != nil {
				return fmt.Errorf("the schema is migrated, but %w", err)
			}
			// A new rollup starts stale; so may one a failed refresh left.
			return ingest.Refresh(context.WithoutCancel(cmd.Context()), s, f.log)
		},
	}
}
