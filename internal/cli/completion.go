package cli

import (
	"context"
	"log/slog"
	"slices"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"contribtrack/internal/contrib"
	"contribtrack/internal/store"
)

// completionTimeout bounds what completing a flag value asks ClickHouse:
// a shell is waiting, and fewer suggestions beat a hung prompt.
const completionTimeout = 2 * time.Second

// rosterFlags are the flags that name something of the roster.
var rosterFlags = []string{"program", "category", "group", "region", "country"}

// completeFlagValues gives every command's flags that name something
// value completion: --kind from the vocabulary, --org and --repo from the
// configuration and the store, --program (--category, ...) from the
// active roster, --affiliation and share's --by from their fixed lists.
// Flags that already complete (--format) are left as they are.
func completeFlagValues(f *factory, c *cobra.Command) {
	fl := c.Flags()
	register := func(name string, fn cobra.CompletionFunc) {
		if fl.Lookup(name) != nil {
			_ = c.RegisterFlagCompletionFunc(name, fn)
		}
	}
	register("kind", completeKinds)
	register("org", f.completeNames("org"))
	register("repo", f.completeNames("repo"))
	for _, name := range rosterFlags {
		register(name, f.completeNames(name))
	}
	register("affiliation", cobra.FixedCompletions(store.AffiliationClasses, cobra.ShellCompDirectiveNoFileComp))
	if c.Name() == "share" {
		register("by", cobra.FixedCompletions(store.ShareGroupings, cobra.ShellCompDirectiveNoFileComp))
	}
	for _, sub := range c.Commands() {
		completeFlagValues(f, sub)
	}
}

// completeKinds completes --kind, one kind after the commas already typed.
func completeKinds(_ *cobra.Command, _ []string, toComplete string) ([]string, cobra.ShellCompDirective) {
	done, typed := "", toComplete
	if i := strings.LastIndex(toComplete, ","); i >= 0 {
		done, typed = toComplete[:i+1], toComplete[i+1:]
	}
	var out []string
	for _, k := range contrib.Kinds {
		if strings.HasPrefix(string(k), typed) {
			out = append(out, done+string(k))
		}
	}
	return out, cobra.ShellCompDirectiveNoFileComp | cobra.ShellCompDirectiveNoSpace
}

// completeNames completes a flag naming an org ("org"), a repository
// ("repo") or a roster dimension ("program", ...).
func (f *factory) completeNames(what string) cobra.CompletionFunc {
	return func(cmd *cobra.Command, _ []string, toComplete string) ([]string, cobra.ShellCompDirective) {
		var out []string
		for _, n := range f.knownNames(cmd.Context(), what) {
			if strings.HasPrefix(strings.ToLower(n), strings.ToLower(toComplete)) {
				out = append(out, n)
			}
		}
		return out, cobra.ShellCompDirectiveNoFileComp
	}
}

// knownNames lists what a flag can name, sorted and each once: the
// configuration's orgs and repositories, and what the store knows when it
// answers in time. Completion never starts the local server (that can
// take minutes) and never fails: a store that is down or not configured
// just gives fewer names.
func (f *factory) knownNames(ctx context.Context, what string) []string {
	// Completion runs no PersistentPreRunE, and stderr is the shell's.
	f.debug = false
	if f.log == nil {
		f.log = slog.New(slog.DiscardHandler)
	}
	if ctx == nil {
		ctx = context.Background()
	}
	var names []string
	cfg, err := f.config()
	if err != nil {
		return nil
	}
	switch what {
	case "org":
		names = append(names, cfg.Orgs...)
		for _, r := range cfg.Repos {
			names = append(names, contrib.OrgOf(r))
		}
	case "repo":
		names = append(names, cfg.Repos...)
	}
	if cfg.ClickHouse != "" {
		ctx, cancel := context.WithTimeout(ctx, completionTimeout)
		defer cancel()
		names = append(names, f.storedNames(ctx, what)...)
	}
	if what == "org" || what == "repo" { // GitHub's names are case-insensitive
		for i, n := range names {
			names[i] = strings.ToLower(n)
		}
	}
	slices.Sort(names)
	return slices.Compact(names)
}

// storedNames asks the store what it knows of what; nil on any error.
func (f *factory) storedNames(ctx context.Context, what string) []string {
	s, err := f.openStore(ctx)
	if err != nil {
		return nil
	}
	if what == "org" || what == "repo" {
		names, _ := s.StoredNames(ctx, what)
		return names
	}
	imp, err := s.ActiveRoster(ctx)
	if err != nil {
		return nil
	}
	names, _ := s.RosterNames(ctx, imp.ID)
	return names[what]
}
