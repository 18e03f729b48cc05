package cli

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/spf13/cobra"

	"contribtrack/internal/report"
)

func newReportCmd(f *factory) *cobra.Command {
	var (
		scope         report.Scope
		from, to, out string
		format        string
	)
	cmd := &cobra.Command{
		Use:   "report [--org O | --repo O/R | --project NAME | --program P | --member LOGIN] --from DATE --to DATE",
		Short: "Write a contributor report for a project, program or member and a period",
		Long: `Write a contributor report for [--from, --to) (UTC days, --to exclusive):
a summary (contributions by kind, active, new and returning contributors,
pull requests merged, median time to merge and to first response, the
community's share, data completeness and last sync), every contributor with
per-kind counts, score and roster programs (first-time contributors marked),
the top reviewers, and the first-time contributors to welcome. Bots are left
out, and the report says how many contributions that is.

The scope is one of --org, --repo, --project (a set of orgs and
repositories named under projects in the configuration), --program (a
roster program: the contributions its members made while members) or
--member (one person's contributions anywhere); none means everything
tracked.

--format md (GitHub-flavoured Markdown, for release notes and discussions),
csv (one row per contributor), json (docs/reports.md has its schema) or
html (one self-contained page with charts, printable). --out writes a file
(replaced whole, never left half-written); without it the report goes to
standard output. --out's extension (.md, .csv, .json, .html) sets the
format; another extension (report.pdf) is refused, and so is a --format
that disagrees with it. Without either, md.`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if format != "" && !report.ValidFormat(format) {
				return usageError("--format %q: want one of %s", format, strings.Join(report.Formats, ", "))
			}
			format, err := reportFormat(format, out)
			if err != nil {
				return err
			}
			if from == "" || to == "" {
				return usageError("--from and --to are required (UTC dates such as 2024-01-31)")
			}
			req := report.Request{Scope: scope}
			if scope.Project != "" {
				cfg, err := f.config()
				if err != nil {
					return err
				}
				entries, ok := cfg.Projects[scope.Project]
				if !ok {
					return usageError("--project %q: the configuration has no such project (projects: %s)", scope.Project, projectNames(cfg.Projects))
				}
				req.Set = report.ProjectSet(entries)
			}
			if req.From, err = parseDate("--from", from); err != nil {
				return err
			}
			if req.To, err = parseDate("--to", to); err != nil {
				return err
			}
			if err := flagError(req.Validate()); err != nil {
				return err
			}
			s, settings, err := scoring(cmd.Context(), f)
			if err != nil {
				return err
			}
			r, err := report.Build(cmd.Context(), s, req, settings, report.Options{})
			if err != nil {
				return err
			}
			var buf bytes.Buffer
			if err := report.Write(&buf, format, r); err != nil {
				return err
			}
			if out == "" {
				_, err := f.stdout.Write(buf.Bytes())
				return err
			}
			return writeFileWhole(out, buf.Bytes())
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&scope.Org, "org", "", "an org's report")
	fl.StringVar(&scope.Repo, "repo", "", "a repository's report (owner/name)")
	fl.StringVar(&scope.Project, "project", "", "a project's report: a set of orgs and repositories named under projects in the configuration")
	fl.StringVar(&scope.Program, "program", "", "a roster program's report, e.g. aws-community-builders")
	fl.StringVar(&scope.Member, "member", "", "one member's report (a GitHub login)")
	fl.StringVar(&from, "from", "", "first day, inclusive (YYYY-MM-DD, UTC)")
	fl.StringVar(&to, "to", "", "last day, exclusive (YYYY-MM-DD, UTC)")
	fl.StringVar(&format, "format", "", "md, csv, json or html (default: from --out's extension, else md)")
	fl.StringVar(&out, "out", "", "write to this file instead of standard output (.md, .csv, .json or .html)")
	completeValues(cmd, "format", report.Formats...)
	_ = cmd.RegisterFlagCompletionFunc("out", cobra.FixedCompletions([]string{"md", "csv", "json", "html"}, cobra.ShellCompDirectiveFilterFileExt))
	return cmd
}

// reportExtensions are the file name extensions --out takes, and the
// format each one means.
var reportExtensions = map[string]string{".md": "md", ".markdown": "md", ".csv": "csv", ".json": "json", ".html": "html", ".htm": "html"}

// reportFormat is the format a report is written in: --format, else the
// one --out's extension names, else md. An extension contribtrack cannot
// write (report.pdf) is refused, and so is a --format the extension
// contradicts: either would write a file its name misdescribes. A name
// without an extension takes any format.
func reportFormat(format, out string) (string, error) {
	ext := strings.ToLower(filepath.Ext(out))
	if out == "" || ext == "" {
		if format == "" {
			return "md", nil
		}
		return format, nil
	}
	named, ok := reportExtensions[ext]
	switch {
	case !ok:
		return "", usageError("--out %s: contribtrack cannot write %s reports; name the file .md, .csv, .json or .html", out, ext)
	case format != "" && format != named:
		return "", usageError("--format %s, but --out %s names a %s file: give one, or make them agree", format, out, named)
	}
	return named, nil
}

// writeFileWhole replaces path with data: written to a temporary file
// beside it and synced first, then renamed over it, so that a failure or a
// crash leaves the old file. A new file gets the usual permissions (0666
// less the umask), a replaced one keeps its own; a symbolic link is
// followed, not replaced.
func writeFileWhole(path string, data []byte) error {
	fail := func(err error) error { return fmt.Errorf("--out %s: %w", path, err) }
	if target, err := filepath.EvalSymlinks(path); err == nil {
		path = target
	} else if !errors.Is(err, fs.ErrNotExist) {
		return fail(err)
	}
	mode := fs.FileMode(0o666)
	if st, err := os.Stat(path); err == nil {
		mode = st.Mode().Perm()
	}
	var tmp *os.File
	for attempt := 0; ; attempt++ {
		name := filepath.Join(filepath.Dir(path), fmt.Sprintf(".%s.%d.%d.tmp", filepath.Base(path), os.Getpid(), attempt))
		f, err := os.OpenFile(name, os.O_WRONLY|os.O_CREATE|os.O_EXCL, mode)
		if err == nil {
			tmp = f
			break
		}
		if !errors.Is(err, fs.ErrExist) || attempt > 100 {
			return fail(err)
		}
	}
	defer os.Remove(tmp.Name()) // gone after the rename
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return fail(err)
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return fail(err)
	}
	if err := tmp.Close(); err != nil {
		return fail(err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fail(err)
	}
	return nil
}

// projectNames lists the configured projects for an error message.
func projectNames(projects map[string][]string) string {
	if len(projects) == 0 {
		return "none configured"
	}
	names := make([]string, 0, len(projects))
	for n := range projects {
		names = append(names, n)
	}
	sort.Strings(names)
	return strings.Join(names, ", ")
}
