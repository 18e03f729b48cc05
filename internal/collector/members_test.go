package collector_test

import (
	"context"
	"sort"
	"strings"
	"testing"
	"time"

	"contribtrack/internal/collector"
	"contribtrack/internal/contrib"
	"contribtrack/internal/githubtest"
	"contribtrack/internal/githubtest/ghdata"
)

// Following members across every repository, besides collecting a tracked
// org, stores exactly the org's contributions plus the members' own
// contributions elsewhere, each once.
func TestMembersAcrossRepositories(t *testing.T) {
	ds := ghdata.Generate(ghdata.SmallSpec(16))
	e := newEnv(t, ds, githubtest.Options{})
	tracked := ds.Orgs[0].Login // the other org is not tracked: members' work there comes from following them
	// The most active people are the members.
	active := map[int64]int{}
	for _, c := range ds.Truth() {
		active[int64(c.ActorID)]++
	}
	var people []*ghdata.User
	for _, u := range ds.Users {
		if u.Type == "User" && active[u.ID] > 0 {
			people = append(people, u)
		}
	}
	sort.Slice(people, func(i, j int) bool { return active[people[i].ID] > active[people[j].ID] })
	people = people[:4]
	since := time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)
	var members []collector.Member
	ids := map[int64]bool{}
	for i, u := range people {
		m := collector.Member{Key: u.Login, Logins: []string{u.Login}, Since: since}
		if i%2 == 0 {
			m.IDs = []uint64{uint64(u.ID)} // some rosters know the ids
		}
		members = append(members, m)
		ids[u.ID] = true
	}
	obs := &recordingObserver{}
	c := collector.New(e.client(t, nil), e.store, collector.Options{Orgs: []string{tracked}, Observer: obs})
	if _, err := c.Run(context.Background()); err != nil {
		t.Fatal(err)
	}
	sum, err := c.RunMembers(context.Background(), members)
	if err != nil {
		t.Fatal(err)
	}
	// The truth: the tracked org's contributions, and what the members made
	// anywhere that GitHub counts as a contribution (not in forks).
	seen := map[string]bool{}
	var want []contrib.Contribution
	for _, cc := range ds.Truth() {
		if r := ds.RepoByID(int64(cc.RepoID)); r.Owner.Login == tracked {
			want = append(want, cc)
			seen[string(cc.Kind)+"/"+cc.Key] = true
		}
	}
	outside := 0
	for _, cc := range ds.TruthOf(ids, since, ds.Now.Add(time.Hour)) {
		r := ds.RepoByID(int64(cc.RepoID))
		if seen[string(cc.Kind)+"/"+cc.Key] || !ghdata.CountsAsContribution(cc.Kind, r) {
			continue
		}
		seen[string(cc.Kind)+"/"+cc.Key] = true
		want = append(want, cc)
		outside++
	}
	if outside < 20 {
		t.Fatalf("only %d member contributions outside the tracked org: the test shows little", outside)
	}
	var rows []row
	for _, cc := range want {
		rows = append(rows, rowOf(cc))
	}
	sortRows(rows)
	got := e.stored(t)
	assertExact(t, rows, got)
	assertNumbers(t, rows, got)
	if st := e.srv.Stats(); st.InvalidQueries != 0 {
		t.Errorf("%d GraphQL queries did not validate against GitHub's schema", st.InvalidQueries)
	}
	t.Logf("%d accounts followed: %d stored, %d points", sum.Repos, sum.Total(), sum.Client.Points())
	// The observer hears of both runs; member accounts are not repositories.
	if len(obs.runs) != 2 || obs.runs[0] != "repositories" || obs.runs[1] != "members" {
		t.Errorf("runs observed %v, want [repositories members]", obs.runs)
	}
	for _, r := range obs.synced {
		if strings.HasPrefix(r.Repo, "@") {
			t.Errorf("member account %s reported as a repository sync", r.Repo)
		}
	}

	// Again: nothing new, and the checkpoints keep it cheap.
	before := e.physicalRows(t)
	e.srv.ResetStats()
	if _, err := c.RunMembers(context.Background(), members); err != nil {
		t.Fatal(err)
	}
	assertExact(t, rows, e.stored(t))
	t.Logf("re-run: %d rows re-stored, %d points", e.physicalRows(t)-before, e.srv.Stats().Points["graphql"]+e.srv.Stats().Points["core"])

	// A login that is someone else's now (the roster's id differs) is
	// refused, not followed; among several logins it is skipped.
	wrong := collector.Member{Key: "x", Logins: []string{people[0].Login}, IDs: []uint64{1}}
	if _, err := c.RunMembers(context.Background(), []collector.Member{wrong}); err == nil {
		t.Errorf("a login owned by another id was followed")
	}
	if obs.failures[collector.StageProbe] != 1 {
		t.Errorf("failures by stage %v, want the refused login as one probe failure", obs.failures)
	}
	var skipped []string
	c2 := collector.New(e.client(t, nil), e.store, collector.Options{Orgs: []string{tracked},
		Progress: func(r collector.RepoResult) {
			if r.Skipped != "" {
				skipped = append(skipped, r.Repo)
			}
		}})
	two := collector.Member{Key: people[1].Login, Logins: []string{people[1].Login, "no-such-login-anymore"}, Since: since}
	if _, err := c2.RunMembers(context.Background(), []collector.Member{two}); err != nil || len(skipped) != 1 {
		t.Errorf("a gone second login: err %v, skipped %v; want no failure and one skip", err, skipped)
	}
}
