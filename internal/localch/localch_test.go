package localch

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ClickHouse/clickhouse-go/v2"
)

// requireBinary skips the test when no ClickHouse server is installed,
// except under CI=true, where a missing server is a failure.
func requireBinary(t *testing.T) {
	t.Helper()
	if _, err := defaultSearch().findBinary(context.Background(), testLogger(t)); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("CI=true but no ClickHouse server is installed (run scripts/install-clickhouse.sh): %v", err)
		}
		t.Skipf("no ClickHouse server installed (run scripts/install-clickhouse.sh): %v", err)
	}
}

func testLogger(t *testing.T) *slog.Logger {
	return slog.New(slog.NewTextHandler(testWriter{t}, &slog.HandlerOptions{Level: slog.LevelDebug}))
}

type testWriter struct{ t *testing.T }

func (w testWriter) Write(p []byte) (int, error) {
	w.t.Log(strings.TrimRight(string(p), "\n"))
	return len(p), nil
}

// ensure calls Ensure and registers a Stop of dir in t.Cleanup.
func ensure(t *testing.T, dir string) *Instance {
	t.Helper()
	t.Cleanup(func() {
		if err := Stop(dir); err != nil {
			t.Errorf("Stop(%s): %v", dir, err)
		}
	})
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	inst, err := Ensure(ctx, dir, testLogger(t))
	if err != nil {
		t.Fatalf("Ensure: %v", err)
	}
	return inst
}

func queryVersion(t *testing.T, inst *Instance) string {
	t.Helper()
	conn, err := clickhouse.Open(&clickhouse.Options{Addr: []string{fmt.Sprintf("127.0.0.1:%d", inst.TCPPort)}})
	if err != nil {
		t.Fatalf("open: %v", err)
	}
	defer conn.Close()
	var v string
	if err := conn.QueryRow(context.Background(), "SELECT version()").Scan(&v); err != nil {
		t.Fatalf("SELECT version(): %v", err)
	}
	return v
}

func TestEnsureStartsThenReuses(t *testing.T) {
	requireBinary(t)
	t.Parallel()
	dir := t.TempDir()
	a := ensure(t, dir)
	if v := queryVersion(t, a); v == "" {
		t.Fatal("empty version")
	} else {
		t.Logf("server version %s, pid %d, port %d, DSN %s", v, a.PID, a.TCPPort, a.DSN("default"))
	}
	if want := fmt.Sprintf("clickhouse://127.0.0.1:%d/contribtrack", a.TCPPort); a.DSN("contribtrack") != want {
		t.Errorf("DSN = %q, want %q", a.DSN("contribtrack"), want)
	}
	b := ensure(t, dir)
	if a.PID != b.PID || a.TCPPort != b.TCPPort || a.HTTPPort != b.HTTPPort {
		t.Fatalf("second Ensure did not reuse: %+v vs %+v", a, b)
	}
	if b.Binary == "" || b.Dir != dir {
		t.Errorf("instance fields: %+v", b)
	}
}

func TestConcurrentEnsureStartsOneServer(t *testing.T) {
	requireBinary(t)
	t.Parallel()
	dir := t.TempDir()
	t.Cleanup(func() { _ = Stop(dir) })
	const n = 6
	var wg sync.WaitGroup
	insts := make([]*Instance, n)
	errs := make([]error, n)
	for i := range n {
		wg.Go(func() {
			ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
			defer cancel()
			insts[i], errs[i] = Ensure(ctx, dir, testLogger(t))
		})
	}
	wg.Wait()
	for i := range n {
		if errs[i] != nil {
			t.Fatalf("Ensure %d: %v", i, errs[i])
		}
		if insts[i].PID != insts[0].PID || insts[i].TCPPort != insts[0].TCPPort {
			t.Fatalf("Ensure %d got %+v, Ensure 0 got %+v", i, insts[i], insts[0])
		}
	}
	queryVersion(t, insts[0])
}

