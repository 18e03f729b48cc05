package gharchive

import (
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"contribtrack/internal/contrib"
	"contribtrack/internal/testing/fixtures"
)

func TestFollowImportsPublishedHoursAndResumes(t *testing.T) {
	body, err := os.ReadFile(fixtures.Path(t, "gharchive/2015-01-01-12.json.gz"))
	if err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	served := map[string]int{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		name := strings.TrimPrefix(r.URL.Path, "/")
		mu.Lock()
		served[name]++
		mu.Unlock()
		switch name {
		case "2015-01-01-14.json.gz": // a gap in the archive
			http.NotFound(w, r)
			return
		case "2015-01-01-16.json.gz": // a file cut short
			_, _ = w.Write(body[:len(body)/2])
			return
		}
		_, _ = w.Write(body)
	}))
	defer srv.Close()

	var stored int
	sink := func(_ context.Context, batch []contrib.Contribution) error {
		stored += len(batch)
		return nil
	}
	start := time.Date(2015, 1, 1, 12, 0, 0, 0, time.UTC)
	var saved []time.Time
	save := func(next time.Time) error { saved = append(saved, next); return nil }
	f := Follow{Resolver: Resolver{BaseURL: srv.URL + "/"}, Options: Options{Selector: NewSelector(true, nil, nil)}, Sink: sink,
		Now: func() time.Time { return time.Date(2015, 1, 1, 17, 30, 0, 0, time.UTC) }}

	// At 17:30 hours up to 14 are due (an hour ends, then two hours pass):
	// 12 and 13 are imported, 14 is missing but recent, so it is tried
	// again next time.
	res, err := f.Run(context.Background(), start, save)
	if err == nil || !strings.Contains(err.Error(), "2015-01-01-14") {
		t.Fatalf("missing recent hour: err %v, want one naming 2015-01-01-14", err)
	}
	if res.Imported != 2 || !res.Next.Equal(start.Add(2*time.Hour)) || len(saved) != 2 || stored == 0 {
		t.Fatalf("first run: %+v, saved %v, stored %d", res, saved, stored)
	}

	// A day later 14 is given up on at once (missing); 16, cut short, only
	// after failing three times (it could have been the network).
	f.Now = func() time.Time { return time.Date(2015, 1, 2, 18, 0, 0, 0, time.UTC) }
	f.MaxHours = 4
	f.Failures = map[time.Time]int{}
	for attempt := 1; attempt <= 2; attempt++ {
		res, err = f.Run(context.Background(), res.Next, save)
		if err == nil || !strings.Contains(err.Error(), "2015-01-01-16") {
			t.Fatalf("attempt %d at the cut hour: %+v, err %v", attempt, res, err)
		}
	}
	res, err = f.Run(context.Background(), res.Next, save)
	if err != nil {
		t.Fatal(err)
	}
	if res.Imported != 3 || len(res.Skipped) != 1 || res.Skipped[0] != "2015-01-01-16.json.gz" || !res.Next.Equal(start.Add(8*time.Hour)) {
		t.Fatalf("third attempt: %+v", res)
	}
	// Nothing is due: nothing is fetched.
	f.Now = func() time.Time { return start.Add(10 * time.Hour) }
	before := len(served)
	if res, err = f.Run(context.Background(), res.Next, save); err != nil || res.Imported != 0 || len(served) != before {
		t.Errorf("nothing due: %+v %v, %d files asked for", res, err, len(served)-before)
	}
}
