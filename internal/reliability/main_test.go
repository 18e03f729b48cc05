package reliability

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"contribtrack/internal/localch"
)

// mode is CONTRIBTRACK_RELIABILITY: "short", "full" or "" (skip).
var mode = os.Getenv("CONTRIBTRACK_RELIABILITY")

// trials picks the short or the full number of something.
func trials(short, full int) int {
	if mode == "full" {
		return full
	}
	return short
}

// row is one line of the printed table.
type row struct {
	experiment string
	trials     string
	result     string // what held, or what failed
	ok         bool
	missing    bool     // the experiment does not exist yet: neither passed nor failed
	details    []string // printed under the table
}

var (
	rowsMu sync.Mutex
	rows   []*row
)

// record adds a row to the table and fails t when it did not hold.
func record(t *testing.T, r *row) {
	rowsMu.Lock()
	rows = append(rows, r)
	rowsMu.Unlock()
	if !r.ok {
		t.Errorf("%s: %s", r.experiment, r.result)
	}
}

// printTable prints the table (Markdown) and each row's details.
func printTable() {
	rowsMu.Lock()
	defer rowsMu.Unlock()
	if len(rows) == 0 {
		return
	}
	fmt.Printf("\nReliability (%s form), %s, %s\n\n", mode, time.Now().UTC().Format("2006-01-02 15:04 UTC"), machine())
	fmt.Println("| experiment | trials | exact / passed |")
	fmt.Println("|---|---|---|")
	for _, r := range rows {
		mark := "PASS"
		switch {
		case r.missing:
			mark = "MISSING"
		case !r.ok:
			mark = "FAIL"
		}
		fmt.Printf("| %s | %s | %s: %s |\n", r.experiment, r.trials, mark, r.result)
	}
	for _, r := range rows {
		if len(r.details) == 0 {
			continue
		}
		fmt.Printf("\n%s:\n", r.experiment)
		for _, d := range r.details {
			fmt.Printf("  %s\n", d)
		}
	}
}

// machine describes where the suite ran.
func machine() string {
	n, _ := exec.Command("nproc").Output()
	return strings.TrimSpace(string(n)) + " cores"
}

// suite is what every row shares: the contribtrack binary built once, a
// local ClickHouse of the suite's own in a temp directory, and the
// repository's root.
type suite struct {
	root  string // the repository
	bin   string // contribtrack, built from cmd/contribtrack
	tmp   string
	ch    *localch.Instance
	chDir string
}

var st *suite

// warnings logs localch's warnings only (not a line per server start).
var warnings = slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))

func TestMain(m *testing.M) {
	if mode == "" {
		fmt.Println("reliability: skipped (set CONTRIBTRACK_RELIABILITY=short or full, or run scripts/reliability.sh)")
		os.Exit(m.Run())
	}
	code := func() int {
		s, err := setup()
		if err != nil {
			fmt.Fprintf(os.Stderr, "reliability: %v\n", err)
			return 1
		}
		st = s
		defer s.teardown()
		code := m.Run()
		printTable()
		return code
	}()
	os.Exit(code)
}

func setup() (*suite, error) {
	root, err := filepath.Abs("../..")
	if err != nil {
		return nil, err
	}
	tmp, err := os.MkdirTemp("", "contribtrack-reliability-")
	if err != nil {
		return nil, err
	}
	s := &suite{root: root, tmp: tmp, bin: filepath.Join(tmp, "contribtrack"), chDir: filepath.Join(tmp, "clickhouse")}
	build := exec.Command("go", "build", "-o", s.bin, "./cmd/contribtrack")
	build.Dir = root
	if out, err := build.CombinedOutput(); err != nil {
		s.teardown()
		return nil, fmt.Errorf("building contribtrack: %v\n%s", err, out)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	s.ch, err = localch.Ensure(ctx, s.chDir, warnings)
	if err != nil {
		s.teardown()
		return nil, fmt.Errorf("starting the suite's ClickHouse: %w", err)
	}
	return s, nil
}

func (s *suite) teardown() {
	_ = localch.Stop(s.chDir)
	if os.Getenv("CONTRIBTRACK_RELIABILITY_KEEP") == "" {
		_ = os.RemoveAll(s.tmp)
	} else {
		fmt.Fprintf(os.Stderr, "reliability: kept %s\n", s.tmp)
	}
}

// TestReliability runs the rows in the table's order.
func TestReliability(t *testing.T) {
	if mode == "" {
		t.Skip("CONTRIBTRACK_RELIABILITY is not set")
	}
	for _, r := range []struct {
		name string
		run  func(*testing.T)
	}{
		{"KillImport", testKillImport},
		{"KillCollect", testKillCollect},
		{"KillClickHouse", testKillClickHouse},
		{"GitHubFaults", testGitHubFaults},
		{"Fuzz", testFuzz},
		{"APIUnderLoad", testAPIUnderLoad},
		{"Secrets", testSecrets},
	} {
		if only := os.Getenv("CONTRIBTRACK_RELIABILITY_ONLY"); only != "" && !strings.Contains(","+only+",", ","+r.name+",") {
			continue
		}
		t.Run(r.name, r.run)
	}
}
