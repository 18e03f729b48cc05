package bots

import (
	"slices"
	"testing"
	"time"
)

// Each signal comes from what it says, and only from that.
func TestTraceSignals(t *testing.T) {
	at := time.Date(2024, 3, 4, 12, 17, 31, 0, time.UTC)
	for _, c := range []struct {
		name  string
		trace Trace
		want  []Signal
	}{
		{"a person's commit", Trace{Kind: TracePush, At: at, Texts: []string{"Fix the parser for empty lines"}, Authors: []string{"Ana Lima"}}, nil},
		{"GitHub says Bot", Trace{Kind: TraceComment, At: at, Type: "Bot", Texts: []string{"Thanks!"}}, []Signal{SignalTypeBot}},
		{"through an App", Trace{Kind: TraceIssue, At: at, App: "release-drafter", Texts: []string{"Release notes"}}, []Signal{SignalApp}},
		{"SVN mirror", Trace{Kind: TracePush, At: at, Texts: []string{"Fix\n\ngit-svn-id: https://svn.apache.org/repos/asf/x@1648814 13f79535-47bb"}}, []Signal{SignalMirror}},
		{"Gerrit mirror", Trace{Kind: TracePush, At: at, Texts: []string{"Fix\n\nChange-Id: I09bbf00d8c7ba5707ae421ce1cba7a84c639ad7f\nReviewed-on: https://review.example.org/1234\nSigned-off-by: X"}}, []Signal{SignalMirror}},
		{"a Gerrit user's own commit", Trace{Login: "ana", Kind: TracePush, At: at, Texts: []string{"Fix\n\nChange-Id: I09bbf00d8c7ba5707ae421ce1cba7a84c639ad7f"}}, nil},
		{"a Gerrit replicator's commit", Trace{Login: "wmfgerrit", Kind: TracePush, At: at, Texts: []string{"Fix\n\nChange-Id: I09bbf00d8c7ba5707ae421ce1cba7a84c639ad7f"}}, []Signal{SignalChangeID}},
		{"root's commit", Trace{Login: "nightly-build", Kind: TracePush, At: at, Texts: []string{"Updates"}, Authors: []string{"root"}}, []Signal{SignalRootAuthor, SignalMachineWords}},
		{"weak signals are not looked for in a person's name", Trace{Login: "ana", Kind: TracePush, At: at, Texts: []string{"Updates"}, Authors: []string{"root"}}, []Signal{SignalRootAuthor}},
		{"coverage report", Trace{Kind: TraceComment, At: at, Texts: []string{"[![Coverage Status](x)](y)\n\nCoverage decreased (-0.1%) to 93% when pulling"}}, []Signal{SignalCIReport}},
		{"a person discussing failed tests", Trace{Kind: TraceComment, At: at, Texts: []string{"Tests failed for me locally; the build failed on my machine too"}}, nil},
		{"a person quoting coverage", Trace{Kind: TraceComment, At: at, Texts: []string{"Coverage decreased a bit, can you add a test?"}}, nil},
		{"says it is a bot", Trace{Kind: TraceComment, At: at, Texts: []string{"Hi! I'm Traefiker :robot: the bot in charge"}}, []Signal{SignalSelfDeclared}},
		{"generated branch", Trace{Kind: TraceRef, At: at, Ref: "canary-test-3f9a2c1b-77aa-4c1e-9d2b-0a1b2c3d4e5f"}, []Signal{SignalGeneratedRef}},
		{"a person's branch", Trace{Kind: TraceRef, At: at, Ref: "fix-issue-1234"}, nil},
		{"a word of hex letters is no hash", Trace{Kind: TraceRef, At: at, Ref: "feature/deadbeef-accessible"}, nil},
		{"dependency bump", Trace{Kind: TracePull, At: at, Texts: []string{"Bump lodash from 4.17.20 to 4.17.21"}}, []Signal{SignalDepTemplate}},
		{"a maintainer pushing a merged bump", Trace{Kind: TracePush, At: at, Texts: []string{"Bump lodash from 4.17.20 to 4.17.21 (#12)"}}, nil},
		{"a person's version update", Trace{Kind: TracePull, At: at, Texts: []string{"Update version to 1.2.3"}}, nil},
		{"Renovate's update", Trace{Kind: TracePull, At: at, Texts: []string{"Update dependency eslint to v9"}}, []Signal{SignalDepTemplate}},
		{"a dated backup branch", Trace{Kind: TraceRef, At: at, Ref: "backup-20240115"}, nil},
		{"timestamp message", Trace{Login: "citibike-data", Kind: TracePush, At: at, Texts: []string{"1420113601"}}, []Signal{SignalTimestamp}},
		{"a person's timestamp message", Trace{Login: "micahyoung", Kind: TracePush, At: at, Texts: []string{"1420113601"}}, nil},
		{"on the hour", Trace{Login: "weather-now-data2", Kind: TraceOther, At: time.Date(2024, 3, 4, 12, 0, 4, 0, time.UTC)}, []Signal{SignalClock}},
		{"a person on the hour", Trace{Login: "ana", Kind: TraceOther, At: time.Date(2024, 3, 4, 12, 0, 4, 0, time.UTC)}, nil},
		{"empty push", Trace{Login: "argo-testing", Kind: TracePush, At: at}, []Signal{SignalEmptyPush}},
	} {
		var e Evidence
		e.Add(c.trace)
		var got []Signal
		for _, s := range allSignals {
			if e.Signals[s] > 0 {
				got = append(got, s)
			}
		}
		if !slices.Equal(got, c.want) {
			t.Errorf("%s: signals %v, want %v", c.name, got, c.want)
		}
	}
}

