// Package localch runs contribtrack's "embedded default" ClickHouse: when
// the user gives no DSN, contribtrack starts (or reuses) a private
// ClickHouse server that listens on loopback only and keeps all its files
// under one directory.
//
// The server is started detached (its own session) so it outlives the
// contribtrack process that started it; later runs find it again through
// the state file dir/instance.json and reuse it. Several processes may call
// Ensure on the same directory at once: an exclusive lock on dir/lock makes
// exactly one of them start the server while the others wait and reuse it.
//
// The generated configuration works on ClickHouse 18.16 (Debian 12's
// clickhouse-server package) and on current releases.
package localch

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strconv"
	"time"
)

// ErrNoBinary is returned (wrapped) by Ensure when no ClickHouse server can
// be found or installed.
var ErrNoBinary = errors.New("no ClickHouse server found or installed: run scripts/install-clickhouse.sh " +
	"(it installs npm, with which contribtrack fetches the ClickHouse library), " +
	"or put the official single binary `clickhouse` (24.8 or newer) from https://clickhouse.com on PATH")

// ErrNoLegacyServer is returned (wrapped) by EnsureCluster when Debian's
// clickhouse-server, which the local cluster runs for replication, is not
// installed.
var ErrNoLegacyServer = errors.New("no clickhouse-server found for the local replicated cluster: " +
	"run scripts/install-clickhouse-18.sh (Debian's clickhouse-server package)")

const (
	stateFileName  = "instance.json"
	configFileName = "config.xml"
	lockFileName   = "lock"

	// startTimeout bounds how long a freshly started server may take to
	// answer a native Ping.
	startTimeout = 30 * time.Second
	// lockTimeout bounds how long Ensure and Stop wait for another process
	// holding the directory lock (which may be starting a server).
	lockTimeout = 2*startTimeout + 15*time.Second
	// stopTimeout is how long Stop waits after SIGTERM before SIGKILL.
	stopTimeout = 10 * time.Second
)

// DefaultDir returns $CONTRIBTRACK_DATA_DIR/clickhouse if that env var is
// set, else $XDG_DATA_HOME/contribtrack/clickhouse, else
// ~/.local/share/contribtrack/clickhouse.
func DefaultDir() (string, error) {
	if d := os.Getenv("CONTRIBTRACK_DATA_DIR"); d != "" {
		return filepath.Join(d, "clickhouse"), nil
	}
	if d := os.Getenv("XDG_DATA_HOME"); d != "" {
		return filepath.Join(d, "contribtrack", "clickhouse"), nil
	}
	home, err := os.UserHomeDir()
	if err != nil {
		return "", fmt.Errorf("localch: cannot find the data directory (set CONTRIBTRACK_DATA_DIR): %w", err)
	}
	return filepath.Join(home, ".local", "share", "contribtrack", "clickhouse"), nil
}

// Instance is a running local server.
type Instance struct {
	// Dir is the absolute directory holding the server's config, data and logs.
	Dir string
	// TCPPort is the native-protocol port on 127.0.0.1.
	TCPPort int
	// HTTPPort is the HTTP port on 127.0.0.1.
	HTTPPort int
	// PID is the server's process id.
	PID int
	// Binary is the path of the executable the server was started from.
	Binary string
}

// DSN returns "clickhouse://127.0.0.1:<TCPPort>/<database>".
func (i *Instance) DSN(database string) string {
	return "clickhouse://127.0.0.1:" + strconv.Itoa(i.TCPPort) + "/" + database
}

// Ensure returns the server whose data lives in dir, starting it if it is
// not running, and reusing it when it is. A nil log means slog.Default().
func Ensure(ctx context.Context, dir string, log *slog.Logger) (*Instance, error) {
	return ensureWith(ctx, dir, log, defaultSearch().findBinary)
}

// EnsureLegacy is Ensure for Debian's clickhouse-server 18.16, which only
// contribtrack's own tests run: to show what changed since (benchmarks)
// and where a 26.x server cannot stand in.
func EnsureLegacy(ctx context.Context, dir string, log *slog.Logger) (*Instance, error) {
	return ensureWith(ctx, dir, log, func(context.Context, *slog.Logger) (serverBinary, error) { return defaultSearch().findLegacyServer() })
}

