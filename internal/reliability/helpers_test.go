package reliability

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/ClickHouse/clickhouse-go/v2"

	"contribtrack/queries"
)

// emailKey is the email identity key every process of the suite gets.
const emailKey = "contribtrack-reliability-email-key"

var dbSeq atomic.Int64

// newDSN names a fresh database on the suite's ClickHouse (contribtrack
// creates it on first use).
func newDSN(prefix string) string {
	return st.ch.DSN(fmt.Sprintf("rel_%s_%d_%d", prefix, os.Getpid(), dbSeq.Add(1)))
}

// proc is a contribtrack process.
type proc struct {
	cmd            *exec.Cmd
	stdout, stderr bytes.Buffer
	done           chan struct{} // closed when a started process has exited
}

// start starts p in the background.
func (p *proc) start(t *testing.T) {
	t.Helper()
	if err := p.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	p.done = make(chan struct{})
	go func() { _ = p.cmd.Wait(); close(p.done) }()
}

// command prepares contribtrack with args, a clean environment (no
// developer CONTRIBTRACK_* variables) plus env.
func command(t *testing.T, env []string, args ...string) *proc {
	t.Helper()
	p := &proc{cmd: exec.Command(st.bin, args...)}
	home := filepath.Join(st.tmp, "home")
	p.cmd.Env = append([]string{"PATH=" + os.Getenv("PATH"), "HOME=" + home, "CONTRIBTRACK_DATA_DIR=" + filepath.Join(home, "data"),
		"CONTRIBTRACK_EMAIL_KEY=" + emailKey, "CONTRIBTRACK_ALLOW_UNSUPPORTED_CLICKHOUSE=1"}, env...)
	p.cmd.Stdout, p.cmd.Stderr = &p.stdout, &p.stderr
	return p
}

// run runs contribtrack to the end and fails t unless it exits 0.
func run(t *testing.T, env []string, args ...string) *proc {
	t.Helper()
	p := command(t, env, args...)
	if err := p.cmd.Run(); err != nil {
		t.Fatalf("contribtrack %s: %v\nstdout:\n%s\nstderr:\n%s", strings.Join(args, " "), err, p.stdout.String(), tail(p.stderr.String(), 30))
	}
	return p
}

// kill9 kills p (started with start) with SIGKILL and waits for it. It
// reports whether the signal ended the process (false: it had already
// exited by itself).
func (p *proc) kill9() bool {
	_ = p.cmd.Process.Signal(syscall.SIGKILL)
	<-p.done
	ws, ok := p.cmd.ProcessState.Sys().(syscall.WaitStatus)
	return ok && ws.Signaled() && ws.Signal() == syscall.SIGKILL
}

func tail(s string, n int) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}

// stored is one natural key as the database resolves it.
type stored struct {
	Kind, Key, Login, Repo string
	Actor                  uint64
	At                     time.Time
}

func (s stored) String() string {
	return fmt.Sprintf("%s %s actor %d (%s) %s %s", s.Kind, s.Key, s.Actor, s.Login, s.Repo, s.At.Format(time.RFC3339))
}

// dump returns every natural key stored in the database at dsn, sorted.
func dump(t *testing.T, dsn string) []stored {
	t.Helper()
	opts, err := clickhouse.ParseDSN(dsn)
	if err != nil {
		t.Fatal(err)
	}
	conn, err := clickhouse.Open(opts)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	ctx := context.Background()
	rows, err := conn.Query(ctx, queries.MustRead("reliability_contributions.sql"))
	if err != nil {
		t.Fatalf("dumping %s: %v", dsn, err)
	}
	defer rows.Close()
	var out []stored
	for rows.Next() {
		var s stored
		if err := rows.Scan(&s.Kind, &s.Key, &s.Actor, &s.Login, &s.Repo, &s.At); err != nil {
			t.Fatal(err)
		}
		s.At = s.At.UTC()
		out = append(out, s)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Kind+"\x00"+out[i].Key < out[j].Kind+"\x00"+out[j].Key })
	return out
}

// diff says how got differs from want ("" when equal): counts and the
// first differences.
func diff(got, want []stored) string {
	g, w := map[string]stored{}, map[string]stored{}
	for _, s := range got {
		g[s.Kind+" "+s.Key] = s
	}
	for _, s := range want {
		w[s.Kind+" "+s.Key] = s
	}
	var lines []string
	for k, ws := range w {
		gs, ok := g[k]
		switch {
		case !ok:
			lines = append(lines, "missing: "+ws.String())
		case gs != ws:
			lines = append(lines, "differs: "+gs.String()+", want "+ws.String())
		}
	}
	for k, gs := range g {
		if _, ok := w[k]; !ok {
			lines = append(lines, "extra: "+gs.String())
		}
	}
	if len(lines) == 0 {
		return ""
	}
	sort.Strings(lines)
	if len(lines) > 5 {
		lines = append(lines[:5], fmt.Sprintf("... %d differences in all", len(lines)))
	}
	return fmt.Sprintf("%d keys stored, %d expected: %s", len(got), len(want), strings.Join(lines, "; "))
}

// leaderboard is the all-time leaderboard, bots included, as JSON: the
// rollups' view of the data, which dump does not read.
func leaderboard(t *testing.T, dsn string, extra ...string) string {
	t.Helper()
	args := append([]string{"--clickhouse", dsn}, extra...)
	args = append(args, "leaderboard", "--from", "2000-01-01", "--to", "2100-01-01", "--include-bots", "--limit", "10000", "--format", "json")
	return run(t, nil, args...).stdout.String()
}
