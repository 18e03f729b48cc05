package localch

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"log/slog"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/ClickHouse/clickhouse-go/v2"
)

// requireLibrary returns the ClickHouse library, installing it with npm
// when missing; it skips without one, except under CI=true.
func requireLibrary(t *testing.T) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), installTimeout)
	defer cancel()
	lib, err := InstallLibrary(ctx, testLogger(t))
	if err != nil {
		if os.Getenv("CI") == "true" || !errors.Is(err, ErrNoBinary) {
			t.Fatalf("installing the ClickHouse library: %v", err)
		}
		t.Skipf("no ClickHouse library (run scripts/install-clickhouse.sh): %v", err)
	}
	return lib
}

// startLibraryServer starts a library server of the test's own.
func startLibraryServer(t *testing.T) *Instance {
	t.Helper()
	lib := requireLibrary(t)
	dir := t.TempDir()
	t.Cleanup(func() {
		if err := Stop(dir); err != nil {
			t.Errorf("Stop: %v", err)
		}
	})
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	inst, err := start(ctx, dir, serverBinary{path: lib, library: true}, mustPorts(t))
	if err != nil {
		t.Fatalf("starting a library server: %v", err)
	}
	return inst
}

func mustPorts(t *testing.T) ports {
	t.Helper()
	p, err := pickPorts(0, 0)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// handshake opens a native connection naming database and user and pings.
func handshake(port int, database, user, password string) error {
	conn, err := clickhouse.Open(&clickhouse.Options{
		Addr: []string{"127.0.0.1:" + strconv.Itoa(port)},
		Auth: clickhouse.Auth{Database: database, Username: user, Password: password},
	})
	if err != nil {
		return err
	}
	defer conn.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	return conn.Ping(ctx)
}

func exceptionCode(err error) int32 {
	var ex *clickhouse.Exception
	if errors.As(err, &ex) {
		return ex.Code
	}
	return 0
}

// waitFor polls cond until it holds or a generous deadline passes.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(2 * time.Minute)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("gave up waiting for %s", what)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func TestLibraryServerRunsModernClickHouse(t *testing.T) {
	inst := startLibraryServer(t)
	v := queryVersion(t, inst)
	if !strings.HasPrefix(v, "26.") {
		t.Errorf("version %q, want the pinned 26.x", v)
	}
	// The HTTP port answers too (Grafana and curl use it).
	e := engineHTTP{port: inst.HTTPPort}
	if err := e.ping(context.Background()); err != nil {
		t.Errorf("HTTP: %v", err)
	}
}

// A handshake that clickhouse-local would die of gets the server's own
// error, and the server goes on answering: the guard answered it.
func TestGuardRefusesHandshakesThatKillClickHouseLocal(t *testing.T) {
	inst := startLibraryServer(t)
	for _, tc := range []struct {
		name                     string
		database, user, password string
		wantCode                 int32
		wantText                 string
	}{
		{"unknown database", "no_such_db", "default", "", 81, "no_such_db"},
		{"unknown user", "default", "nobody", "x", 516, "nobody"},
		{"wrong password", "default", "default", "secret", 194, "password"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := handshake(inst.TCPPort, tc.database, tc.user, tc.password)
			if exceptionCode(err) != tc.wantCode || !strings.Contains(err.Error(), tc.wantText) {
				t.Fatalf("handshake error = %v, want code %d mentioning %q", err, tc.wantCode, tc.wantText)
			}
			if strings.Contains(err.Error(), tc.password) && tc.password != "" {
				t.Errorf("the error repeats the password: %v", err)
			}
			if err := handshake(inst.TCPPort, "default", "default", ""); err != nil {
				t.Fatalf("the server stopped answering after the refused handshake: %v", err)
			}
		})
	}
	if cs, err := Crashes(inst.Dir, time.Time{}); err != nil || len(cs) != 0 {
		t.Errorf("crashes = %v, %v; want none", cs, err)
	}
}