func ensureWith(ctx context.Context, dir string, log *slog.Logger, find func(context.Context, *slog.Logger) (serverBinary, error)) (*Instance, error) {
	if log == nil {
		log = slog.Default()
	}
	dir, err := filepath.Abs(dir)
	if err != nil {
		return nil, fmt.Errorf("localch: %w", err)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("localch: %w", err)
	}
	unlock, err := lockDir(ctx, dir, lockTimeout)
	if err != nil {
		return nil, err
	}
	defer unlock()

	bin, err := find(ctx, log)
	if err != nil {
		return nil, err
	}
	var oldTCP, oldHTTP int
	if st, err := readState(dir); err == nil {
		oldTCP, oldHTTP = st.TCPPort, st.HTTPPort
		if st.Binary != bin.path && alive(st.PID) && isOurServer(st.PID, configPath(dir)) {
			// Another server (an older release, or the library where an
			// official binary is now installed) runs on these files.
			log.Info("localch: replacing the running server with "+bin.path, "was", st.Binary, "dir", dir)
			if !terminate(st.PID) {
				return nil, fmt.Errorf("localch: the ClickHouse server pid %d (%s) on %s did not exit", st.PID, st.Binary, dir)
			}
		}
		if inst, ok := reuse(ctx, dir, st, log); ok {
			return inst, nil
		}
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		if err := os.Remove(statePath(dir)); err != nil && !errors.Is(err, os.ErrNotExist) {
			return nil, fmt.Errorf("localch: removing stale state: %w", err)
		}
	} else if !errors.Is(err, os.ErrNotExist) {
		log.Warn("localch: ignoring unreadable state file", "dir", dir, "err", err)
		_ = os.Remove(statePath(dir))
	}

	p, err := pickPorts(oldTCP, oldHTTP)
	if err != nil {
		return nil, err
	}
	log.Info("starting local ClickHouse server", "binary", bin.path, "dir", dir, "port", p.TCP)
	return start(ctx, dir, bin, p)
}

// reuse reports whether the server described by st is usable, waiting for
// it if it is ours but still starting (its starter may have died while
// waiting). A server of ours that never answers is stopped.
func reuse(ctx context.Context, dir string, st state, log *slog.Logger) (*Instance, bool) {
	if !alive(st.PID) || !isOurServer(st.PID, configPath(dir)) {
		return nil, false
	}
	inst := &Instance{Dir: dir, TCPPort: st.TCPPort, HTTPPort: st.HTTPPort, PID: st.PID, Binary: st.Binary}
	defer reportCrashes(dir, st, log)
	if ping(ctx, st.TCPPort) == nil {
		log.Debug("reusing local ClickHouse server", "dir", dir, "port", st.TCPPort, "pid", st.PID)
		return inst, true
	}
	if err := waitReady(ctx, st.PID, st.TCPPort, nil); err == nil {
		log.Debug("reusing local ClickHouse server after it became ready", "dir", dir, "port", st.TCPPort, "pid", st.PID)
		return inst, true
	}
	log.Warn("local ClickHouse server does not answer; stopping it", "dir", dir, "pid", st.PID)
	terminate(st.PID)
	return nil, false
}

// reportCrashes warns about the engine deaths (and restarts) that no
// earlier Ensure reported, and records that they have been.
func reportCrashes(dir string, st state, log *slog.Logger) {
	crashes, err := Crashes(dir, time.Time{})
	if err != nil || len(crashes) <= st.CrashesReported {
		return
	}
	for _, c := range crashes[st.CrashesReported:] {
		log.Warn(c.String(), "log", filepath.Join(dir, "log"))
	}
	st.CrashesReported = len(crashes)
	_ = writeState(dir, st)
}

// start launches a new server, records it in the state file and waits until
// it answers. On failure the process is killed and the state removed.
func start(ctx context.Context, dir string, bin serverBinary, p ports) (*Instance, error) {
	pid, exited, err := launch(dir, bin, p)
	if err != nil {
		return nil, err
	}
	tcpPort, httpPort := p.TCP, p.HTTP
	st := state{Binary: bin.path, PID: pid, TCPPort: tcpPort, HTTPPort: httpPort}
	if old, err := Crashes(dir, time.Time{}); err == nil {
		st.CrashesReported = len(old) // an earlier server's, reported then
	}
	if err := writeState(dir, st); err != nil {
		terminate(pid)
		return nil, err
	}
	if err := waitReady(ctx, pid, tcpPort, exited); err != nil {
		terminate(pid)
		_ = os.Remove(statePath(dir))
		return nil, fmt.Errorf("localch: ClickHouse server (%s, dir %s, port %d) did not start: %w%s",
			bin.path, dir, tcpPort, err, logTails(dir))
	}
	return &Instance{Dir: dir, TCPPort: tcpPort, HTTPPort: httpPort, PID: pid, Binary: bin.path}, nil
}

// Stop stops the server of dir if it runs (SIGTERM, wait up to 10 s, then
// SIGKILL) and removes its state file. It is not an error if no server runs.
func Stop(dir string) error {
	return withExistingDir(dir, stopLocked)
}

// withExistingDir runs stop on dir (made absolute) holding its lock; a
// directory that does not exist has nothing to stop.
func withExistingDir(dir string, stop func(dir string) error) error {
	dir, err := filepath.Abs(dir)
	if err != nil {
		return fmt.Errorf("localch: %w", err)
	}
	if _, err := os.Stat(dir); errors.Is(err, os.ErrNotExist) {
		return nil
	}
	unlock, err := lockDir(context.Background(), dir, lockTimeout)
	if err != nil {
		return err
	}
	defer unlock()
	return stop(dir)
}

func stopLocked(dir string) error {
	st, err := readState(dir)
	if err == nil && alive(st.PID) && isOurServer(st.PID, configPath(dir)) {
		if !terminate(st.PID) {
			return fmt.Errorf("localch: ClickHouse server pid %d did not exit", st.PID)
		}
	}
	if err := os.Remove(statePath(dir)); err != nil && !errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("localch: %w", err)
	}
	return nil
}