// TestHelperEnsureProcess is run as a subprocess by
// TestConcurrentProcessesStartOneServer; it prints the pid and port.
func TestHelperEnsureProcess(t *testing.T) {
	dir := os.Getenv("LOCALCH_HELPER_DIR")
	if dir == "" {
		t.Skip("helper process only")
	}
	inst, err := Ensure(context.Background(), dir, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	fmt.Printf("RESULT %d %d\n", inst.PID, inst.TCPPort)
}

func TestConcurrentProcessesStartOneServer(t *testing.T) {
	requireBinary(t)
	t.Parallel()
	dir := t.TempDir()
	t.Cleanup(func() { _ = Stop(dir) })
	const n = 3
	outs := make([]string, n)
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			cmd := exec.Command(os.Args[0], "-test.run=^TestHelperEnsureProcess$", "-test.count=1")
			cmd.Env = append(os.Environ(), "LOCALCH_HELPER_DIR="+dir)
			out, err := cmd.CombinedOutput()
			outs[i], errs[i] = string(out), err
		})
	}
	wg.Wait()
	var first string
	for i := range n {
		if errs[i] != nil {
			t.Fatalf("helper %d: %v\n%s", i, errs[i], outs[i])
		}
		var res string
		for _, l := range strings.Split(outs[i], "\n") {
			if strings.HasPrefix(l, "RESULT ") {
				res = l
			}
		}
		if res == "" {
			t.Fatalf("helper %d printed no result:\n%s", i, outs[i])
		}
		if first == "" {
			first = res
		} else if res != first {
			t.Fatalf("helpers disagree: %q vs %q", first, res)
		}
	}
	inst := ensure(t, dir)
	if got := fmt.Sprintf("RESULT %d %d", inst.PID, inst.TCPPort); got != first {
		t.Fatalf("this process got %q, helpers %q", got, first)
	}
}

func TestStopThenEnsureStartsFresh(t *testing.T) {
	requireBinary(t)
	t.Parallel()
	dir := t.TempDir()
	a := ensure(t, dir)
	if err := Stop(dir); err != nil {
		t.Fatalf("Stop: %v", err)
	}
	if alive(a.PID) {
		t.Fatalf("pid %d still alive after Stop", a.PID)
	}
	if _, err := os.Stat(filepath.Join(dir, stateFileName)); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("state file still present after Stop: %v", err)
	}
	if err := Stop(dir); err != nil {
		t.Fatalf("second Stop: %v", err)
	}
	b := ensure(t, dir)
	if b.PID == a.PID {
		t.Fatalf("Ensure after Stop returned the old pid %d", a.PID)
	}
	queryVersion(t, b)
}

func TestStaleStateWithDeadPIDIsRecovered(t *testing.T) {
	requireBinary(t)
	t.Parallel()
	dir := t.TempDir()
	dead := exec.Command("true")
	if err := dead.Run(); err != nil {
		t.Fatal(err)
	}
	p, err := pickPorts(0, 0)
	if err != nil {
		t.Fatal(err)
	}
	tcpPort, httpPort := p.TCP, p.HTTP
	stale := state{Binary: "/nonexistent/clickhouse-server", PID: dead.Process.Pid, TCPPort: tcpPort, HTTPPort: httpPort}
	if err := writeState(dir, stale); err != nil {
		t.Fatal(err)
	}
	inst := ensure(t, dir)
	if inst.PID == stale.PID {
		t.Fatalf("reused dead pid %d", stale.PID)
	}
	if inst.TCPPort != tcpPort || inst.HTTPPort != httpPort {
		t.Errorf("ports %d/%d, want the free old ports %d/%d", inst.TCPPort, inst.HTTPPort, tcpPort, httpPort)
	}
	queryVersion(t, inst)
	st, err := readState(dir)
	if err != nil || st.PID != inst.PID || st.Binary != inst.Binary {
		t.Fatalf("state after recovery = %+v, %v; instance %+v", st, err, inst)
	}
}

// withoutBinaries hides every clickhouse binary on PATH and the installed
// library, and puts bin (may be "") alone on PATH; callers search no other
// directory (searchPath{}). Not for parallel tests.
func withoutBinaries(t *testing.T, bin string) {
	t.Helper()
	if bin == "" {
		bin = t.TempDir()
	}
	t.Setenv("PATH", bin)
	t.Setenv("CONTRIBTRACK_CHDB_LIB", "")
	t.Setenv("XDG_DATA_HOME", t.TempDir())
}