// An engine that dies anyway (here: a bad handshake sent straight to its
// own port, past the guard) is restarted on the same ports with its data,
// the death is recorded with ClickHouse's reason, and the next Ensure warns.
func TestEngineDeathIsRestartedAndReported(t *testing.T) {
	inst := startLibraryServer(t)
	conn, err := clickhouse.Open(&clickhouse.Options{Addr: []string{"127.0.0.1:" + strconv.Itoa(inst.TCPPort)}})
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	ctx := context.Background()
	for _, q := range []string{"CREATE DATABASE kept", "CREATE TABLE kept.t (n UInt32) ENGINE = MergeTree ORDER BY n", "INSERT INTO kept.t VALUES (42)"} {
		if err := conn.Exec(ctx, q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	enginePort := engineTCPPort(t, inst.Dir)
	before := time.Now()
	if err := handshake(enginePort, "no_such_db", "default", ""); err == nil {
		t.Fatal("the engine accepted a handshake naming a missing database")
	}
	waitFor(t, "the crash record", func() bool {
		cs, _ := Crashes(inst.Dir, before)
		return len(cs) == 1
	})
	cs, _ := Crashes(inst.Dir, before)
	t.Logf("recorded: %s", cs[0])
	if !strings.Contains(cs[0].String(), "no_such_db does not exist") || !strings.Contains(cs[0].String(), "restarts it") {
		t.Errorf("crash record %q does not say why and what was done", cs[0])
	}
	waitFor(t, "the restarted engine", func() bool { return handshake(inst.TCPPort, "default", "default", "") == nil })
	var n uint32
	if err := conn.QueryRow(ctx, "SELECT n FROM kept.t").Scan(&n); err != nil || n != 42 {
		t.Fatalf("after the restart: %d, %v; want the stored 42", n, err)
	}

	var logged strings.Builder
	log := slogTo(&logged)
	again, err := Ensure(ctx, inst.Dir, log)
	if err != nil || again.PID != inst.PID {
		t.Fatalf("Ensure after the restart = %+v, %v; want the same supervisor %d", again, err, inst.PID)
	}
	if !strings.Contains(logged.String(), "stopped unexpectedly") {
		t.Errorf("Ensure did not warn about the crash: %q", logged.String())
	}
	logged.Reset()
	if _, err := Ensure(ctx, inst.Dir, log); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(logged.String(), "stopped unexpectedly") {
		t.Errorf("Ensure warned twice about one crash: %q", logged.String())
	}
}

// Stop ends the engine through its keep-alive query: clickhouse-local
// exits cleanly, not killed.
func TestLibraryServerStopsCleanly(t *testing.T) {
	lib := requireLibrary(t)
	dir := t.TempDir()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	inst, err := start(ctx, dir, serverBinary{path: lib, library: true}, mustPorts(t))
	if err != nil {
		t.Fatal(err)
	}
	if err := Stop(dir); err != nil {
		t.Fatal(err)
	}
	if alive(inst.PID) {
		t.Fatalf("supervisor %d still runs", inst.PID)
	}
	log, err := os.ReadFile(filepath.Join(dir, "log", "supervisor.log"))
	if !strings.Contains(string(log), `msg="engine stopped" status="exit status 0"`) {
		entries, _ := os.ReadDir(filepath.Join(dir, "log"))
		var names []string
		for _, e := range entries {
			names = append(names, e.Name())
		}
		tail := func(name string) []byte {
			b, _ := os.ReadFile(filepath.Join(dir, "log", name))
			return b[max(0, len(b)-2000):]
		}
		t.Errorf("the engine did not exit cleanly (reading the log: %v; log/ holds %v):\n%s\nthe end of engine.log:\n%s\nthe end of clickhouse-server.err.log:\n%s",
			err, names, log, tail("engine.log"), tail("clickhouse-server.err.log"))
	}
}

var engineTCPLine = regexp.MustCompile(`<tcp_port>(\d+)</tcp_port>`)

// engineTCPPort reads the engine's own native port from its config.
func engineTCPPort(t *testing.T, dir string) int {
	t.Helper()
	cfg, err := os.ReadFile(configPath(dir))
	if err != nil {
		t.Fatal(err)
	}
	m := engineTCPLine.FindSubmatch(cfg)
	if m == nil {
		t.Fatal("no tcp_port in the config")
	}
	p, _ := strconv.Atoi(string(m[1]))
	return p
}

func TestReadHello(t *testing.T) {
	// A Hello as clickhouse-go writes it, parsed back.
	var b []byte
	str := func(s string) { b = append(append(b, byte(len(s))), s...) }
	b = append(b, 0)
	str("clickhouse-go/2")
	b = append(b, 2, 51, 0xa8, 0xa6, 0x03)
	str("db1")
	str("ann")
	str("pw")
	h, ok, err := readHelloBytes(b)
	if err != nil || !ok || h != (hello{"db1", "ann", "pw"}) {
		t.Fatalf("readHello = %+v, %v, %v", h, ok, err)
	}
	if _, ok, _ := readHelloBytes([]byte{1, 0}); ok {
		t.Error("a non-Hello packet was taken for a Hello")
	}
	if _, _, err := readHelloBytes([]byte{0, 0xff, 0xff, 0xff, 0x7f}); err == nil {
		t.Error("a 268 MB client name was accepted")
	}
}

func readHelloBytes(b []byte) (hello, bool, error) {
	return readHello(bufio.NewReader(bytes.NewReader(b)))
}

func slogTo(b *strings.Builder) *slog.Logger {
	return slog.New(slog.NewTextHandler(b, nil))
}

// A library server keeps none of its starter's secrets: the supervisor
// outlives the command that started it.
func TestLibraryServerKeepsNoSecrets(t *testing.T) {
	t.Setenv("GITHUB_TOKEN", "ghp_secretThatMustNotStay0001")
	t.Setenv("CONTRIBTRACK_API_TOKEN", "api-secret-that-must-not-stay")
	inst := startLibraryServer(t)
	env, err := os.ReadFile("/proc/" + strconv.Itoa(inst.PID) + "/environ")
	if err != nil {
		t.Skipf("no procfs: %v", err)
	}
	for _, secret := range []string{"ghp_secretThatMustNotStay0001", "api-secret-that-must-not-stay"} {
		if strings.Contains(string(env), secret) {
			t.Errorf("the supervisor's environment holds %q", secret)
		}
	}
	if !strings.Contains(string(env), roleEnv+"="+roleSupervisor) {
		t.Errorf("the supervisor's environment lacks its role: %q", env)
	}
}
