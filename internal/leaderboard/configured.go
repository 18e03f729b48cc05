package leaderboard

import (
	"time"

	"contribtrack/internal/config"
	"contribtrack/internal/store"
)

// Configured returns the scoring rules a configuration sets: its weights,
// bot rules, profile and the accepted profile's settings.
func Configured(cfg *config.Config) Rules {
	a := cfg.Scoring.Accepted
	return Rules{Weights: cfg.Weights(), BotRegex: cfg.BotRegex(), HumanRegex: cfg.HumanRegex(),
		Profile: cfg.Scoring.Profile, HoldDays: a.HoldDays,
		Accepted: store.Acceptance{
			OptedIn:   a.OptedIn,
			SelfMerge: a.Factors.SelfMerge, SelfReview: a.Factors.SelfReview, OwnRepository: a.Factors.OwnRepository,
			OwnIssue: a.Factors.OwnIssueComment, Whitespace: a.Factors.Whitespace, Typo: a.Factors.Typo, Mass: a.Factors.MassGenerated,
			TypoLines: a.TypoMaxLines, MassRepos: a.MassMinRepos,
			MassWindow: time.Duration(a.MassWindowHours * float64(time.Hour)),
			SpamClose:  time.Duration(a.SpamCloseMinutes * float64(time.Minute)),
		}}
}
