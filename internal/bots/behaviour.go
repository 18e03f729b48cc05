package bots

import (
	"regexp"
	"slices"
	"strings"
	"time"
)

// Behaviour: what an account does, as opposed to what it is called. A
// source reports each thing an account did as a Trace; a Ledger sums the
// traces per account into Evidence, which Judge weighs. The signals are
// those a list of logins cannot know (docs/bots.md): GitHub's own word
// that an account is a Bot or acts for an App, commits replicated from
// another system, reports posted by CI and coverage services, texts that
// say they are automated, branches and repositories named by a clock or a
// hash, dependency-update titles, and clockwork timing. The weak ones
// (timing, timestamps for messages, "automated commit") count only for an
// account whose name also says automation: people's own accounts run
// scripts too, and stay people (testdata/labelled_logins.tsv).

// TraceKind is what an account did.
type TraceKind uint8

const (
	TracePush    TraceKind = iota + 1 // pushed commits (Texts: their messages; Authors: their author names)
	TraceComment                      // commented (Texts: the body)
	TracePull                         // opened a pull request (Texts: the title; Ref: its head branch)
	TraceIssue                        // opened an issue (Texts: the title)
	TraceRef                          // created or deleted a branch, tag or repository (Ref: its name; Texts: a description)
	TraceOther                        // anything else (stars, forks, reviews, releases)
)

// Trace is one thing an account did, reduced to what behaviour reveals.
type Trace struct {
	Login string
	Kind  TraceKind
	At    time.Time
	// Type is the account's type when the source says it ("Bot", "User";
	// "" unknown); App the GitHub App it acted through ("" none).
	Type, App string
	Texts     []string
	Authors   []string // commit author names of a push
	Ref       string
}

// Signal names one kind of evidence.
type Signal string

// Strong signals decide alone; weak ones only with a name that says
// automation (NameSaysAutomation).
const (
	SignalTypeBot       Signal = "type_bot"       // GitHub says the account's type is Bot
	SignalApp           Signal = "app"            // it acted as a GitHub App's installation
	SignalMirror        Signal = "mirror"         // pushed commits replicated from SVN or Gerrit (git-svn-id, Change-Id trailers)
	SignalRootAuthor    Signal = "root_author"    // pushed commits authored by root
	SignalCIReport      Signal = "ci_report"      // posted a CI, coverage or merge-queue report
	SignalSelfDeclared  Signal = "self_declared"  // a text says it is automated or relays someone else's words
	SignalGeneratedRef  Signal = "generated_ref"  // a branch, tag or repository named by a timestamp, a UUID or a hash
	SignalDepTemplate   Signal = "dep_template"   // a dependency-update title (Bump x from a to b, chore(deps), ...)
	SignalOneTemplate   Signal = "one_template"   // three or more pull requests, all of one title template
	SignalClock         Signal = "clock"          // weak: acted in the first ten seconds of an hour
	SignalTimestamp     Signal = "timestamp"      // weak: a message that is little more than a timestamp
	SignalMachineWords  Signal = "machine_words"  // weak: a message such as "automated commit", "update data", "auto"
	SignalEmptyPush     Signal = "empty_push"     // weak: pushed without commits
	SignalRegularRhythm Signal = "regular_rhythm" // weak: four or more actions at machine-regular intervals
)

// strongSignals decide alone.
var strongSignals = []Signal{SignalTypeBot, SignalApp, SignalMirror, SignalRootAuthor, SignalCIReport, SignalSelfDeclared,
	SignalGeneratedRef, SignalDepTemplate, SignalOneTemplate}

// weakSignals decide with a name that says automation.
var weakSignals = []Signal{SignalClock, SignalTimestamp, SignalMachineWords, SignalEmptyPush, SignalRegularRhythm}

// Signals lists every signal, strong ones first.
func Signals() []Signal { return append(slices.Clone(strongSignals), weakSignals...) }

