package ingest

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"contribtrack/internal/bots"
	"contribtrack/internal/collector"
	"contribtrack/internal/contrib"
	"contribtrack/internal/gharchive"
	"contribtrack/internal/store"
)

// ErrNothingToKeep is returned when an import would keep nothing: no org,
// repository or roster member to select, and not every repository.
var ErrNothingToKeep = errors.New("nothing to keep: list orgs or repos in the config file (--config), import a roster, or pass --all to keep every repository")

// ArchiveOptions returns how GH Archive events are read for this
// database: the configured orgs and repositories (all: every one) and the
// roster members' events wherever they happen, the email key, and the
// default branches the API reported, for repositories the archive has not
// named yet (docs/decisions.md).
// It returns ErrNothingToKeep, with the options, when they keep nothing.
func (e Env) ArchiveOptions(ctx context.Context, all bool) (gharchive.Options, error) {
	sel := gharchive.NewSelector(all, e.Config.Orgs, e.Config.Repos)
	imp, err := e.Store.ActiveRoster(ctx)
	if err != nil {
		return gharchive.Options{}, err
	}
	ids, logins, err := e.Store.RosterAccounts(ctx, imp.ID)
	if err != nil {
		return gharchive.Options{}, err
	}
	cps, err := e.Store.Checkpoints(ctx)
	if err != nil {
		return gharchive.Options{}, err
	}
	opts := gharchive.Options{Selector: sel.WithMembers(ids, logins), EmailKey: e.EmailKey,
		KnownDefaultBranches: collector.DefaultBranches(cps), Behaviour: e.recordBehaviour}
	if !all && len(e.Config.Orgs) == 0 && len(e.Config.Repos) == 0 && len(ids)+len(logins) == 0 {
		return opts, ErrNothingToKeep
	}
	return opts, nil
}

// Files returns the import of the given GH Archive inputs as a source.
func (e Env) Files(ctx context.Context, inputs []gharchive.Input, all bool, progress func(int64)) (gharchive.Files, error) {
	opts, err := e.ArchiveOptions(ctx, all)
	if err != nil {
		return gharchive.Files{}, err
	}
	opts.Progress = progress
	return gharchive.Files{Inputs: inputs, Options: opts}, nil
}

// legacyNextHour is the setting where the hours' position was kept before
// it became a checkpoint (gharchive.HoursCheckpoint): still read as the
// start when there is no checkpoint.
const legacyNextHour = "gharchive.next_hour"

// Hours returns the source that follows GH Archive's hours from
// serve.gharchive_from (or where it stopped). Its selection is read
// again at each sync, so a roster imported meanwhile is followed;
// failures counts broken hours' attempts across syncs (the caller keeps
// it).
func (e Env) Hours(obs gharchive.Observer, failures map[time.Time]int) *HoursSource {
	return &HoursSource{env: e, obs: obs, failures: failures}
}

// HoursSource is Env.Hours: gharchive.Hours with its selection and
// start read as each sync begins.
type HoursSource struct {
	env      Env
	obs      gharchive.Observer
	failures map[time.Time]int
}

// Name says which source this is.
func (h *HoursSource) Name() string { return gharchive.Hours{}.Name() }

// Sync imports the hours due.
func (h *HoursSource) Sync(ctx context.Context, st contrib.SyncStore) (contrib.Synced, error) {
	e := h.env
	none := contrib.Synced{Unit: "hours"} // nothing read
	from, err := gharchive.ParseHour(e.Config.Serve.GHArchiveFrom)
	if err != nil {
		return none, fmt.Errorf("serve.gharchive_from: %w", err)
	}
	if saved, err := e.Store.Setting(ctx, legacyNextHour); err != nil {
		return none, err
	} else if saved != "" {
		if from, err = gharchive.ParseHour(saved); err != nil {
			return none, fmt.Errorf("setting %s: %w", legacyNextHour, err)
		}
	}
	opts, err := e.ArchiveOptions(ctx, false)
	if errors.Is(err, ErrNothingToKeep) {
		err = nil // no orgs, and no roster yet: nothing is kept until one is imported
	}
	if err != nil {
		return none, err
	}
	opts.Observer = h.obs
	src := gharchive.Hours{From: from, Follow: gharchive.Follow{
		Resolver: gharchive.Resolver{BaseURL: e.Config.GHArchive.BaseURL}, Options: opts,
		MaxHours: e.Config.Serve.GHArchiveHoursPerRound, Failures: h.failures, Logger: e.Log,
	}}
	return src.Sync(ctx, st)
}

// recordBehaviour is RecordBehaviour into the Env's store.
func (e Env) recordBehaviour(ctx context.Context, input string, evidence []bots.Evidence) error {
	return RecordBehaviour(ctx, e.Store, input, evidence)
}

// RecordBehaviour stores what accounts did in one GH Archive input (its
// file name is the unit: importing the hour again replaces it) and judges
// those accounts again on everything stored of them: the bots found by
// behaviour (docs/bots.md), which leaderboards leave out like listed ones.
// It is a gharchive.Options.Behaviour for st.
func RecordBehaviour(ctx context.Context, st *store.Store, input string, evidence []bots.Evidence) error {
	unit := "gharchive:" + gharchive.UnitOf(input)
	// Everyone the unit held before is judged again too: what it says now
	// may clear them.
	logins, err := st.UnitLogins(ctx, unit)
	if err != nil {
		return err
	}
	if err := st.SaveBehaviour(ctx, unit, evidence); err != nil {
		return err
	}
	for _, ev := range evidence {
		if len(ev.Counts()) > 0 {
			logins = append(logins, ev.Login)
		}
	}
	sums, err := st.Behaviour(ctx, logins)
	if err != nil {
		return err
	}
	// An account with nothing stored any more is judged on nothing.
	byLogin := map[string]bots.Evidence{}
	for _, s := range sums {
		byLogin[strings.ToLower(s.Login)] = s
	}
	var verdicts []bots.Verdict
	seen := map[string]bool{}
	for _, l := range logins {
		k := strings.ToLower(l)
		if seen[k] {
			continue
		}
		seen[k] = true
		ev, ok := byLogin[k]
		if !ok {
			ev = bots.Evidence{Login: l}
		}
		verdicts = append(verdicts, bots.Judge(ev))
	}
	return st.SaveVerdicts(ctx, verdicts)
}
