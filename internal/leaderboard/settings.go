package leaderboard

import (
	"context"

	"contribtrack/internal/store"
)

// Rules are the configured scoring rules: weights per kind and the bot
// rules as RE2 expressions (see config.Config.BotRegex). They are the
// store's type, which publishes them for the views the dashboards read.
type Rules = store.ScoringRules

// Roster is where the active roster's people come from, and the bots
// found by behaviour; *store.Store is one.
type Roster interface {
	ActiveRoster(ctx context.Context) (store.RosterImport, error)
	People(ctx context.Context, importID uint64) (store.RosterPeople, error)
	DetectedBots(ctx context.Context) ([]store.DetectedBot, error)
}

// LoadSettings combines the configured rules with the active roster (its
// members' shown logins, opt-outs, and its bots and humans) and the bots
// found by behaviour. Humans, configured or in the roster, stay people
// whatever the rest says.
func LoadSettings(ctx context.Context, src Roster, r Rules) (Settings, error) {
	imp, err := src.ActiveRoster(ctx)
	if err != nil {
		return Settings{}, err
	}
	people, err := src.People(ctx, imp.ID)
	if err != nil {
		return Settings{}, err
	}
	detected, err := src.DetectedBots(ctx)
	if err != nil {
		return Settings{}, err
	}
	found := make([]string, len(detected))
	for i, d := range detected {
		found[i] = d.Login
	}
	return Settings{
		Weights:    r.Weights,
		BotRegex:   AnyRegex(r.BotRegex, ExactRegex(people.Flags["bot"]), ExactRegex(found)),
		HumanRegex: AnyRegex(r.HumanRegex, ExactRegex(people.Flags["human"])),
		Roster:     imp.ID, People: people,
		Profile: r.Profile, Accepted: r.Accepted, HoldDays: r.HoldDays,
	}, nil
}
