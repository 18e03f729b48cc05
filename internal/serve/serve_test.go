package serve_test

import (
	"context"
	"errors"
	"net"
	"net/http"
	"sync"
	"testing"
	"time"

	"contribtrack/internal/serve"
)

// Jobs run in order, round after round; a stop cancels the running job
// and waits for it to finish storing; a request in flight is answered.
func TestRoundsAndGracefulStop(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var (
		mu      sync.Mutex
		order   []string
		rounds  []serve.Round
		stored  bool
		started = make(chan struct{})
	)
	record := func(name string) { mu.Lock(); order = append(order, name); mu.Unlock() }
	slowRequest := make(chan struct{})
	handler := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/slow" {
			close(slowRequest)
			time.Sleep(200 * time.Millisecond)
		}
		_, _ = w.Write([]byte("ok"))
	})
	jobs := []serve.Job{
		{Name: "first", Run: func(ctx context.Context) error { record("first"); return nil }},
		{Name: "failing", Run: func(ctx context.Context) error { record("failing"); return errors.New("boom") }},
		{Name: "long", Run: func(ctx context.Context) error {
			record("long")
			mu.Lock()
			n := len(rounds)
			mu.Unlock()
			if n < 2 {
				return nil
			}
			// The third round blocks until the stop, then stores.
			close(started)
			<-ctx.Done()
			time.Sleep(50 * time.Millisecond)
			mu.Lock()
			stored = true
			mu.Unlock()
			return ctx.Err()
		}},
	}
	ctx, stop := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		done <- serve.Run(ctx, serve.Options{Listener: ln, Handler: handler, Jobs: jobs, Interval: 10 * time.Millisecond,
			OnRound: func(r serve.Round) { mu.Lock(); rounds = append(rounds, r); mu.Unlock() }})
	}()
	select {
	case <-started:
	case <-time.After(30 * time.Second):
		t.Fatal("the third round never started")
	}
	answered := make(chan int, 1)
	go func() {
		resp, err := http.Get("http://" + ln.Addr().String() + "/slow")
		if err != nil {
			answered <- 0
			return
		}
		resp.Body.Close()
		answered <- resp.StatusCode
	}()
	<-slowRequest
	stop()
	if err := <-done; err != nil {
		t.Fatalf("Run: %v", err)
	}
	if code := <-answered; code != http.StatusOK {
		t.Errorf("the request in flight got %d, want 200", code)
	}
	mu.Lock()
	defer mu.Unlock()
	if !stored {
		t.Error("Run returned before the running job finished storing")
	}
	want := []string{"first", "failing", "long", "first", "failing", "long", "first", "failing", "long"}
	if len(order) != len(want) {
		t.Fatalf("jobs ran %v, want %v", order, want)
	}
	for i := range want {
		if order[i] != want[i] {
			t.Fatalf("jobs ran %v, want %v", order, want)
		}
	}
	if len(rounds) < 2 || rounds[0].Errors["failing"] == nil || rounds[0].Errors["first"] != nil {
		t.Errorf("rounds: %+v", rounds)
	}
}
