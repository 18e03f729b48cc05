package gharchive

import (
	"context"
	"errors"
	"io"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"contribtrack/internal/contrib"
)

// recordingObserver keeps every call it is told about.
type recordingObserver struct {
	mu                sync.Mutex
	events, malformed int64
	stored            map[contrib.Kind]int
	hours             []time.Time
}

func (o *recordingObserver) Decoded(events, malformed int64) {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.events += events
	o.malformed += malformed
}

func (o *recordingObserver) Stored(kinds map[contrib.Kind]int) {
	o.mu.Lock()
	defer o.mu.Unlock()
	for k, n := range kinds {
		o.stored[k] += n
	}
}

func (o *recordingObserver) HourImported(hour time.Time) {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.hours = append(o.hours, hour)
}

func TestObserverSeesEventsBatchesAndHours(t *testing.T) {
	watch := func(id int) string {
		return `{"id":"` + strings.Repeat("1", id) + `","type":"WatchEvent","actor":{"id":` + strings.Repeat("7", id) +
			`,"login":"a"},"repo":{"id":2,"name":"o/r"},"payload":{"action":"started"},"created_at":"2020-01-01T05:00:00Z"}`
	}
	hour := strings.Join([]string{watch(1), watch(2), "not json", watch(3)}, "\n")
	other := strings.Join([]string{watch(4), `{"id":`}, "\n")
	missing := Input{Name: "https://data.gharchive.org/2020-01-01-6.json.gz", Open: func(context.Context) (io.ReadCloser, int64, error) {
		return nil, 0, errors.New("not found (HTTP 404)")
	}}
	inputs := []Input{
		bytesInput("hours/2020-01-01-5.json", []byte(hour)),
		bytesInput("sample.json", []byte(other)), // not named for an hour
		missing,                                  // named for an hour, never read
	}
	obs := &recordingObserver{stored: map[contrib.Kind]int{}}
	st, got := collect(t, inputs, Options{Selector: NewSelector(true, nil, nil), BatchSize: 1, BlockSize: 64, Observer: obs})
	if len(st.Broken) != 1 {
		t.Fatalf("broken inputs %v, want the missing hour", st.Broken)
	}
	if obs.events != st.Events || obs.malformed != st.Malformed || st.Events != 4 || st.Malformed != 2 {
		t.Errorf("observer saw %d events and %d malformed lines; Read counted %d and %d (want 4 and 2)", obs.events, obs.malformed, st.Events, st.Malformed)
	}
	if diff := cmp.Diff(map[contrib.Kind]int{contrib.Star: len(got)}, obs.stored); diff != "" || len(got) != 4 {
		t.Errorf("stored by kind (-sink +observer), %d stored:\n%s", len(got), diff)
	}
	want := []time.Time{time.Date(2020, 1, 1, 5, 0, 0, 0, time.UTC)}
	if diff := cmp.Diff(want, obs.hours); diff != "" {
		t.Errorf("hours imported (-want +got):\n%s", diff)
	}
}

func TestFailedImportReportsNoHour(t *testing.T) {
	obs := &recordingObserver{stored: map[contrib.Kind]int{}}
	line := `{"id":"1","type":"WatchEvent","actor":{"id":1,"login":"a"},"repo":{"id":2,"name":"o/r"},"payload":{"action":"started"},"created_at":"2020-01-01T00:00:00Z"}`
	_, err := Read(context.Background(), []Input{bytesInput("2020-01-01-0.json", []byte(line))}, Options{Selector: NewSelector(true, nil, nil), Observer: obs},
		func(context.Context, []contrib.Contribution) error { return os.ErrClosed })
	if err == nil {
		t.Fatal("Read succeeded although the sink failed")
	}
	if len(obs.hours) != 0 || len(obs.stored) != 0 || obs.events != 1 {
		t.Errorf("after a failed store: hours %v, stored %v, events %d; want no hour, nothing stored, 1 event", obs.hours, obs.stored, obs.events)
	}
}

func TestHourOf(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want time.Time
		ok   bool
	}{
		{name: "URL", in: "https://data.gharchive.org/2024-01-01-5.json.gz", want: time.Date(2024, 1, 1, 5, 0, 0, 0, time.UTC), ok: true},
		{name: "path", in: "./hours/2015-01-01-12.json.gz", want: time.Date(2015, 1, 1, 12, 0, 0, 0, time.UTC), ok: true},
		{name: "plain JSON", in: "2015-01-01-23.json", want: time.Date(2015, 1, 1, 23, 0, 0, 0, time.UTC), ok: true},
		{name: "windows path", in: `C:\hours\2015-01-02-0.json.gz`, want: time.Date(2015, 1, 2, 0, 0, 0, 0, time.UTC), ok: true},
		{name: "not an hour", in: "sample.jsonl"},
		{name: "hour 24", in: "2015-01-01-24.json.gz"},
		{name: "prefix", in: "x2015-01-01-1.json.gz"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := hourOf(tt.in)
			if ok != tt.ok || !got.Equal(tt.want) {
				t.Errorf("hourOf(%q) = %v, %v; want %v, %v", tt.in, got, ok, tt.want, tt.ok)
			}
		})
	}
}
