package cli

import (
	"fmt"

	"github.com/spf13/cobra"

	"contribtrack/internal/localch"
	"contribtrack/internal/store"
)

func newClickHouseCmd(f *factory) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "clickhouse",
		Short: "Manage the local ClickHouse server contribtrack runs when no DSN is given",
	}
	cmd.AddCommand(&cobra.Command{
		Use:   "start",
		Short: "Start (or find) the local server and print its DSN",
		Args:  noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			dir, err := f.localDir()
			if err != nil {
				return err
			}
			inst, err := localch.Ensure(cmd.Context(), dir, f.log)
			if err != nil {
				return err
			}
			fmt.Fprintf(f.stdout, "%s\n", inst.DSN(store.DefaultDatabase))
			return nil
		},
	}, &cobra.Command{
		Use:   "install",
		Short: "Install the ClickHouse library the local server runs (npm package " + localch.LibraryPackage + "@" + localch.LibraryVersion + ") and print its path",
		Args:  noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			path, err := localch.InstallLibrary(cmd.Context(), f.log)
			if err != nil {
				return err
			}
			fmt.Fprintf(f.stdout, "%s\n", path)
			return nil
		},
	}, &cobra.Command{
		Use:   "stop",
		Short: "Stop the local server (its data stays)",
		Args:  noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			dir, err := f.localDir()
			if err != nil {
				return err
			}
			return localch.Stop(dir)
		},
	})
	return cmd
}
