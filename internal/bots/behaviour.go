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
	SignalChangeID      Signal = "change_id"      // weak: pushed commits with Gerrit Change-Id trailers

	// Counts kept of accounts whose name says automation, for Judge to
	// weigh weak signals as a share: all their actions, and those that
	// showed a weak signal.
	CountActions     Signal = "actions"
	CountWeakActions Signal = "weak_actions"
)

// automationWords end the parts of logins that name automation
// (NameSaysAutomation).
var automationWords = []string{"bot", "build", "builder", "buildserver", "mirror", "sync", "update", "updates", "updater",
	"updatesystem", "deploy", "release", "releaser", "test", "testing", "monitor", "status", "machine", "worker", "exporter",
	"checker", "automation", "gerrit", "stats", "data", "commits"}

// strongSignals decide alone.
var strongSignals = []Signal{SignalTypeBot, SignalApp, SignalMirror, SignalRootAuthor, SignalCIReport, SignalSelfDeclared,
	SignalGeneratedRef, SignalDepTemplate, SignalOneTemplate}

// weakSignals decide with a name that says automation.
var weakSignals = []Signal{SignalClock, SignalTimestamp, SignalMachineWords, SignalEmptyPush, SignalRegularRhythm, SignalChangeID}

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
	named     bool        // the login says automation: weak text signals are looked for
}

const maxTemplates = 4

var (
	svnTrailer   = regexp.MustCompile(`(?m)^git-svn-id: \S+`)
	gerritMerged = regexp.MustCompile(`(?m)^Reviewed-on: https?://\S+`)
	timestampish = regexp.MustCompile(`\b(1[3-9]\d{8}(\d{3})?|(19|20)\d\d[-/.]?\d\d[-/.]?\d\d([ T_-]?\d\d[:.]?\d\d([:.]?\d\d)?)?)\b`)
	machineWords = regexp.MustCompile(`(?i)^\W*(auto(mated)?( git)?( commit| update)?|updates?( data| index)?|scheduled update|sync(ed)?|a|new report generated\b.*|.*\bgenerated content\b.*|\[add\] .*|commit from .*)\W*$`)
	depTemplate  = regexp.MustCompile(`(?i)^(bump \S+ from \S+ to \S+|chore\(deps(-dev)?\): |build\(deps(-dev)?\): bump |update (dependency|module) \S+ to \S+|update \S+ (action|digest) to \S+|\[bot\])`)
	ciReport     = regexp.MustCompile(`(?i)(coverage (increased|decreased|remained) \(|codecov\.io/gh/|can one of the admins verify this patch\?|the following tests? failed, say /retest|critic review: https?://|^saw approval from \S+|live pull request urls)`)
	selfDeclared = regexp.MustCompile(`(?i)(\bI'?m a bot\b|\bI am a bot\b|:robot:|beep boop|this (comment|message|issue|pull request) (was|is) (generated|posted|created) automatically|posted by \S+ on the|commit from .+ by user)`)
	generatedRef = regexp.MustCompile(`(?i)[0-9a-f]{8,}`)
	templateMask = regexp.MustCompile(`v?\d+(\.\d+)*|[0-9a-f]{7,}`)
)

// NameSaysAutomation reports whether a login has a part that names
// automation: "updatesystem" in AsteroidTrackerUpdateSystem, "bot" in
// KalturaGitBot, "test" in openlocalizationtest (parts are split at -, _,
// . and digits, and end in the word). Alone it decides nothing
// ("SmokyBot" is a person); with a weak signal it does. It runs once per
// account an import sees, so it matches by hand.
func NameSaysAutomation(login string) bool {
	end := len(login)
	for i := len(login) - 1; i >= -1; i-- {
		if i >= 0 && !separates(login[i]) {
			continue
		}
		part := login[i+1 : end] // the part before the separator at end
		for _, w := range automationWords {
			if len(part) >= len(w) && strings.EqualFold(part[len(part)-len(w):], w) {
				return true
			}
		}
		end = i
	}
	return false
}

// separates reports whether a login's byte separates its parts.
func separates(c byte) bool { return c == '-' || c == '_' || c == '.' || c >= '0' && c <= '9' }

// Add counts one trace.
func (e *Evidence) Add(t Trace) {
	if e.Traces == 0 {
		e.named = NameSaysAutomation(t.Login)
	}
	e.count(t, classify(t, e.named))
}

// classify returns the signals one trace shows; weak ones are looked for
// only when the login says automation (named), since elsewhere they
// decide nothing (Judge). It runs for every event an import reads, so the
// patterns run only on texts that a cheap test lets through.
func classify(t Trace, named bool) signalSet {
	var hit signalSet
	if t.Type == "Bot" {
		hit.add(SignalTypeBot)
	}
	if t.App != "" {
		hit.add(SignalApp)
	}
	if named && t.At.Minute() == 0 && t.At.Second() < 10 && !t.At.IsZero() {
		hit.add(SignalClock)
	}
	if named && t.Kind == TracePush && len(t.Texts) == 0 {
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
		if t.Kind == TracePush && replicated(text) {
			hit.add(SignalMirror)
		}
		var lower string
		if t.Kind != TracePush || strings.Contains(text, " by user") {
			lower = strings.ToLower(text)
		}
		if t.Kind == TraceComment && containsAny(lower, ciWords) && ciReport.MatchString(text) {
			hit.add(SignalCIReport)
		}
		if lower != "" && containsAny(lower, selfWords) && selfDeclared.MatchString(text) {
			hit.add(SignalSelfDeclared)
		}
		// Titles only: a maintainer who merges a dependency update pushes
		// its commit message.
		if (t.Kind == TracePull || t.Kind == TraceIssue) && depStart(head) && depTemplate.MatchString(head) {
			hit.add(SignalDepTemplate)
		}
		if named && t.Kind == TracePush && strings.Contains(text, "\nChange-Id: I") {
			hit.add(SignalChangeID)
		}
		if named && (t.Kind == TracePush || t.Kind == TraceIssue) {
			if digits(head) >= 8 && timestampish.MatchString(head) && len(strings.Fields(timestampish.ReplaceAllString(head, ""))) <= 3 {
				hit.add(SignalTimestamp)
			}
			if len(head) <= 40 && machineStart(head) && machineWords.MatchString(head) {
				hit.add(SignalMachineWords)
			}
		}
	}
	return hit
}

