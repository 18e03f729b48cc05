package api_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"contribtrack/internal/api"
	"contribtrack/internal/contrib"
)

const okPeriod = "from=2024-01-01&to=2024-02-01"

// badRequests are requests whose parameters are refused, with the
// parameter the answer must name. Queries are raw: they go on the wire as
// written.
var badRequests = []struct {
	name, path, query, param string
}{
	{"from missing", "leaderboard", "to=2024-02-01", "from"},
	{"to missing", "leaderboard", "from=2024-01-01", "to"},
	{"both missing", "leaderboard", "", "from"},
	{"from empty", "leaderboard", "from=&to=2024-02-01", "from"},
	{"no such day", "leaderboard", "from=2023-02-30&to=2023-04-01", "from"},
	{"slashes", "leaderboard", "from=2023/01/01&to=2024-01-01", "from"},
	{"a time, not a date", "leaderboard", "from=2023-01-01T00:00:00Z&to=2024-01-01", "from"},
	{"before 1970", "leaderboard", "from=1969-12-31&to=2024-01-01", "from"},
	{"after 2105", "leaderboard", "from=2024-01-01&to=2106-01-01", "to"},
	{"to before from", "leaderboard", "from=2024-02-01&to=2024-01-01", "to"},
	{"to equal to from", "leaderboard", "from=2024-01-01&to=2024-01-01", "to"},
	{"unknown kind", "leaderboard", okPeriod + "&kind=commits", "kind"},
	{"unknown kind in a list", "leaderboard", okPeriod + "&kind=commit,nope", "kind"},
	{"unknown kind repeated", "leaderboard", okPeriod + "&kind=commit&kind=nope", "kind"},
	{"empty kind", "leaderboard", okPeriod + "&kind=", "kind"},
	{"kind given more often than there are kinds", "leaderboard", okPeriod + strings.Repeat("&kind=commit", len(contrib.Kinds)+1), "kind"},
	{"limit 0", "leaderboard", okPeriod + "&limit=0", "limit"},
	{"limit 10001", "leaderboard", okPeriod + "&limit=10001", "limit"},
	{"limit abc", "leaderboard", okPeriod + "&limit=abc", "limit"},
	{"limit negative", "leaderboard", okPeriod + "&limit=-1", "limit"},
	{"limit fractional", "leaderboard", okPeriod + "&limit=1.5", "limit"},
	{"limit huge", "leaderboard", okPeriod + "&limit=99999999999999999999999", "limit"},
	{"misspelt limit", "leaderboard", okPeriod + "&lmit=5", "lmit"},
	{"a CLI flag's spelling", "leaderboard", okPeriod + "&include-bots=true", "include-bots"},
	{"unknown parameter without a value", "leaderboard", okPeriod + "&verbose", "verbose"},
	{"share's by on the leaderboard", "leaderboard", okPeriod + "&by=program", "by"},
	{"limit twice", "leaderboard", okPeriod + "&limit=5&limit=6", "limit"},
	{"org twice", "leaderboard", okPeriod + "&org=aws&org=aws", "org"},
	{"from twice", "leaderboard", okPeriod + "&from=2024-01-01", "from"},
	{"format", "leaderboard", okPeriod + "&format=xml", "format"},
	{"format table (CLI only)", "leaderboard", okPeriod + "&format=table", "format"},
	{"include_bots", "leaderboard", okPeriod + "&include_bots=yes", "include_bots"},
	{"affiliation", "leaderboard", okPeriod + "&affiliation=staff", "affiliation"},
	{"org with a quote", "leaderboard", okPeriod + "&org=aws'%20OR%201=1", "org"},
	{"org with a slash", "leaderboard", okPeriod + "&org=aws/aws-cdk", "org"},
	{"org with a space", "leaderboard", okPeriod + "&org=aws%20labs", "org"},
	{"repo without owner", "leaderboard", okPeriod + "&repo=aws-cdk", "repo"},
	{"repo with an escaped semicolon", "leaderboard", okPeriod + "&repo=a/b%3BDROP%20TABLE%20contributions", "repo"},
	// A raw ';' was a separator once; Go's query parser drops such a pair,
	// which must not silently drop the filter.
	{"repo with a raw semicolon", "leaderboard", okPeriod + "&repo=a/b;DROP%20TABLE%20contributions", "repo"},
	{"program with a raw semicolon", "leaderboard", okPeriod + "&program=aws;heroes", "program"},
	{"a bad escape", "leaderboard", okPeriod + "&org=%zz", "org"},
	{"an over-long org", "leaderboard", okPeriod + "&org=" + strings.Repeat("a", 201), "org"},
	{"an over-long program", "leaderboard", okPeriod + "&program=" + strings.Repeat("p", 201), "program"},
	{"an over-long country", "leaderboard", okPeriod + "&country=" + strings.Repeat("%C3%A9", 101), "country"},
	{"NUL", "leaderboard", okPeriod + "&program=a%00b", "program"},
	{"newline", "leaderboard", okPeriod + "&group=a%0Ab", "group"},
	{"DEL", "leaderboard", okPeriod + "&region=%7F", "region"},
	{"escape", "leaderboard", okPeriod + "&category=%1B%5B2J", "category"},
	{"C1 control", "leaderboard", okPeriod + "&country=%C2%85", "country"},
	{"not UTF-8", "leaderboard", okPeriod + "&program=%FF%FE", "program"},
	{"control character in a date", "leaderboard", "from=2024-01-01%00&to=2024-02-01", "from"},
	{"program without a roster", "leaderboard", okPeriod + "&program=aws-heroes", "program"},
	{"category without a roster", "leaderboard", okPeriod + "&category=Serverless", "category"},
	{"group without a roster", "leaderboard", okPeriod + "&group=AWS%20User%20Group%20Lisbon", "group"},
	{"region without a roster", "leaderboard", okPeriod + "&region=EMEA", "region"},
	{"country without a roster", "leaderboard", okPeriod + "&country=PT", "country"},
	{"share: from missing", "share", "to=2024-02-01", "from"},
	{"share: by", "share", okPeriod + "&by=login", "by"},
	{"share: by twice", "share", okPeriod + "&by=affiliation&by=affiliation", "by"},
	{"share: by program without a roster", "share", okPeriod + "&by=program", "by"},
	{"share: limit is the leaderboard's", "share", okPeriod + "&limit=5", "limit"},
	{"share: format is the leaderboard's", "share", okPeriod + "&format=csv", "format"},
	{"share: unknown kind", "share", okPeriod + "&kind=stars", "kind"},
	{"share: region without a roster", "share", okPeriod + "&region=EMEA", "region"},
}

