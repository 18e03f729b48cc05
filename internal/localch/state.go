package localch

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"syscall"
	"time"
)

// state is the content of dir/instance.json.
type state struct {
	Binary   string `json:"binary"`
	PID      int    `json:"pid"`
	TCPPort  int    `json:"tcp_port"`
	HTTPPort int    `json:"http_port"`
	// CrashesReported is how many of crashes.jsonl's engine deaths
	// Ensure has already told a user about.
	CrashesReported int `json:"crashes_reported,omitempty"`
}

func statePath(dir string) string { return filepath.Join(dir, stateFileName) }

// readState reads dir/instance.json; an absent file gives an error
// matching os.ErrNotExist.
func readState(dir string) (state, error) {
	var st state
	data, err := os.ReadFile(statePath(dir))
	if err != nil {
		return st, err
	}
	if err := json.Unmarshal(data, &st); err != nil {
		return st, fmt.Errorf("localch: parsing %s: %w", statePath(dir), err)
	}
	if st.PID <= 0 || st.TCPPort <= 0 {
		return st, fmt.Errorf("localch: %s lacks pid or tcp_port", statePath(dir))
	}
	return st, nil
}

func writeState(dir string, st state) error {
	data, err := json.MarshalIndent(st, "", "  ")
	if err != nil {
		return fmt.Errorf("localch: %w", err)
	}
	return writeFileAtomic(statePath(dir), append(data, '\n'))
}

// writeFileAtomic writes data to a temporary file next to path and renames
// it into place, so readers never see a half-written file.
func writeFileAtomic(path string, data []byte) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*.tmp")
	if err != nil {
		return fmt.Errorf("localch: %w", err)
	}
	defer os.Remove(tmp.Name()) // no-op after a successful rename
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return fmt.Errorf("localch: writing %s: %w", path, err)
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return fmt.Errorf("localch: writing %s: %w", path, err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("localch: writing %s: %w", path, err)
	}
	if err := os.Chmod(tmp.Name(), 0o644); err != nil {
		return fmt.Errorf("localch: %w", err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("localch: %w", err)
	}
	return nil
}

// lockDir takes an exclusive flock on dir/lock. The blocking flock runs in
// a goroutine so that ctx and timeout can abandon the wait; an abandoned
// lock is released as soon as it is granted.
func lockDir(ctx context.Context, dir string, timeout time.Duration) (unlock func(), err error) {
	path := filepath.Join(dir, lockFileName)
	f, err := os.OpenFile(path, os.O_CREATE|os.O_RDWR, 0o644)
	if err != nil {
		return nil, fmt.Errorf("localch: %w", err)
	}
	fd := int(f.Fd())
	done := make(chan error, 1)
	go func() {
		for {
			err := syscall.Flock(fd, syscall.LOCK_EX)
			if !errors.Is(err, syscall.EINTR) {
				done <- err
				return
			}
		}
	}()
	abandon := func() { go func() { <-done; f.Close() }() }
	timer := time.NewTimer(timeout)
	defer timer.Stop()
	select {
	case err := <-done:
		if err != nil {
			f.Close()
			return nil, fmt.Errorf("localch: locking %s: %w", path, err)
		}
		return func() {
			_ = syscall.Flock(fd, syscall.LOCK_UN)
			f.Close()
		}, nil
	case <-ctx.Done():
		abandon()
		return nil, fmt.Errorf("localch: waiting for lock %s: %w", path, ctx.Err())
	case <-timer.C:
		abandon()
		return nil, fmt.Errorf("localch: lock %s still held by another process after %s", path, timeout)
	}
}

// alive reports whether pid is a running (not zombie) process.
func alive(pid int) bool {
	if pid <= 0 {
		return false
	}
	if err := syscall.Kill(pid, 0); err != nil && !errors.Is(err, syscall.EPERM) {
		return false
	}
	stat, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return true // no procfs: trust kill(0)
	}
	// The state is the field after the parenthesised command name.
	if i := bytes.LastIndexByte(stat, ')'); i >= 0 && i+2 < len(stat) {
		return stat[i+2] != 'Z' && stat[i+2] != 'X'
	}
	return true
}

// isOurServer reports whether pid runs with configPath on its command line,
// guarding against a recycled pid. Without procfs it trusts the pid.
func isOurServer(pid int, configPath string) bool {
	cmdline, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/cmdline")
	if err != nil {
		_, selfErr := os.Stat("/proc/self/cmdline")
		return selfErr != nil
	}
	return bytes.Contains(cmdline, []byte("--config-file="+configPath))
}

// terminate sends SIGTERM, waits up to stopTimeout, then SIGKILL. It
// reports whether the process is gone.
func terminate(pid int) bool {
	if !alive(pid) {
		return true
	}
	_ = syscall.Kill(pid, syscall.SIGTERM)
	// A supervisor gives its engine stopTimeout to stop cleanly, then
	// kills it and logs: it gets that long and some more before it is
	// killed itself (on a busy machine both deadlines came together).
	if waitGone(pid, stopTimeout+10*time.Second) {
		return true
	}
	_ = syscall.Kill(pid, syscall.SIGKILL)
	return waitGone(pid, 5*time.Second)
}

func waitGone(pid int, d time.Duration) bool {
	deadline := time.Now().Add(d)
	for time.Now().Before(deadline) {
		if !alive(pid) {
			return true
		}
		time.Sleep(50 * time.Millisecond)
	}
	return !alive(pid)
}

// pickPorts returns the old client ports when both are set and free, else
// two new free loopback ports; the engine port (used only by a library
// server) is always new. Ports are kept open together so they differ.
func pickPorts(oldTCP, oldHTTP int) (ports, error) {
	fresh, err := freePorts(3)
	if err != nil {
		return ports{}, err
	}
	p := ports{TCP: fresh[0], HTTP: fresh[1], EngineTCP: fresh[2]}
	if oldTCP > 0 && oldHTTP > 0 && oldTCP != oldHTTP && oldTCP != p.EngineTCP && oldHTTP != p.EngineTCP &&
		portFree(oldTCP) && portFree(oldHTTP) {
		p.TCP, p.HTTP = oldTCP, oldHTTP
	}
	return p, nil
}

func portFree(port int) bool {
	l, err := net.Listen("tcp", "127.0.0.1:"+strconv.Itoa(port))
	if err != nil {
		return false
	}
	l.Close()
	return true
}
