package githubtest

import (
	"bufio"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"os"
	"regexp"
	"strings"
	"testing"

	"contribtrack/internal/testing/fixtures"
)

// Readers of the real GitHub recordings in ../shared/fixtures: nock
// recordings (octokit/fixtures), VCR cassettes (octokit.rb) and webhook
// payloads (octokit/webhooks), whose inner objects have the REST shapes.

// recording is one recorded response: its body and headers.
type recording struct {
	body   []byte
	header http.Header
}

type nockRecord struct {
	Method     string          `json:"method"`
	Path       string          `json:"path"`
	Status     int             `json:"status"`
	Response   json.RawMessage `json:"response"`
	RawHeaders []string        `json:"rawHeaders"`
	Headers    map[string]any  `json:"headers"`
}

// nock returns the successful GETs of an octokit/fixtures scenario whose
// path contains part, in recorded order.
func nock(t *testing.T, scenario, part string) []recording {
	t.Helper()
	p := fixtures.Path(t, "github-rest/octokit-fixtures/"+scenario+"/raw-fixture.json")
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	var recs []nockRecord
	if err := json.Unmarshal(b, &recs); err != nil {
		t.Fatalf("%s: %v", p, err)
	}
	var out []recording
	for _, r := range recs {
		if !strings.EqualFold(r.Method, "get") || r.Status != http.StatusOK || !strings.Contains(r.Path, part) {
			continue
		}
		h := http.Header{}
		for i := 0; i+1 < len(r.RawHeaders); i += 2 {
			h.Add(r.RawHeaders[i], r.RawHeaders[i+1])
		}
		for k, v := range r.Headers {
			if s, ok := v.(string); ok {
				h.Add(k, s)
			}
		}
		out = append(out, recording{body: r.Response, header: h})
	}
	if len(out) == 0 {
		t.Fatalf("%s: no GET of %q", p, part)
	}
	return out
}

// nockStatus returns the body of the first record of a scenario with the
// given status.
func nockStatus(t *testing.T, scenario string, status int) []byte {
	t.Helper()
	b, err := os.ReadFile(fixtures.Path(t, "github-rest/octokit-fixtures/"+scenario+"/raw-fixture.json"))
	if err != nil {
		t.Fatal(err)
	}
	var recs []nockRecord
	if err := json.Unmarshal(b, &recs); err != nil {
		t.Fatal(err)
	}
	for _, r := range recs {
		if r.Status == status {
			return r.Response
		}
	}
	t.Fatalf("%s: no %d response", scenario, status)
	return nil
}

// vcrPlaceholder is what octokit.rb's cassette filter left in place of
// secrets, sometimes in the middle of timestamps.
var vcrPlaceholder = regexp.MustCompile(`<GITHUB_[A-Z_]+>`)

// cassette returns interaction i of an octokit.rb VCR cassette. Filter
// placeholders are replaced by "00" so that the scrubbed timestamps parse
// again; the test logs when that happened.
func cassette(t *testing.T, rel string, i int) recording {
	t.Helper()
	b, err := os.ReadFile(fixtures.Path(t, "github-rest/octokit-rb-cassettes/"+rel))
	if err != nil {
		t.Fatal(err)
	}
	var c struct {
		Interactions []struct {
			Response struct {
				Headers map[string][]string `json:"headers"`
				Body    struct {
					String string `json:"string"`
					Base64 string `json:"base64_string"`
				} `json:"body"`
			} `json:"response"`
		} `json:"http_interactions"`
	}
	if err := json.Unmarshal(b, &c); err != nil || i >= len(c.Interactions) {
		t.Fatalf("%s: %v (%d interactions)", rel, err, len(c.Interactions))
	}
	resp := c.Interactions[i].Response
	body := []byte(resp.Body.String)
	if resp.Body.Base64 != "" {
		if body, err = base64.StdEncoding.DecodeString(strings.ReplaceAll(resp.Body.Base64, "\n", "")); err != nil {
			t.Fatalf("%s: %v", rel, err)
		}
	}
	if vcrPlaceholder.Match(body) {
		t.Logf("%s: VCR filter placeholders (%s) replaced by 00", rel, strings.Join(unique(vcrPlaceholder.FindAllString(string(body), -1)), ", "))
		body = vcrPlaceholder.ReplaceAll(body, []byte("00"))
	}
	h := http.Header{}
	for k, vs := range resp.Headers {
		for _, v := range vs {
			h.Add(k, v)
		}
	}
	return recording{body: body, header: h}
}

func unique(xs []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, x := range xs {
		if !seen[x] {
			seen[x] = true
			out = append(out, x)
		}
	}
	return out
}

// eventPayloads collects payload.<field> of the events of type typ in an
// events cassette, as a JSON array.
func eventPayloads(t *testing.T, rel, typ, field string) []byte {
	t.Helper()
	var events []map[string]any
	if err := json.Unmarshal(cassette(t, rel, 0).body, &events); err != nil {
		t.Fatal(err)
	}
	var out []any
	for _, e := range events {
		if e["type"] == typ {
			out = append(out, e["payload"].(map[string]any)[field])
		}
	}
	if len(out) == 0 {
		t.Fatalf("%s: no %s", rel, typ)
	}
	b, _ := json.Marshal(out)
	return b
}

// archivePayloads collects payload.<field> of the events of type typ in a
// GH Archive hour (Events API format), as a JSON array.
func archivePayloads(t *testing.T, rel, typ, field string) []byte {
	t.Helper()
	sc := bufio.NewScanner(fixtures.Open(t, fixtures.Path(t, rel)))
	sc.Buffer(make([]byte, 0, 1<<20), 64<<20)
	var out []json.RawMessage
	for sc.Scan() {
		var e struct {
			Type    string                     `json:"type"`
			Payload map[string]json.RawMessage `json:"payload"`
		}
		if err := json.Unmarshal(sc.Bytes(), &e); err != nil {
			t.Fatalf("%s: %v", rel, err)
		}
		if e.Type == typ && e.Payload[field] != nil {
			out = append(out, e.Payload[field])
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatalf("%s: %v", rel, err)
	}
	if len(out) == 0 {
		t.Fatalf("%s: no %s", rel, typ)
	}
	b, _ := json.Marshal(out)
	return b
}

// webhook returns payload.<field> of an octokit/webhooks example as a
// one-element JSON array.
func webhook(t *testing.T, rel, field string) []byte {
	t.Helper()
	b, err := os.ReadFile(fixtures.Path(t, "webhooks/octokit-webhooks/"+rel))
	if err != nil {
		t.Fatal(err)
	}
	var p map[string]json.RawMessage
	if err := json.Unmarshal(b, &p); err != nil {
		t.Fatal(err)
	}
	if p[field] == nil {
		t.Fatalf("%s has no %s", rel, field)
	}
	return append(append([]byte("["), p[field]...), ']')
}
