// Package cli is contribtrack's command line: one cobra command per file,
// sharing their dependencies through a factory.
package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"

	"github.com/spf13/cobra"
	"golang.org/x/term"
)

// Exit codes.
const (
	exitOK    = 0
	exitError = 1
	exitUsage = 2
)

// errUsage marks errors in how the command was called.
var errUsage = errors.New("usage")

// usageError wraps a message as a usage error (exit code 2).
func usageError(format string, args ...any) error {
	return fmt.Errorf("%w: "+format, append([]any{errUsage}, args...)...)
}

// noArgs rejects positional arguments as a usage error.
func noArgs(cmd *cobra.Command, args []string) error {
	if len(args) > 0 {
		return usageError("%s takes no arguments, got %q", cmd.CommandPath(), args)
	}
	return nil
}

// Main runs the command line with args and returns the exit code.
func Main(args []string, stdout, stderr io.Writer, getenv func(string) string) int {
	return run(&factory{stdout: stdout, stderr: stderr, getenv: getenv, stamp: stamped()}, args)
}

// run is Main with the factory given (tests set what it cannot ask).
func run(f *factory, args []string) int {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	stderr := f.stderr
	root := newRootCmd(f)
	root.SetArgs(args)
	err := root.ExecuteContext(ctx)
	f.close()
	if err == nil {
		return exitOK
	}
	fmt.Fprintln(stderr, "contribtrack:", err)
	for _, c := range f.localCrashes() {
		fmt.Fprintf(stderr, "contribtrack: %s; run the command again (logs: %s)\n", c, filepath.Join(f.local.Dir, "log"))
	}
	if errors.Is(err, errUsage) {
		return exitUsage
	}
	return exitError
}

func newRootCmd(f *factory) *cobra.Command {
	root := &cobra.Command{
		Use:           "contribtrack",
		Short:         "Track the open-source contributions of a community",
		SilenceUsage:  true,
		SilenceErrors: true,
		RunE:          func(cmd *cobra.Command, _ []string) error { return cmd.Help() },
		PersistentPreRunE: func(cmd *cobra.Command, _ []string) error {
			level := slog.LevelInfo
			if f.debug {
				level = slog.LevelDebug
			}
			f.log = slog.New(slog.NewTextHandler(f.stderr, &slog.HandlerOptions{Level: level}))
			return nil
		},
	}
	root.SetFlagErrorFunc(func(cmd *cobra.Command, err error) error {
		// "reprot --from ..." fails on --from, but what is wrong is reprot.
		if cmd.HasSubCommands() && cmd.Flags().NArg() > 0 {
			if err := unknownSubcommand(cmd, cmd.Flags().Args()); err != nil {
				return err
			}
		}
		return usageError("%v", err)
	})
	pf := root.PersistentFlags()
	pf.StringVar(&f.configPath, "config", "", "configuration file (env CONTRIBTRACK_CONFIG)")
	pf.StringVar(&f.dsn, "clickhouse", "", "ClickHouse DSN, e.g. clickhouse://127.0.0.1:9000/contribtrack (env CONTRIBTRACK_CLICKHOUSE; default: a local server contribtrack manages)")
	pf.BoolVar(&f.debug, "debug", false, "log more, and print the effective configuration")
	root.AddCommand(
		newMigrateCmd(f),
		newCollectCmd(f),
		newServeCmd(f),
		newImportCmd(f),
		newRosterCmd(f),
		newLeaderboardCmd(f),
		newShareCmd(f),
		newScoreCmd(f),
		newReportCmd(f),
		newClickHouseCmd(f),
		newDemoDataCmd(f),
		newVersionCmd(f),
	)
	setVersion(root, f)
	// Before the completion command, which takes its writer when made.
	root.SetOut(f.stdout)
	root.SetErr(f.stderr)
	root.InitDefaultCompletionCmd() // completion bash|zsh|fish|powershell
	completeFlagValues(f, root)
	guardSubcommands(root)
	return root
}

// guardSubcommands makes every command that has subcommands refuse an
// unknown one as a usage error that names the closest ones, instead of
// printing its help with success.
func guardSubcommands(c *cobra.Command) {
	if c.HasSubCommands() {
		c.Args = unknownSubcommand
		c.SuggestionsMinimumDistance = 2 // cobra's default, which SuggestionsFor does not apply
		if c.Run == nil && c.RunE == nil {
			c.RunE = func(cmd *cobra.Command, _ []string) error { return cmd.Help() }
		}
	}
	for _, sub := range c.Commands() {
		guardSubcommands(sub)
	}
}

// unknownSubcommand rejects the arguments of a command that only has
// subcommands: "lederboard" is a usage error that asks "did you mean
// leaderboard?".
func unknownSubcommand(cmd *cobra.Command, args []string) error {
	if len(args) == 0 {
		return nil
	}
	hint := ""
	if s := cmd.SuggestionsFor(args[0]); len(s) > 0 {
		hint = "; did you mean " + strings.Join(s, " or ") + "?"
	}
	return usageError("unknown command %q for %q%s (see %s --help)", args[0], cmd.CommandPath(), hint, cmd.CommandPath())
}

// isTerminal reports whether w is a terminal.
func isTerminal(w io.Writer) bool {
	file, ok := w.(*os.File)
	return ok && term.IsTerminal(int(file.Fd()))
}
