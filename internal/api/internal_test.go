package api

import (
	"errors"
	"net/url"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestAnswerCacheLRU(t *testing.T) {
	c := newAnswerCache(2, 10)
	a := func(s string) answer { return answer{contentType: "text/plain", body: []byte(s)} }
	c.put("a", a("1"))
	c.put("b", a("2"))
	if got, ok := c.get("a"); !ok || string(got.body) != "1" {
		t.Fatalf("a: %q, %v", got.body, ok)
	}
	c.put("c", a("3")) // b is the least recently used
	if _, ok := c.get("b"); ok {
		t.Error("b was kept; want it evicted")
	}
	for k, want := range map[string]string{"a": "1", "c": "3"} {
		if got, ok := c.get(k); !ok || string(got.body) != want {
			t.Errorf("%s: %q, %v; want %q", k, got.body, ok, want)
		}
	}
	// Putting a key again replaces its answer without growing the cache.
	c.put("a", a("1b"))
	if got, _ := c.get("a"); string(got.body) != "1b" {
		t.Errorf("a after a second put: %q", got.body)
	}
	if c.order.Len() != 2 || len(c.byKey) != 2 {
		t.Errorf("%d entries, %d keys; want 2", c.order.Len(), len(c.byKey))
	}
	// Answers larger than the bound are not kept.
	c.put("big", a(strings.Repeat("x", 11)))
	if _, ok := c.get("big"); ok {
		t.Error("an answer over the size bound was kept")
	}
	c.put("edge", a(strings.Repeat("x", 10)))
	if _, ok := c.get("edge"); !ok {
		t.Error("an answer at the size bound was not kept")
	}
}

func TestAnswerCacheOff(t *testing.T) {
	for _, c := range []*answerCache{nil, newAnswerCache(0, 10), newAnswerCache(-1, 10)} {
		c.put("a", answer{body: []byte("x")})
		if _, ok := c.get("a"); ok {
			t.Errorf("cache %+v kept an answer", c)
		}
	}
}

func TestParseQuery(t *testing.T) {
	for _, tc := range []struct {
		raw   string
		want  url.Values
		param string // a refusal naming it
	}{
		{raw: "", want: url.Values{}},
		{raw: "a=1&b=2&a=3", want: url.Values{"a": {"1", "3"}, "b": {"2"}}},
		{raw: "g=AWS+User%20Group", want: url.Values{"g": {"AWS User Group"}}},
		{raw: "flag", want: url.Values{"flag": {""}}},
		{raw: "repo=a/b;DROP", param: "repo"},
		{raw: "a=1&program=x;y&b=2", param: "program"},
		{raw: "org=%zz", param: "org"},
		{raw: "ok=1&pro%67ram=%zz", param: "program"},
		{raw: "a;b=1", param: "a;b"},
		{raw: "%zz=1", param: "%zz"},
	} {
		got, err := parseQuery(tc.raw)
		if tc.param == "" {
			if err != nil {
				t.Errorf("%q: %v", tc.raw, err)
			} else if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("%q (-want +got):\n%s", tc.raw, diff)
			}
			continue
		}
		var bp *badParameter
		if !errors.As(err, &bp) || bp.Parameter != tc.param {
			t.Errorf("%q: %v, want a bad parameter naming %q", tc.raw, err, tc.param)
		}
	}
}