func TestBadParameters(t *testing.T) {
	e := newEnv(t)
	e.insert(t, baseData(t)...)
	base := e.serve(t, api.Options{})
	for _, tc := range badRequests {
		t.Run(tc.name, func(t *testing.T) {
			r := get(t, base+"/api/v1/"+tc.path+"?"+tc.query)
			if r.status != http.StatusBadRequest {
				t.Fatalf("status %d, want 400: %s", r.status, r.body)
			}
			got := decodeError(t, r)
			if got.Error != "bad_parameter" || got.Parameter != tc.param {
				t.Errorf("error %q naming %q, want bad_parameter naming %q (message %q)", got.Error, got.Parameter, tc.param, got.Message)
			}
			if strings.ContainsAny(got.Message, "\x00\n\x1b\x7f") {
				t.Errorf("message %q carries control characters", got.Message)
			}
			if r.header.Get("X-Contribtrack-Cache") != "" {
				t.Errorf("an error reports a cache state")
			}
		})
	}
	// The messages say what is wrong.
	for _, tc := range []struct{ query, want string }{
		{"to=2024-02-01", "required"},
		{okPeriod + "&limit=0", "between 1 and 10000"},
		{okPeriod + "&lmit=5", "unknown parameter"},
		{okPeriod + "&org=aws&org=aws", "once"},
		{okPeriod + "&kind=nope", "unknown kind"},
		{okPeriod + "&program=" + strings.Repeat("p", 201), "longer than 200"},
		{okPeriod + "&program=aws-heroes", "roster"},
		{"from=2024-02-01&to=2024-01-01", "not after"},
	} {
		r := get(t, base+"/api/v1/leaderboard?"+tc.query)
		if msg := decodeError(t, r).Message; !strings.Contains(msg, tc.want) {
			t.Errorf("%s: message %q, want it to mention %q", tc.query, msg, tc.want)
		}
	}
}