// count adds a classified trace to the evidence.
func (e *Evidence) count(t Trace, hit signalSet) {
	e.Traces++
	if e.named && !t.At.IsZero() && len(e.times) < maxTimes {
		e.times = append(e.times, t.At)
	}
	// A pull request without a title (GH Archive's trimmed payloads since
	// 2025-10) says nothing of templates.
	if t.Kind == TracePull && len(t.Texts) > 0 && strings.TrimSpace(t.Texts[0]) != "" {
		e.Pulls++
		e.addTemplate(templateMask.ReplaceAllString(strings.ToLower(strings.TrimSpace(t.Texts[0])), "#"), 1)
	}
	if hit == 0 && !e.named {
		return
	}
	if e.Signals == nil {
		e.Signals = map[Signal]int{}
	}
	for i, s := range allSignals {
		if hit&(1<<i) != 0 {
			e.Signals[s]++
		}
	}
	if e.named {
		e.Signals[CountActions]++
		for _, s := range weakSignals {
			if hit.has(s) {
				e.Signals[CountWeakActions]++
				break
			}
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

func (s signalSet) has(sig Signal) bool {
	return s&(1<<slices.Index(allSignals, sig)) != 0
}

// generatedName reports whether a branch, tag or repository name holds
// what a program names things by: a run of ten or more digits (a
// timestamp in seconds; dates, eight digits, are people's too), or of
// eight or more hexadecimal characters with two digits and a letter or
// more (a hash, a UUID's part).
func generatedName(name string) bool {
	if len(name) < 8 {
		return false
	}
	for _, run := range generatedRef.FindAllString(name, -1) {
		if d := digits(run); d == len(run) && d >= 10 || d >= 2 && d < len(run) {
			return true
		}
	}
	return false
}

// replicated reports whether a commit message says it was replicated
// from SVN (git-svn-id) or merged through Gerrit and copied here
// (Reviewed-on: a Change-Id alone is any Gerrit user's own commit).
func replicated(text string) bool {
	return strings.Contains(text, "git-svn-id: ") && svnTrailer.MatchString(text) ||
		strings.Contains(text, "Reviewed-on: ") && strings.Contains(text, "Change-Id: I") && gerritMerged.MatchString(text)
}

// The words each costly pattern needs, lower-cased: a text without any
// of them cannot match, and most texts have none.
var (
	ciWords   = []string{"coverage", "codecov", "admins verify", "/retest", "critic review", "saw approval", "live pull request"}
	selfWords = []string{" a bot", ":robot:", "beep boop", "automatically", "posted by", "by user"}
)

func containsAny(s string, words []string) bool {
	for _, w := range words {
		if strings.Contains(s, w) {
			return true
		}
	}
	return false
}

// depPrefixes start depTemplate's titles, lower-cased.
var depPrefixes = []string{"bump ", "chore(deps", "build(deps", "update "}

// depStart reports whether a title could be one of depTemplate's.
func depStart(head string) bool {
	for _, p := range depPrefixes {
		if len(head) >= len(p) && strings.EqualFold(head[:len(p)], p) {
			return true
		}
	}
	return strings.Contains(head, "[bot]")
}

// machineStart reports whether a message's first letter could start one
// of machineWords' messages (a, u, s, n, c, [, or "generated content"
// anywhere).
func machineStart(head string) bool {
	i := strings.IndexFunc(head, func(r rune) bool { return r == '[' || r >= 'A' && r <= 'Z' || r >= 'a' && r <= 'z' })
	if i < 0 {
		return false
	}
	switch head[i] | 0x20 {
	case 'a', 'u', 's', 'n', 'c', '[' | 0x20:
		return true
	}
	return strings.Contains(head, "enerated content")
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
		if e.Signals == nil {
			e.Signals = map[Signal]int{}
		}
		e.Signals[SignalRegularRhythm] += len(ts)
		e.Signals[CountWeakActions] = max(e.Signals[CountWeakActions], len(ts))
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
		var because []Signal
		for _, s := range weakSignals {
			if n[s] > 0 {
				because = append(because, s)
			}
		}
		// Weak signals weigh as a share: a person's action on the hour
		// is chance, an account whose actions mostly look scheduled is not.
		weak, all := n[CountWeakActions], max(n[CountActions], n[CountWeakActions])
		if weak > 0 && 2*weak >= all {
			v.Because = because
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
	named := NameSaysAutomation(t.Login)
	hit := classify(t, named)
	if hit == 0 && !named && t.Kind != TracePull {
		return // nothing to weigh: the account is not even looked up
	}
	k := fold(t.Login)
	e := l.accounts[k]
	if e == nil {
		e = &Evidence{Login: t.Login, named: named}
		l.accounts[k] = e
	}
	e.count(t, hit)
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

// Prune forgets the accounts with nothing to weigh so far: no signal, no
// pull request, no name that says automation (a source prunes the ledger
// of each block it decodes before merging it).
func (l *Ledger) Prune() {
	for k, e := range l.accounts {
		if len(e.Signals) == 0 && e.Pulls == 0 && !e.named {
			delete(l.accounts, k)
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
