package bots_test

import (
	"bufio"
	"context"
	"fmt"
	"hash/fnv"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"contribtrack/internal/bots"
	"contribtrack/internal/contrib"
	"contribtrack/internal/gharchive"
	"contribtrack/internal/testing/fixtures"
)

// The bots found by behaviour, measured on the labelled set with k-fold
// cross-validation: the logins of the fold being measured are forgotten
// by every list (bots.Rules.Forget), so only the patterns and the
// behaviour the GH Archive fixtures show can find them. Issue 18's goal
// for the defaults: precision 0.99 and recall 0.90.
const (
	folds      = 5
	goalPrec   = 0.99
	goalRecall = 0.90
	// minRecall guards against regressions: the recall measured when the
	// signals were written. The goal is not met (docs/bots.md says why).
	minRecall = 0.72
)

// labelledAccount is one line of testdata/labelled_logins.tsv.
type labelledAccount struct {
	login string
	bot   bool
}

func readLabelledSet(t testing.TB) []labelledAccount {
	t.Helper()
	f, err := os.Open("testdata/labelled_logins.tsv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	seen := map[string]bool{}
	var out []labelledAccount
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		fields := strings.Split(line, "\t")
		if len(fields) != 3 {
			t.Fatalf("labelled set: %q is not login<TAB>label<TAB>note", line)
		}
		if k := strings.ToLower(fields[0]); !seen[k] { // one account in two casings counts once
			seen[k] = true
			out = append(out, labelledAccount{login: fields[0], bot: fields[1] == "bot"})
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// fixtureEvidence imports the GH Archive fixtures the labelled set was
// drawn from, keeping only what the accounts did (no store), summed per
// account over the inputs as the store sums it.
func fixtureEvidence(t testing.TB) map[string]bots.Evidence {
	t.Helper()
	var inputs []gharchive.Input
	for _, name := range []string{"2015-01-01-12.json.gz", "gofaster-sample.small.2014-2021.jsonl", "gofaster-2019-11-27-3.first100.jsonl"} {
		inputs = append(inputs, gharchive.FileInput(fixtures.Path(t, filepath.Join("gharchive", name))))
	}
	out := map[string]bots.Evidence{}
	opts := gharchive.Options{Selector: gharchive.NewSelector(true, nil, nil), Behaviour: func(_ context.Context, _ string, ev []bots.Evidence) error {
		for _, e := range ev {
			k := strings.ToLower(e.Login)
			sum := out[k]
			if sum.Login == "" {
				sum.Login = e.Login
			}
			sum.Merge(e)
			out[k] = sum
		}
		return nil
	}}
	if _, err := gharchive.Read(context.Background(), inputs, opts, func(context.Context, []contrib.Contribution) error { return nil }); err != nil {
		t.Fatal(err)
	}
	return out
}

// crossValidation is the measure's result.
type crossValidation struct {
	tp, fp, fn, tn      int
	precision, recall   float64
	flagged, missed     []string
	byBehaviour, byName int // bots found by behaviour alone, by patterns
}

func crossValidate(t testing.TB, set []labelledAccount, evidence map[string]bots.Evidence) crossValidation {
	t.Helper()
	defaults, err := bots.New(nil, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	fold := func(login string) int {
		h := fnv.New32a()
		h.Write([]byte(strings.ToLower(login)))
		return int(h.Sum32() % folds)
	}
	var cv crossValidation
	for k := 0; k < folds; k++ {
		var test []labelledAccount
		var forget []string
		for _, a := range set {
			if fold(a.login) == k {
				test = append(test, a)
				forget = append(forget, a.login)
			}
		}
		rules := defaults.Forget(forget...)
		for _, a := range test {
			byName := rules.IsBot(a.login, "")
			v := bots.Judge(evidence[strings.ToLower(a.login)])
			if v.Login == "" {
				v = bots.Judge(bots.Evidence{Login: a.login})
			}
			got := byName || v.Bot
			switch {
			case got && a.bot:
				cv.tp++
				if byName {
					cv.byName++
				} else {
					cv.byBehaviour++
				}
			case got && !a.bot:
				cv.fp++
				cv.flagged = append(cv.flagged, fmt.Sprintf("%s (%v)", a.login, v.Because))
			case !got && a.bot:
				cv.fn++
				cv.missed = append(cv.missed, a.login)
			default:
				cv.tn++
			}
		}
	}
	cv.precision, cv.recall = 1, 1
	if cv.tp+cv.fp > 0 {
		cv.precision = float64(cv.tp) / float64(cv.tp+cv.fp)
	}
	if cv.tp+cv.fn > 0 {
		cv.recall = float64(cv.tp) / float64(cv.tp+cv.fn)
	}
	sort.Strings(cv.missed)
	return cv
}

func (cv crossValidation) String() string {
	return fmt.Sprintf("precision %.4f, recall %.4f (goal %.2f and %.2f): %d bots found (%d by login patterns, %d by behaviour), %d missed, %d people flagged, %d people left alone",
		cv.precision, cv.recall, goalPrec, goalRecall, cv.tp, cv.byName, cv.byBehaviour, cv.fn, cv.fp, cv.tn)
}

func TestBotsByBehaviourCrossValidated(t *testing.T) {
	set := readLabelledSet(t)
	cv := crossValidate(t, set, fixtureEvidence(t))
	t.Logf("%d-fold cross-validation on %d labelled accounts: %s", folds, len(set), cv)
	t.Logf("bots missed: %s", strings.Join(cv.missed, ", "))
	for _, f := range cv.flagged {
		t.Errorf("a person flagged as a bot: %s", f)
	}
	if cv.precision < goalPrec {
		t.Errorf("precision %.4f is below the goal %.2f", cv.precision, goalPrec)
	}
	if cv.recall < goalRecall {
		t.Logf("the recall goal %.2f is NOT met (docs/bots.md says why)", goalRecall)
	}
	if cv.recall < minRecall {
		t.Errorf("recall %.4f fell below the floor %.2f", cv.recall, minRecall)
	}
	// Without behaviour (the lists forgotten, only the patterns) the same
	// accounts are found far less often: the signals do the work.
	none := map[string]bots.Evidence{}
	if base := crossValidate(t, set, none); base.recall >= cv.recall {
		t.Errorf("behaviour adds nothing: recall %.4f without it, %.4f with it", base.recall, cv.recall)
	}
}

// BenchmarkBotsByBehaviour prints the cross-validated figures for `make
// bench`, next to the baseline of the login rules alone under the same
// folds.
func BenchmarkBotsByBehaviour(b *testing.B) {
	set := readLabelledSet(b)
	var ev map[string]bots.Evidence
	for i := 0; i < b.N; i++ {
		ev = fixtureEvidence(b)
	}
	cv := crossValidate(b, set, ev)
	base := crossValidate(b, set, map[string]bots.Evidence{})
	b.ReportMetric(cv.precision, "precision")
	b.ReportMetric(cv.recall, "recall")
	fmt.Printf("bots by behaviour, %d-fold cross-validation on %d labelled accounts (each fold's logins forgotten by every list): %s\n", folds, len(set), cv)
	fmt.Printf("baseline, login patterns alone under the same folds: %s\n", base)
}