// Evidence is what an account's traces showed: how many, and how many of
// them carried each signal. Pulls and Templates feed one_template.
type Evidence struct {
	Login   string
	Traces  int
	Signals map[Signal]int
	// Pulls is how many pull requests it opened, Templates their titles
	// with numbers, versions and hashes masked (at most maxTemplates kept;
	// more means "not one template").
	Pulls     int
	Templates map[string]int
	times     []time.Time // within one ledger, for regular_rhythm
}

const maxTemplates = 4

var (
	mirrorTrailer  = regexp.MustCompile(`(?m)^(git-svn-id: \S+|Change-Id: I[0-9a-f]{40}\s*$)`)
	timestampish   = regexp.MustCompile(`\b(1[3-9]\d{8}(\d{3})?|(19|20)\d\d[-/.]?\d\d[-/.]?\d\d([ T_-]?\d\d[:.]?\d\d([:.]?\d\d)?)?)\b`)
	machineWords   = regexp.MustCompile(`(?i)^\W*(auto(mated)?( git)?( commit| update)?|updates?( data| index)?|scheduled update|sync(ed)?|a|new report generated\b.*|.*\bgenerated content\b.*|\[add\] .*|commit from .*)\W*$`)
	depTemplate    = regexp.MustCompile(`(?i)^(bump \S+ from \S+ to \S+|chore\(deps(-dev)?\)|build\(deps(-dev)?\): bump |update \S+ to \S+$|\[bot\]|translated using weblate|synced up to |generated from [0-9a-f]{7,}|automatically exported from )`)
	ciReport       = regexp.MustCompile(`(?i)(coverage (increased|decreased|remained)|codecov\.io|can one of the admins verify this patch|the following tests failed|\btests? failed\b|\bbuild (passed|failed|succeeded)\b|critic review:|saw approval from|live pull request urls)`)
	selfDeclared   = regexp.MustCompile(`(?i)(\bI'?m a bot\b|\bI am a bot\b|:robot:|beep boop|this (comment|message|issue|pull request) (was|is) (generated|posted|created) automatically|posted by \S+ on the|commit from .+ by user)`)
	generatedRef   = regexp.MustCompile(`(?i)[0-9a-f]{8,}|\d{8,}`)
	templateMask   = regexp.MustCompile(`v?\d+(\.\d+)*|[0-9a-f]{7,}`)
	automationName = regexp.MustCompile(`(?i)(bot|robot|ci|build|builder|buildserver|mirror|sync|updates?|updater|updatesystem|deploy|release|releaser|test|testing|monitor|status|machine|worker|exporter|checker|automation|gerrit|stats|data|commits|user)$`)
	nameTokens     = regexp.MustCompile(`[-_.\d]+`)
)

// NameSaysAutomation reports whether a login has a part that names
// automation: "updatesystem" in AsteroidTrackerUpdateSystem, "bot" in
// KalturaGitBot, "test" in openlocalizationtest. Alone it decides nothing
// ("SmokyBot" is a person); with a weak signal it does.
func NameSaysAutomation(login string) bool {
	for _, tok := range nameTokens.Split(login, -1) {
		if tok != "" && automationName.MatchString(tok) {
			return true
		}
	}
	return false
}

