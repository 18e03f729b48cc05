package config

import (
	"contribtrack/internal/bots"
	"contribtrack/internal/contrib"
)

// Weights returns the score weight of every kind: the defaults with the
// configured weights on top.
func (c *Config) Weights() map[contrib.Kind]float64 {
	w := contrib.DefaultWeights()
	for k, v := range c.Scoring.Weights {
		w[contrib.Kind(k)] = v
	}
	return w
}

// BotRules returns the bot rules: contribtrack's defaults (see package
// bots) with the configured patterns, logins and humans.
func (c *Config) BotRules() (*bots.Rules, error) {
	return bots.New(c.Bots.Patterns, c.Bots.Logins, c.Bots.Humans)
}

// BotRegex returns one case-insensitive RE2 expression matching every bot
// login (what ClickHouse's match uses).
func (c *Config) BotRegex() string {
	r, err := c.BotRules()
	if err != nil {
		return "" // Load validated the rules
	}
	return r.Regex()
}

// HumanRegex matches the logins configured as people.
func (c *Config) HumanRegex() string {
	r, err := c.BotRules()
	if err != nil || len(c.Bots.Humans) == 0 {
		return ""
	}
	return r.HumanRegex()
}
