package sample

import (
	"bufio"
	"bytes"
	"encoding/json"
	"io"
	"slices"
	"strings"
	"testing"
	"time"

	"contribtrack/internal/testing/fixtures"
)

// The generated events must not invent fields: every key they use must exist,
// with the same JSON type, in real GH Archive events of the same type.

// fixture returns the path of a real GH Archive file in ../shared/fixtures
// (skipping the test when it is absent, except under CI=true).
func fixture(t *testing.T, name string) string {
	t.Helper()
	return fixtures.Path(t, "gharchive/"+name)
}

// shapes maps event type -> key path -> JSON types seen there.
type shapes map[string]map[string]map[string]bool

func jsonType(v any) string {
	switch v.(type) {
	case nil:
		return "null"
	case string:
		return "string"
	case float64:
		return "number"
	case bool:
		return "bool"
	case []any:
		return "array"
	default:
		return "object"
	}
}

// reliedOn are the nested keys contribtrack reads.
var (
	reliedObjects = []string{"pull_request", "issue", "comment", "review", "release"}
	reliedKeys    = []string{"id", "number", "user", "merged", "merged_at", "state", "created_at", "closed_at"}
)

// shallowPaths returns top-level keys, payload keys and the relied-on keys of
// the nested payload objects.
func shallowPaths(ev map[string]any, add func(path string, v any)) {
	for k, v := range ev {
		add(k, v)
	}
	payload, _ := ev["payload"].(map[string]any)
	for k, v := range payload {
		add("payload."+k, v)
	}
	for _, obj := range reliedObjects {
		m, _ := payload[obj].(map[string]any)
		for _, k := range reliedKeys {
			if v, ok := m[k]; ok {
				add("payload."+obj+"."+k, v)
			}
		}
	}
}

// deepPaths returns every key path; array elements are written as "[]".
func deepPaths(prefix string, v any, add func(path string, v any)) {
	switch v := v.(type) {
	case map[string]any:
		for k, x := range v {
			add(prefix+k, x)
			deepPaths(prefix+k+".", x, add)
		}
	case []any:
		for _, x := range v {
			deepPaths(strings.TrimSuffix(prefix, ".")+"[].", x, add)
		}
	}
}

func (s shapes) collect(ev map[string]any, deep bool) {
	typ, _ := ev["type"].(string)
	if s[typ] == nil {
		s[typ] = map[string]map[string]bool{}
	}
	add := func(path string, v any) {
		if s[typ][path] == nil {
			s[typ][path] = map[string]bool{}
		}
		s[typ][path][jsonType(v)] = true
	}
	if deep {
		deepPaths("", ev, add)
	} else {
		shallowPaths(ev, add)
	}
}

// readShapes reads newline-delimited events (gzip-compressed when the name
// ends in .gz), keeping only the Events API format (2015 onwards).
func readShapes(t *testing.T, s shapes, path string, deep bool) {
	t.Helper()
	dec := json.NewDecoder(bufio.NewReaderSize(fixtures.Open(t, path), 1<<20))
	for {
		var ev map[string]any
		if err := dec.Decode(&ev); err == io.EOF {
			break
		} else if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		if _, modern := ev["actor"].(map[string]any); modern && ev["id"] != nil {
			s.collect(ev, deep)
		}
	}
}

// generatedShapes collects the shapes of a day of generated events.
func generatedShapes(t *testing.T, deep bool) shapes {
	s := shapes{}
	for h := range 24 {
		dec := json.NewDecoder(bytes.NewReader(hourBytes(t, day.AddDate(0, 0, 1).Add(time.Duration(h)*time.Hour), Options{Seed: 5})))
		for dec.More() {
			var ev map[string]any
			if err := dec.Decode(&ev); err != nil {
				t.Fatal(err)
			}
			s.collect(ev, deep)
		}
	}
	return s
}

// compare reports generated key paths or JSON types never seen in real events
// of the same type. It returns the number of event types compared.
func compare(t *testing.T, gen, real shapes, requireType bool) int {
	t.Helper()
	compared := 0
	for _, typ := range sortedKeys(gen) {
		realPaths, ok := real[typ]
		if !ok {
			if requireType {
				t.Errorf("%s: no real events of this type to compare with", typ)
			}
			continue
		}
		compared++
		for _, path := range sortedKeys(gen[typ]) {
			for _, jt := range sortedKeys(gen[typ][path]) {
				if !realPaths[path][jt] {
					t.Errorf("%s: %s is %s, real events have %v", typ, path, jt, sortedKeys(realPaths[path]))
				}
			}
		}
	}
	return compared
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// TestShapesMatchRealHour compares top-level keys, payload keys and the nested
// keys contribtrack relies on with one real hour (2015-01-01-12).
func TestShapesMatchRealHour(t *testing.T) {
	real := shapes{}
	readShapes(t, real, fixture(t, "2015-01-01-12.json.gz"), false)
	if n := compare(t, generatedShapes(t, false), real, false); n < 13 {
		t.Errorf("compared %d event types with the real hour, want at least 13", n)
	}
}

// TestShapesMatchRealEventsDeep compares every generated key path, at any depth,
// with all real modern events of the fixtures (2015 hour plus the 2015-2021
// sample, which has PullRequestReviewEvent).
func TestShapesMatchRealEventsDeep(t *testing.T) {
	real := shapes{}
	readShapes(t, real, fixture(t, "2015-01-01-12.json.gz"), true)
	readShapes(t, real, fixture(t, "gofaster-sample.small.2014-2021.jsonl"), true)
	compare(t, generatedShapes(t, true), real, true)
}