// Add counts one trace. It runs for every event an import reads, so the
// patterns run only on texts that a cheap test lets through.
func (e *Evidence) Add(t Trace) {
	if e.Signals == nil {
		e.Signals = map[Signal]int{}
	}
	e.Traces++
	var hit signalSet
	if t.Type == "Bot" {
		hit.add(SignalTypeBot)
	}
	if t.App != "" {
		hit.add(SignalApp)
	}
	if !t.At.IsZero() {
		if t.At.Minute() == 0 && t.At.Second() < 10 {
			hit.add(SignalClock)
		}
		if len(e.times) < maxTimes {
			e.times = append(e.times, t.At)
		}
	}
	if t.Kind == TracePush && len(t.Texts) == 0 {
		hit.add(SignalEmptyPush)
	}
	for _, a := range t.Authors {
		if len(a) >= 4 && len(a) <= 6 && strings.EqualFold(strings.TrimSpace(a), "root") {
			hit.add(SignalRootAuthor)
		}
	}
	if t.Kind == TraceRef && generatedName(t.Ref) {
		hit.add(SignalGeneratedRef)
	}
	for _, text := range t.Texts {
		head, _, _ := strings.Cut(text, "\n")
		head = strings.TrimSpace(head)
		if t.Kind == TracePush && (strings.Contains(text, "git-svn-id: ") || strings.Contains(text, "Change-Id: I")) && mirrorTrailer.MatchString(text) {
			hit.add(SignalMirror)
		}
		if t.Kind == TraceComment && ciReport.MatchString(text) {
			hit.add(SignalCIReport)
		}
		if t.Kind != TracePush && selfDeclared.MatchString(text) || t.Kind == TracePush && strings.Contains(text, " by user") && selfDeclared.MatchString(text) {
			hit.add(SignalSelfDeclared)
		}
		if len(head) > 0 && strings.ContainsRune("bBcCuU[tTsSgGaA", rune(head[0])) && depTemplate.MatchString(head) {
			hit.add(SignalDepTemplate)
		}
		if t.Kind == TracePush || t.Kind == TraceIssue {
			if digits(head) >= 8 && timestampish.MatchString(head) && len(strings.Fields(timestampish.ReplaceAllString(head, ""))) <= 3 {
				hit.add(SignalTimestamp)
			}
			if len(head) <= 40 && machineWords.MatchString(head) {
				hit.add(SignalMachineWords)
			}
		}
	}
	if t.Kind == TracePull {
		e.Pulls++
		if len(t.Texts) > 0 {
			e.addTemplate(templateMask.ReplaceAllString(strings.ToLower(strings.TrimSpace(t.Texts[0])), "#"), 1)
		}
	}
	for i, s := range allSignals {
		if hit&(1<<i) != 0 {
			e.Signals[s]++
		}
	}
}

// maxTimes bounds the times an account's evidence keeps for
// regular_rhythm.
const maxTimes = 64

// allSignals orders the signals for signalSet.
var allSignals = Signals()

// signalSet is a set of signals, a bit each (allSignals' order).
type signalSet uint32

func (s *signalSet) add(sig Signal) {
	*s |= 1 << slices.Index(allSignals, sig)
}

// generatedName reports whether a branch, tag or repository name holds
// what a program names things by: a run of eight or more digits (a
// timestamp), or of eight or more hexadecimal characters with two digits
// and a letter or more (a hash, a UUID's part).
func generatedName(name string) bool {
	if len(name) < 8 {
		return false
	}
	for _, run := range generatedRef.FindAllString(name, -1) {
		d := digits(run)
		if d == len(run) || d >= 2 && d < len(run) {
			return true
		}
	}
	return false
}

// digits counts the digits in s (a cheap test before the pattern that
// looks for timestamps).
func digits(s string) int {
	n := 0
	for i := 0; i < len(s); i++ {
		if s[i] >= '0' && s[i] <= '9' {
			n++
		}
	}
	return n
}

func (e *Evidence) addTemplate(tpl string, n int) {
	if e.Templates == nil {
		e.Templates = map[string]int{}
	}
	if _, ok := e.Templates[tpl]; ok || len(e.Templates) < maxTemplates {
		e.Templates[tpl] += n
	}
}

// Merge adds another ledger's evidence about the same account.
func (e *Evidence) Merge(o Evidence) {
	if e.Signals == nil {
		e.Signals = map[Signal]int{}
	}
	e.Traces += o.Traces
	e.Pulls += o.Pulls
	for s, n := range o.Signals {
		e.Signals[s] += n
	}
	for t, n := range o.Templates {
		e.addTemplate(t, n)
	}
	e.times = append(e.times, o.times...)
}