// Values at the limits are accepted (and then answered, or found to name
// nothing known).
func TestParameterLimits(t *testing.T) {
	e := newEnv(t)
	e.insert(t, baseData(t)...)
	e.importRoster(t)
	base := e.serve(t, api.Options{})
	for _, q := range []string{
		okPeriod + "&program=" + strings.Repeat("p", 200),
		okPeriod + "&country=" + strings.Repeat("%C3%A9", 100), // 200 bytes
		okPeriod + "&group=AWS+User+Group+Lisbon",              // + is a space
		okPeriod + "&org=" + strings.Repeat("a", 39),
		okPeriod + "&repo=aws/aws-cdk.v2_x-y",
		okPeriod + "&kind=commit,%20pr_opened",
		okPeriod + "&include_bots=0&limit=1",
		"from=1970-01-01&to=2105-12-31",
		"to=2024-02-01&from=2024-01-01", // any order
	} {
		for _, path := range []string{"leaderboard", "share"} {
			if path == "share" && strings.Contains(q, "limit") {
				continue
			}
			// Accepted: answered, or a name nothing knows (checked after
			// the parameters passed).
			r := get(t, base+"/api/v1/"+path+"?"+q)
			if r.status == http.StatusNotFound && decodeError(t, r).Error == "unknown_name" {
				continue
			}
			if r.status != http.StatusOK {
				t.Errorf("%s?%s: status %d: %s", path, q, r.status, r.body)
			}
		}
	}
}

// Values that look like SQL are plain strings: refused by the org and repo
// patterns, or matching nothing in the roster filters, and the data is
// untouched.
func TestInjectionLookingValues(t *testing.T) {
	e := newEnv(t)
	e.insert(t, baseData(t)...)
	e.importRoster(t)
	base := e.serve(t, api.Options{})
	ctx := context.Background()
	countRows := func() uint64 {
		var n uint64
		if err := e.store.Conn().QueryRow(ctx, "SELECT count() FROM contributions").Scan(&n); err != nil {
			t.Fatalf("counting contributions: %v", err)
		}
		return n
	}
	rowsBefore := countRows()
	before := get(t, base+"/api/v1/leaderboard?"+okPeriod)

	for _, q := range []string{
		"org=" + url.QueryEscape("aws' OR 1=1"),
		"org=" + url.QueryEscape("aws' OR '1'='1' --"),
		"repo=" + url.QueryEscape("a/b;DROP TABLE contributions"),
		"repo=a/b;DROP%20TABLE%20contributions",
		"repo=" + url.QueryEscape("aws/aws-cdk' OR 1=1 --"),
	} {
		if r := get(t, base+"/api/v1/leaderboard?"+okPeriod+"&"+q); r.status != http.StatusBadRequest {
			t.Errorf("%s: status %d, want 400: %s", q, r.status, r.body)
		}
	}
	for _, v := range []struct{ name, value string }{
		{"program", "x' OR '1'='1"},
		{"program", `aws-heroes' OR 1=1 --`},
		{"program", `\' OR 1=1 --`},
		{"category", `Serverless"; DROP TABLE contributions; --`},
		{"group", `x'); DROP TABLE contributions; --`},
		{"region", `\`},
		{"region", `EMEA\`},
		{"country", `' UNION SELECT 1 --`},
		{"country", "@country"},
		{"program", "{program:String}"},
	} {
		for _, path := range []string{"leaderboard", "share"} {
			q := okPeriod + "&" + v.name + "=" + url.QueryEscape(v.value)
			// Bound, never pasted: the value is a name the roster does
			// not know, and nothing else happens.
			r := get(t, base+"/api/v1/"+path+"?"+q)
			if r.status != http.StatusNotFound {
				t.Errorf("%s %s=%q: status %d, want 404: %s", path, v.name, v.value, r.status, r.body)
				continue
			}
			if got := decodeError(t, r); got.Error != "unknown_name" || got.Parameter != v.name {
				t.Errorf("%s %s=%q: %+v, want unknown_name for %s", path, v.name, v.value, got, v.name)
			}
		}
	}

	var exists uint8
	if err := e.store.Conn().QueryRow(ctx, "EXISTS TABLE contributions").Scan(&exists); err != nil || exists != 1 {
		t.Fatalf("contributions table: exists=%d, %v", exists, err)
	}
	if n := countRows(); n != rowsBefore {
		t.Errorf("contributions: %d rows, was %d", n, rowsBefore)
	}
	after := get(t, base+"/api/v1/leaderboard?"+okPeriod)
	if after.status != http.StatusOK {
		t.Fatalf("after: status %d", after.status)
	}
	if diff := cmp.Diff(decodeEntries(t, before.body), decodeEntries(t, after.body)); diff != "" {
		t.Errorf("the leaderboard changed (-before +after):\n%s", diff)
	}
}
