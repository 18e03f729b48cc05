package localch

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"time"
)

// Crash is one unexpected death of a library server's engine, which its
// supervisor restarted.
type Crash struct {
	Time   time.Time `json:"time"`
	PID    int       `json:"pid"`
	Status string    `json:"status"` // how the process ended: "signal: aborted"
	Reason string    `json:"reason"` // ClickHouse's last fatal message, when it wrote one
}

// String says what happened, in one line.
func (c Crash) String() string {
	s := fmt.Sprintf("the local ClickHouse engine (pid %d) stopped unexpectedly at %s (%s)", c.PID, c.Time.UTC().Format(time.RFC3339), c.Status)
	if c.Reason != "" {
		s += ": " + c.Reason
	}
	return s + "; its supervisor restarts it automatically"
}

const crashesFile = "crashes.jsonl"

// recordCrash notes that the engine ended with status, in dir/crashes.jsonl.
func (s *supervisor) recordCrash(status string) Crash {
	c := Crash{Time: time.Now().UTC(), Status: status}
	s.mu.Lock()
	c.Reason = fatalReason(s.cfg.Dir, s.errLogStart)
	if s.cmd != nil {
		c.PID = s.cmd.Process.Pid
	}
	s.mu.Unlock()
	line, _ := json.Marshal(c)
	f, err := os.OpenFile(filepath.Join(s.cfg.Dir, crashesFile), os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		s.log.Error("recording a crash", "err", err)
		return c
	}
	defer f.Close()
	_, _ = f.Write(append(line, '\n'))
	return c
}

// Crashes returns the engine deaths recorded in dir since a time (all of
// them for the zero time). Servers other than the library's never record
// any.
func Crashes(dir string, since time.Time) ([]Crash, error) {
	f, err := os.Open(filepath.Join(dir, crashesFile))
	if os.IsNotExist(err) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("localch: %w", err)
	}
	defer f.Close()
	var out []Crash
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		var c Crash
		if json.Unmarshal(sc.Bytes(), &c) == nil && !c.Time.Before(since) {
			out = append(out, c)
		}
	}
	return out, sc.Err()
}

// fatalMessage finds ClickHouse's fatal exception message in an error-log
// line: "... <Fatal> ClientBase: Code: 516. DB::Exception: nobody:
// Authentication failed ... (AUTHENTICATION_FAILED), Stack trace ...".
var fatalMessage = regexp.MustCompile(`<Fatal> [^:]*: (Code: \d+\. .*?)(, Stack trace.*)?$`)

// fatalReason returns the last fatal exception message that the engine's
// error log got after offset, or "".
func fatalReason(dir string, offset int64) string {
	f, err := os.Open(errLogPath(dir))
	if err != nil {
		return ""
	}
	defer f.Close()
	if _, err := f.Seek(offset, io.SeekStart); err != nil {
		return ""
	}
	var reason string
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	for sc.Scan() {
		if m := fatalMessage.FindStringSubmatch(sc.Text()); m != nil {
			reason = strings.TrimSpace(m[1])
		}
	}
	return reason
}

// errLogPath is the server's error log (see configXML).
func errLogPath(dir string) string {
	return filepath.Join(dir, "log", "clickhouse-server.err.log")
}

// fileSize is a file's size, 0 when it does not exist.
func fileSize(path string) int64 {
	fi, err := os.Stat(path)
	if err != nil {
		return 0
	}
	return fi.Size()
}