// A strong signal decides alone; a weak one only with a name that says
// automation; a configured human is not Judge's business (the rules'
// humans win over every bot rule, see LoadSettings).
func TestJudge(t *testing.T) {
	for _, c := range []struct {
		login   string
		signals map[Signal]int
		pulls   int
		tpl     map[string]int
		bot     bool
	}{
		{"asf-replicator", map[Signal]int{SignalMirror: 3}, 0, nil, true},
		{"micahyoung", map[Signal]int{SignalTimestamp: 7, SignalClock: 1, SignalRegularRhythm: 7}, 0, nil, false},
		{"weather-now-data2", map[Signal]int{SignalClock: 1, CountActions: 1, CountWeakActions: 1}, 0, nil, true},
		{"talbot", map[Signal]int{SignalClock: 3, CountActions: 1000, CountWeakActions: 3}, 0, nil, false},
		{"SmokyBot", nil, 0, nil, false},
		{"deps-updater", nil, 6, map[string]int{"bump lodash from # to #": 6}, true},
		{"ana", nil, 6, map[string]int{"bump lodash from # to #": 5, "fix the docs": 1}, false},
		{"ana", nil, 2, map[string]int{"bump lodash from # to #": 2}, false},
	} {
		v := Judge(Evidence{Login: c.login, Signals: c.signals, Pulls: c.pulls, Templates: c.tpl})
		if v.Bot != c.bot || v.Bot != (len(v.Because) > 0) {
			t.Errorf("%s %v: bot %v because %v, want %v", c.login, c.signals, v.Bot, v.Because, c.bot)
		}
	}
	if !NameSaysAutomation("AsteroidTrackerUpdateSystem") || !NameSaysAutomation("codestar-github-bot-1") || NameSaysAutomation("robotboy655") || NameSaysAutomation("botelho") {
		t.Error("NameSaysAutomation: want the last part of a login to name automation, not a word that starts with one")
	}
}

// A ledger sums an account's traces whatever the login's case, keeps only
// accounts with something to weigh, counts a machine-regular rhythm, and
// merges with another ledger as if it had seen both.
func TestLedger(t *testing.T) {
	l, other := NewLedger(), NewLedger()
	start := time.Date(2024, 3, 4, 12, 3, 0, 0, time.UTC)
	for i := 0; i < 5; i++ {
		tr := Trace{Login: "Heartbeat-Status", Kind: TracePush, At: start.Add(time.Duration(i) * 10 * time.Minute), Texts: []string{"tick"}}
		if i%2 == 0 {
			l.Add(tr)
		} else {
			tr.Login = "heartbeat-status"
			other.Add(tr)
		}
	}
	l.Add(Trace{Login: "ana", Kind: TracePush, At: start, Texts: []string{"Fix the docs"}})
	l.Merge(other)
	ev := l.Evidence()
	if len(ev) != 1 || ev[0].Traces != 5 || ev[0].Signals[SignalRegularRhythm] != 5 {
		t.Fatalf("evidence %+v, want one account with 5 traces at a regular rhythm", ev)
	}
	if v := Judge(ev[0]); !v.Bot || !slices.Contains(v.Because, SignalRegularRhythm) {
		t.Errorf("verdict %+v, want a bot by its rhythm and its name", v)
	}
}
