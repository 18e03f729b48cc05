package cli

import (
	"fmt"
	"runtime"
	"runtime/debug"
	"strings"

	"github.com/spf13/cobra"

	"contribtrack/internal/metrics"
)

// Set at build time, for example by the Makefile:
//
//	go build -ldflags "-X contribtrack/internal/cli.version=v1.2.3 -X contribtrack/internal/cli.commit=abc123 -X contribtrack/internal/cli.date=2026-01-02T03:04:05Z"
//
// Unset, they come from what the Go toolchain recorded in the binary
// (runtime/debug.ReadBuildInfo: the module version, vcs.revision,
// vcs.time).
var version, commit, date string

// stamped is what -ldflags set (empty fields: nothing).
func stamped() build { return build{Version: version, Commit: commit, Date: date} }

// build is what this binary was built from.
type build struct {
	Version, Commit, Date, GoVersion string
	Modified                         bool // built from a work tree with changes
}

// buildOf completes the build information stamped at build time: the
// stamp's values first, then the binary's own, then "devel" and "unknown".
func buildOf(stamp build) build {
	b := build{Version: stamp.Version, Commit: stamp.Commit, Date: stamp.Date, GoVersion: runtime.Version()}
	if info, ok := debug.ReadBuildInfo(); ok {
		b.GoVersion = info.GoVersion
		if b.Version == "" && info.Main.Version != "" && info.Main.Version != "(devel)" {
			b.Version = info.Main.Version
		}
		for _, s := range info.Settings {
			switch s.Key {
			case "vcs.revision":
				if b.Commit == "" {
					b.Commit = s.Value
				}
			case "vcs.time":
				if b.Date == "" {
					b.Date = s.Value
				}
			case "vcs.modified":
				b.Modified = b.Modified || s.Value == "true"
			}
		}
	}
	if b.Version == "" {
		b.Version = "devel"
	}
	if b.Commit == "" {
		b.Commit = "unknown"
	}
	if b.Date == "" {
		b.Date = "unknown"
	}
	return b
}

// String is what --version and the version command print.
func (b build) String() string {
	c := b.Commit
	if b.Modified {
		c += " (modified)"
	}
	return fmt.Sprintf("contribtrack %s\ncommit: %s\nbuilt: %s\ngo: %s\n", b.Version, c, b.Date, b.GoVersion)
}

// metrics is the build as contribtrack_build_info labels it.
func (b build) metrics() metrics.BuildInfo {
	c := b.Commit
	if b.Modified {
		c += "-modified"
	}
	return metrics.BuildInfo{Version: b.Version, Commit: c, GoVersion: b.GoVersion}
}

func newVersionCmd(f *factory) *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "Print the version, commit, build date and Go version",
		Args:  noArgs,
		RunE: func(*cobra.Command, []string) error {
			_, err := fmt.Fprint(f.stdout, buildOf(f.stamp))
			return err
		},
	}
}

// setVersion gives root a --version flag printing what version prints.
func setVersion(root *cobra.Command, f *factory) {
	b := buildOf(f.stamp)
	root.Version = b.Version
	// The template is text/template: keep the text literal.
	root.SetVersionTemplate(`{{"` + strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\n", `\n`).Replace(b.String()) + `"}}`)
}
