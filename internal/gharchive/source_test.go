package gharchive

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"contribtrack/internal/contrib"
)

// syncLog is a contrib.SyncStore that records what a source does, in
// order, and can refuse an insert.
type syncLog struct {
	mu     sync.Mutex
	cps    map[contrib.CheckpointKey]contrib.Checkpoint
	steps  []string // "insert N", "checkpoint CURSOR"
	rows   int
	refuse func(n int) error // the nth insert's error (from 1), may be nil
}

func (s *syncLog) Insert(_ context.Context, cs []contrib.Contribution) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.steps = append(s.steps, "insert")
	if s.refuse != nil {
		if err := s.refuse(len(s.steps)); err != nil {
			return err
		}
	}
	s.rows += len(cs)
	return nil
}

func (s *syncLog) Checkpoints(context.Context) (map[contrib.CheckpointKey]contrib.Checkpoint, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := map[contrib.CheckpointKey]contrib.Checkpoint{}
	for k, v := range s.cps {
		out[k] = v
	}
	return out, nil
}

func (s *syncLog) SaveCheckpoints(_ context.Context, cps []contrib.Checkpoint) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.cps == nil {
		s.cps = map[contrib.CheckpointKey]contrib.Checkpoint{}
	}
	for _, cp := range cps {
		s.cps[cp.Key()] = cp
		s.steps = append(s.steps, "checkpoint "+cp.Cursor)
	}
	return nil
}

// hourServer serves one small synthetic hour file for each hour asked,
// and counts the requests per file.
func hourServer(t *testing.T) (*httptest.Server, func(string) int) {
	var mu sync.Mutex
	served := map[string]int{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		name := strings.TrimPrefix(r.URL.Path, "/")
		mu.Lock()
		served[name]++
		mu.Unlock()
		_, _ = w.Write([]byte(createLine(1, "main") + "\n" + pushLine(2, "main", "c1", "c2") + "\n"))
	}))
	t.Cleanup(srv.Close)
	return srv, func(name string) int { mu.Lock(); defer mu.Unlock(); return served[name] }
}

// Hours resumes at its checkpoint, stores each hour before the
// checkpoint that moves past it, and starts at From only without one.
func TestHoursResumeAtTheirCheckpoint(t *testing.T) {
	srv, served := hourServer(t)
	st := &syncLog{}
	from := time.Date(2015, 1, 1, 12, 0, 0, 0, time.UTC)
	h := Hours{From: from, Follow: Follow{Resolver: Resolver{BaseURL: srv.URL + "/"},
		Options: Options{Selector: NewSelector(true, nil, nil), BatchSize: 1},
		Now:     func() time.Time { return from.Add(5 * time.Hour) }, MaxHours: 2}}
	syn, err := h.Sync(context.Background(), st)
	if err != nil {
		t.Fatal(err)
	}
	if !syn.Started || syn.Units != 2 || syn.Total() != st.rows || st.rows == 0 {
		t.Fatalf("first sync: %+v, %d rows stored", syn, st.rows)
	}
	// Every hour's rows come before the checkpoint past it.
	if got := strings.Join(st.steps, ", "); got != "insert, checkpoint 2015-01-01-13, insert, checkpoint 2015-01-01-14" {
		t.Errorf("steps: %s", got)
	}
	if cp := st.cps[HoursCheckpoint]; cp.Cursor != "2015-01-01-14" || contrib.OfRepository(cp.Resource) {
		t.Errorf("checkpoint %+v", cp)
	}
	// The next sync starts at the checkpoint, not at From: hour 12 is not
	// fetched again.
	h.Follow.MaxHours = 1
	if _, err := h.Sync(context.Background(), st); err != nil {
		t.Fatal(err)
	}
	if served("2015-01-01-12.json.gz") != 1 || served("2015-01-01-14.json.gz") != 1 || st.cps[HoursCheckpoint].Cursor != "2015-01-01-15" {
		t.Errorf("second sync: hour 12 fetched %d times, 14 %d times; checkpoint %q", served("2015-01-01-12.json.gz"),
			served("2015-01-01-14.json.gz"), st.cps[HoursCheckpoint].Cursor)
	}
}

// A refused insert stops the hours before their checkpoint moves, and
// what Files reports stored is only what the store accepted.
func TestSourcesCountOnlyWhatWasStored(t *testing.T) {
	srv, _ := hourServer(t)
	refused := errors.New("ClickHouse went away")
	st := &syncLog{refuse: func(n int) error {
		if n >= 2 {
			return refused
		}
		return nil
	}}
	from := time.Date(2015, 1, 1, 12, 0, 0, 0, time.UTC)
	h := Hours{From: from, Follow: Follow{Resolver: Resolver{BaseURL: srv.URL + "/"},
		Options: Options{Selector: NewSelector(true, nil, nil), BatchSize: 1},
		Now:     func() time.Time { return from.Add(5 * time.Hour) }, MaxHours: 3}}
	syn, err := h.Sync(context.Background(), st)
	if !errors.Is(err, refused) {
		t.Fatalf("err %v, want the store's", err)
	}
	if syn.Total() != st.rows || st.cps[HoursCheckpoint].Cursor != "2015-01-01-13" {
		t.Errorf("stored %d of %d rows, checkpoint %q: want the first hour only", syn.Total(), st.rows, st.cps[HoursCheckpoint].Cursor)
	}

	st = &syncLog{refuse: func(n int) error {
		if n == 1 {
			return refused
		}
		return nil
	}}
	res := Resolver{BaseURL: srv.URL + "/"}
	inputs, err := res.Resolve([]string{"2015-01-01-12", "2015-01-01-13"})
	if err != nil {
		t.Fatal(err)
	}
	files := Files{Inputs: inputs, Options: Options{Selector: NewSelector(true, nil, nil), BatchSize: 1000}}
	syn, err = files.Sync(context.Background(), st)
	if !errors.Is(err, refused) || syn.Total() != 0 || len(st.cps) != 0 {
		t.Errorf("files: %+v, err %v, checkpoints %v: want nothing counted as stored, and no checkpoint", syn, err, st.cps)
	}
}
