package cli

import (
	"context"
	"encoding/json"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"contribtrack/internal/localch"
)

// syncBuffer is a log destination two goroutines may use.
type syncBuffer struct {
	mu sync.Mutex
	b  strings.Builder
}

func (l *syncBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *syncBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// serve logs a death of the embedded engine recorded while it runs, once,
// and not one recorded before it started.
func TestServeLogsEngineDeaths(t *testing.T) {
	dir := t.TempDir()
	record := func(c localch.Crash) {
		line, _ := json.Marshal(c)
		f, err := os.OpenFile(filepath.Join(dir, "crashes.jsonl"), os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		if _, err := f.Write(append(line, '\n')); err != nil {
			t.Fatal(err)
		}
	}
	since := time.Now()
	record(localch.Crash{Time: since.Add(-time.Hour), PID: 11, Status: "signal: aborted", Reason: "an old one"})
	var logged syncBuffer
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		watchLocalCrashes(ctx, dir, since, 5*time.Millisecond, slog.New(slog.NewTextHandler(&logged, nil)))
		close(done)
	}()
	record(localch.Crash{Time: time.Now(), PID: 42, Status: "signal: aborted", Reason: "Code: 81. DB::Exception: Database x does not exist."})
	waitLogged := func(what string) {
		t.Helper()
		deadline := time.Now().Add(time.Minute)
		for !strings.Contains(logged.String(), what) {
			if time.Now().After(deadline) {
				t.Fatalf("serve did not log %q: %q", what, logged.String())
			}
			time.Sleep(5 * time.Millisecond)
		}
	}
	waitLogged("pid 42")
	// Another death: once it is logged, the watcher has looked again
	// since it logged the first, which it must not log twice.
	record(localch.Crash{Time: time.Now(), PID: 43, Status: "signal: killed"})
	waitLogged("pid 43")
	cancel()
	<-done
	out := logged.String()
	if strings.Count(out, "pid 42") != 1 || !strings.Contains(out, "restarts it") || strings.Contains(out, "an old one") {
		t.Errorf("log %q: want the new death once, saying it was restarted, and not the old one", out)
	}
}