// fakeClickHouse writes an executable "clickhouse" that answers
// "server --version" with version and otherwise runs body.
func fakeClickHouse(t *testing.T, version, body string) string {
	t.Helper()
	bin := t.TempDir()
	script := "#!/bin/sh\nif [ \"$1 $2\" = \"server --version\" ]; then echo 'ClickHouse server version " + version + " (official build).'; exit 0; fi\n" + body
	if err := os.WriteFile(filepath.Join(bin, "clickhouse"), []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	return bin
}

// Not parallel: it changes PATH. It searches no directory after PATH.
func TestErrNoBinary(t *testing.T) {
	withoutBinaries(t, "") // no clickhouse, no library, no npm to fetch it

	dir := t.TempDir()
	_, err := ensureWith(context.Background(), dir, testLogger(t), searchPath{}.findBinary)
	if !errors.Is(err, ErrNoBinary) {
		t.Fatalf("Ensure error = %v, want ErrNoBinary", err)
	}
	for _, want := range []string{"scripts/install-clickhouse.sh", "npm", "clickhouse.com"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not mention %q", err, want)
		}
	}
}

// Not parallel: it changes PATH. It searches no directory after PATH.
func TestStartFailureReportsLog(t *testing.T) {
	withoutBinaries(t, fakeClickHouse(t, "26.8.1.1", "echo 'fake server: cannot bind, giving up' >&2\nexit 70\n"))

	dir := t.TempDir()
	start := time.Now()
	_, err := ensureWith(context.Background(), dir, testLogger(t), searchPath{}.findBinary)
	if err == nil {
		t.Fatal("Ensure succeeded with a server that exits")
	}
	t.Logf("Ensure error (expected): %v", err)
	if !strings.Contains(err.Error(), "fake server: cannot bind") {
		t.Errorf("error does not include the server output: %v", err)
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("took %s to notice the exit", d)
	}
	if _, err := os.Stat(filepath.Join(dir, stateFileName)); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("state file left behind: %v", err)
	}
}

// An official binary older than the oldest supported release is passed
// over for the library; a current one is used.
// Not parallel: it changes PATH. It searches no directory after PATH.
func TestOldOfficialBinaryIsPassedOver(t *testing.T) {
	for _, tc := range []struct {
		name, version string
		wantLibrary   bool
	}{
		{"18.16 (Debian 12)", "18.16.1", true},
		{"24.3", "24.3.5.47", true},
		{"24.8", "24.8.1.2684", false},
		{"26.8", "26.8.1.1", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			lib := filepath.Join(t.TempDir(), "libchdb.so")
			if err := os.WriteFile(lib, []byte("not really"), 0o644); err != nil {
				t.Fatal(err)
			}
			withoutBinaries(t, fakeClickHouse(t, tc.version, "exit 1\n"))
			t.Setenv("CONTRIBTRACK_CHDB_LIB", lib)
			bin, err := searchPath{}.findBinary(context.Background(), testLogger(t))
			if err != nil {
				t.Fatal(err)
			}
			if bin.library != tc.wantLibrary {
				t.Errorf("findBinary = %+v, want library %v", bin, tc.wantLibrary)
			}
			if tc.wantLibrary && bin.path != lib {
				t.Errorf("library path %q, want %q", bin.path, lib)
			}
		})
	}
}

func TestDefaultDir(t *testing.T) {
	t.Setenv("CONTRIBTRACK_DATA_DIR", "/data/ct")
	t.Setenv("XDG_DATA_HOME", "/xdg")
	if d, _ := DefaultDir(); d != "/data/ct/clickhouse" {
		t.Errorf("with CONTRIBTRACK_DATA_DIR: %q", d)
	}
	t.Setenv("CONTRIBTRACK_DATA_DIR", "")
	if d, _ := DefaultDir(); d != "/xdg/contribtrack/clickhouse" {
		t.Errorf("with XDG_DATA_HOME: %q", d)
	}
	t.Setenv("XDG_DATA_HOME", "")
	t.Setenv("HOME", "/home/u")
	if d, _ := DefaultDir(); d != "/home/u/.local/share/contribtrack/clickhouse" {
		t.Errorf("with HOME: %q", d)
	}
}

func TestConfigIsWellFormedAndLocal(t *testing.T) {
	cfg := configXML("/tmp/a&b", 1234, 5678)
	for _, want := range []string{"<tcp_port>1234</tcp_port>", "<http_port>5678</http_port>",
		"<listen_host>127.0.0.1</listen_host>", "<path>/tmp/a&amp;b/data/</path>"} {
		if !strings.Contains(cfg, want) {
			t.Errorf("config lacks %s", want)
		}
	}
	for _, bad := range []string{"/etc/", "users_config", "interserver", strconv.Itoa(9000) + "<"} {
		if strings.Contains(cfg, bad) {
			t.Errorf("config contains %q", bad)
		}
	}
}