// rhythm counts regular_rhythm: four or more actions whose intervals vary
// by less than 5% of their mean, a minute or more apart.
func (e *Evidence) rhythm() {
	if len(e.times) < 4 {
		return
	}
	ts := slices.Clone(e.times)
	slices.SortFunc(ts, func(a, b time.Time) int { return a.Compare(b) })
	var gaps []float64
	for i := 1; i < len(ts); i++ {
		gaps = append(gaps, ts[i].Sub(ts[i-1]).Seconds())
	}
	var mean, dev float64
	for _, g := range gaps {
		mean += g
	}
	mean /= float64(len(gaps))
	for _, g := range gaps {
		dev += (g - mean) * (g - mean)
	}
	if mean >= 60 && dev/float64(len(gaps)) < (0.05*mean)*(0.05*mean) {
		e.Signals[SignalRegularRhythm] += len(ts)
	}
}

// Counts returns the evidence as signal counts, one_template included
// when every pull request it opened had one title template: what a store
// keeps of it (Judge reads the same from Signals).
func (e Evidence) Counts() map[Signal]int {
	out := map[Signal]int{}
	for s, n := range e.Signals {
		if n > 0 {
			out[s] = n
		}
	}
	if e.oneTemplate() {
		out[SignalOneTemplate] = e.Pulls
	}
	return out
}

// oneTemplate reports whether three or more pull requests all had one
// title template.
func (e Evidence) oneTemplate() bool {
	if e.Pulls < 3 || len(e.Templates) != 1 {
		return false
	}
	for _, n := range e.Templates {
		return n == e.Pulls
	}
	return false
}

// Verdict is what Judge decided of an account, and why.
type Verdict struct {
	Login string
	Bot   bool
	// Because lists the signals that decided (strong ones, or the weak
	// ones with "name" when the login says automation).
	Because []Signal
}

// Judge weighs an account's evidence: a bot when it carries a strong
// signal, or a weak one and a name that says automation.
func Judge(e Evidence) Verdict {
	v := Verdict{Login: e.Login}
	n := e.Counts()
	for _, s := range strongSignals {
		if n[s] > 0 {
			v.Because = append(v.Because, s)
		}
	}
	if len(v.Because) == 0 && NameSaysAutomation(e.Login) {
		for _, s := range weakSignals {
			if n[s] > 0 {
				v.Because = append(v.Because, s)
			}
		}
	}
	v.Bot = len(v.Because) > 0
	return v
}

// Ledger sums traces per account (logins compared case-insensitively).
// It is not safe for concurrent use: give each goroutine its own and
// Merge them.
type Ledger struct {
	accounts map[string]*Evidence
}

// NewLedger returns an empty ledger.
func NewLedger() *Ledger { return &Ledger{accounts: map[string]*Evidence{}} }

// Add counts a trace.
func (l *Ledger) Add(t Trace) {
	if t.Login == "" {
		return
	}
	k := fold(t.Login)
	e := l.accounts[k]
	if e == nil {
		e = &Evidence{Login: t.Login}
		l.accounts[k] = e
	}
	e.Add(t)
}

// Merge adds another ledger's accounts.
func (l *Ledger) Merge(o *Ledger) {
	for k, e := range o.accounts {
		if mine := l.accounts[k]; mine != nil {
			mine.Merge(*e)
		} else {
			l.accounts[k] = e
		}
	}
}

// Evidence returns, per account that showed any signal or opened a pull
// request, its evidence with regular_rhythm counted over the ledger's
// traces; accounts with nothing to weigh are left out.
func (l *Ledger) Evidence() []Evidence {
	var out []Evidence
	for _, e := range l.accounts {
		e.rhythm()
		e.times = nil
		if len(e.Signals) > 0 || e.Pulls > 0 {
			out = append(out, *e)
		}
	}
	slices.SortFunc(out, func(a, b Evidence) int { return strings.Compare(fold(a.Login), fold(b.Login)) })
	return out
}
