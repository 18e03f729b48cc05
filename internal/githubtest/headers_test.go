package githubtest

import (
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	gocmp "github.com/google/go-cmp/cmp"
)

var (
	linkPartRE = regexp.MustCompile(`^<(https?://[^>]+)>; rel="(next|last|first|prev)"$`)
	etagRE     = regexp.MustCompile(`^"[0-9a-f]{32,64}"$`)
)

type link struct {
	rel  string
	page int
}

// parseLink checks a Link header's syntax as GitHub writes it and returns
// its relations with their page numbers.
func parseLink(t *testing.T, who, h string) []link {
	t.Helper()
	var out []link
	for _, part := range strings.Split(h, ", ") {
		m := linkPartRE.FindStringSubmatch(part)
		if m == nil {
			t.Errorf("%s: bad Link part %q", who, part)
			continue
		}
		u, err := url.Parse(m[1])
		if err != nil {
			t.Errorf("%s: %v", who, err)
			continue
		}
		if !strings.HasSuffix(u.RawQuery, "page="+u.Query().Get("page")) || u.Query().Get("per_page") != "3" {
			t.Errorf("%s: %s: want per_page kept and page last", who, m[1])
		}
		page, _ := strconv.Atoi(u.Query().Get("page"))
		out = append(out, link{m[2], page})
	}
	return out
}

// relsOf are the relations of a Link header in order.
func relsOf(ls []link) []string {
	var out []string
	for _, l := range ls {
		out = append(out, l.rel)
	}
	return out
}

// TestHeaderFormatsMatchRealGitHub compares the Link, X-RateLimit-*, ETag
// and Content-Type headers of a paginated list with GitHub's recording of
// the same kind of list (octokit/fixtures paginate-issues: 5 pages of 3).
func TestHeaderFormatsMatchRealGitHub(t *testing.T) {
	t.Parallel()
	pages := nock(t, "paginate-issues", "/issues")
	if len(pages) != 5 {
		t.Fatalf("%d recorded pages, want 5", len(pages))
	}
	s := start(t, Options{})
	hc := rawClient(t)
	r := small().Repos[0]
	total := len(r.Issues) + len(r.Pulls)
	last := (total + 2) / 3
	list := s.URL + "/api/v3/repos/" + r.FullName() + "/issues?state=all&per_page=3"
	for _, tc := range []struct {
		name          string
		rec           recording
		page, recLast int
		wantRels      []string
	}{
		{"first page", pages[0], 1, 5, []string{"next", "last"}},
		{"second page", pages[1], 2, 5, []string{"prev", "next", "last", "first"}},
		{"last page", pages[4], 5, 5, []string{"prev", "first"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			page := tc.page
			if page == tc.recLast {
				page = last
			}
			u := list
			if page > 1 {
				u += "&page=" + strconv.Itoa(page)
			}
			resp, _ := get(t, hc, u, tokenA)
			recLinks := parseLink(t, "recording", tc.rec.header.Get("Link"))
			srvLinks := parseLink(t, "server", resp.Header.Get("Link"))
			if diff := gocmp.Diff(tc.wantRels, relsOf(recLinks)); diff != "" {
				t.Errorf("recorded relations:\n%s", diff)
			}
			if diff := gocmp.Diff(relsOf(recLinks), relsOf(srvLinks)); diff != "" {
				t.Errorf("relations (-recording +server):\n%s", diff)
			}
			want := map[string]int{"next": page + 1, "prev": page - 1, "first": 1, "last": last}
			for _, l := range srvLinks {
				if l.page != want[l.rel] {
					t.Errorf("server rel=%s page %d, want %d", l.rel, l.page, want[l.rel])
				}
			}
			if lh := resp.Header.Get("Link"); !strings.HasPrefix(lh, "<"+s.URL+"/api/v3/repos/") {
				t.Errorf("Link %q is not absolute under /api/v3", lh)
			}
			for _, side := range []struct {
				who string
				h   http.Header
			}{{"recording", tc.rec.header}, {"server", resp.Header}} {
				who, h := side.who, side.h
				for _, name := range []string{"X-RateLimit-Limit", "X-RateLimit-Remaining", "X-RateLimit-Reset", "X-RateLimit-Used"} {
					if _, err := strconv.ParseInt(h.Get(name), 10, 64); err != nil {
						t.Errorf("%s: %s %q is not an integer", who, name, h.Get(name))
					}
				}
				if h.Get("X-RateLimit-Resource") != "core" || !etagRE.MatchString(h.Get("ETag")) ||
					h.Get("Content-Type") != "application/json; charset=utf-8" {
					t.Errorf("%s: resource %q, ETag %q, Content-Type %q", who, h.Get("X-RateLimit-Resource"), h.Get("ETag"), h.Get("Content-Type"))
				}
			}
		})
	}
	t.Run("api.github.com layout links at the root", func(t *testing.T) {
		resp, _ := get(t, hc, s.URL+"/repos/"+r.FullName()+"/issues?state=all&per_page=3&page=2", tokenA)
		links := parseLink(t, "server", resp.Header.Get("Link"))
		if lh := resp.Header.Get("Link"); !strings.HasPrefix(lh, "<"+s.URL+"/repos/") || len(links) != 4 {
			t.Errorf("Link %q", lh)
		}
	})
	t.Run("2014 pull request list Link", func(t *testing.T) {
		h := cassette(t, "Octokit_Client_PullRequests/_pull_requests/lists_all_pull_requests_with_state_argument.json", 0).header
		for _, part := range strings.Split(h.Get("Link"), ", ") {
			if !linkPartRE.MatchString(part) {
				t.Errorf("recorded Link part %q does not parse like ours", part)
			}
		}
	})
}
