package metrics

import (
	"context"
	"fmt"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"contribtrack/internal/contrib"
	"contribtrack/internal/store"
)

// The scopes of the community gauges.
const (
	ScopeAll     = "all"     // everything the base filter selects; name ""
	ScopeOrg     = "org"     // one configured organisation; name is its login
	ScopeProgram = "program" // one roster program; name is the program
)

// CommunityWindow is how far before today (UTC) the community gauges
// count; today so far counts too.
const CommunityWindow = 30 * 24 * time.Hour

type communityMetrics struct {
	active        *prometheus.GaugeVec // scope, name
	contributions *prometheus.GaugeVec // scope, name
}

func newCommunityMetrics(reg prometheus.Registerer) communityMetrics {
	c := communityMetrics{
		active: prometheus.NewGaugeVec(prometheus.GaugeOpts{
			Namespace: namespace, Subsystem: "community", Name: "active_contributors",
			Help: "People with at least one contribution in the 30 days before today and today so far (UTC days), by scope (all, org, program) and name (the org or program; empty for all).",
		}, []string{"scope", "name"}),
		contributions: prometheus.NewGaugeVec(prometheus.GaugeOpts{
			Namespace: namespace, Subsystem: "community", Name: "contributions",
			Help: "Contributions in the 30 days before today and today so far (UTC days), by scope (all, org, program) and name (the org or program; empty for all).",
		}, []string{"scope", "name"}),
	}
	reg.MustRegister(c.active, c.contributions)
	return c
}

// SetCommunity sets the community gauges of one scope and name.
func (m *Metrics) SetCommunity(scope, name string, t store.Totals) {
	m.community.active.WithLabelValues(scope, name).Set(float64(t.People))
	m.community.contributions.WithLabelValues(scope, name).Set(float64(t.Contributions))
}

// CommunityPeriod is the period RefreshCommunity counts for now: from
// midnight UTC 30 days before now to the next midnight (whole days, which
// the store answers from its rollups).
func CommunityPeriod(now time.Time) (from, to time.Time) {
	today := now.UTC().Truncate(24 * time.Hour)
	return today.Add(-CommunityWindow), today.Add(24 * time.Hour)
}

// RefreshCommunity recomputes every community gauge: for everything base
// selects, for each org and for each program, over CommunityPeriod(now).
// base gives the kinds (default: every contribution kind), bots, roster
// and other filters; its period, Org and Program are replaced. A program
// needs base.Roster. When every total is computed, the gauges are replaced
// by them (an org or program no longer listed disappears); on an error
// they are left as they were.
func (m *Metrics) RefreshCommunity(ctx context.Context, s *store.Store, base store.LeaderboardFilter, orgs, programs []string, now time.Time) error {
	base.From, base.To = CommunityPeriod(now)
	base.Org, base.Program = "", ""
	if len(base.Kinds) == 0 {
		base.Kinds = contrib.ContributionKinds
	}
	type gauge struct {
		scope, name string
		totals      store.Totals
	}
	var out []gauge
	add := func(scope, name string, f store.LeaderboardFilter) error {
		t, err := s.Totals(ctx, f)
		if err != nil {
			return fmt.Errorf("community gauges, %s %q: %w", scope, name, err)
		}
		out = append(out, gauge{scope, name, t})
		return nil
	}
	if err := add(ScopeAll, "", base); err != nil {
		return err
	}
	for _, org := range orgs {
		f := base
		f.Org = org
		if err := add(ScopeOrg, org, f); err != nil {
			return err
		}
	}
	for _, p := range programs {
		f := base
		f.Program = p
		if err := add(ScopeProgram, p, f); err != nil {
			return err
		}
	}
	m.community.active.Reset()
	m.community.contributions.Reset()
	for _, g := range out {
		m.SetCommunity(g.scope, g.name, g.totals)
	}
	return nil
}
