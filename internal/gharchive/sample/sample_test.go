package sample

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
)

var day = time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)

func hourBytes(t testing.TB, hour time.Time, opts Options) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := WriteHour(&buf, hour, opts); err != nil {
		t.Fatalf("WriteHour(%s): %v", hour, err)
	}
	return buf.Bytes()
}

func TestDeterministic(t *testing.T) {
	h := day.Add(15 * time.Hour)
	tests := []struct {
		name      string
		a, b      Options
		hourA     time.Time
		hourB     time.Time
		wantEqual bool
	}{
		{"same seed and hour", Options{Seed: 42}, Options{Seed: 42}, h, h, true},
		{"zero EventsPerHour means 400", Options{Seed: 42}, Options{Seed: 42, EventsPerHour: 400}, h, h, true},
		{"hour in another time zone", Options{Seed: 42}, Options{Seed: 42}, h, h.In(time.FixedZone("PST", -8*3600)), true},
		{"different seed", Options{Seed: 42}, Options{Seed: 43}, h, h, false},
		{"different hour", Options{Seed: 42}, Options{Seed: 42}, h, h.Add(time.Hour), false},
		{"different volume", Options{Seed: 42}, Options{Seed: 42, EventsPerHour: 900}, h, h, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a, b := hourBytes(t, tt.hourA, tt.a), hourBytes(t, tt.hourB, tt.b)
			if got := bytes.Equal(a, b); got != tt.wantEqual {
				t.Errorf("outputs equal = %v, want %v", got, tt.wantEqual)
			}
		})
	}
}

func TestEventsPerHour(t *testing.T) {
	tests := []struct {
		eph      int
		min, max int // events over a day
	}{
		{0, 24 * 400 * 85 / 100, 24 * 400 * 120 / 100},
		{50, 24 * 50 * 80 / 100, 24 * 50 * 130 / 100},
		{3000, 24 * 3000 * 85 / 100, 24 * 3000 * 115 / 100},
	}
	for _, tt := range tests {
		t.Run(strconv.Itoa(tt.eph), func(t *testing.T) {
			n := 0
			for h := range 24 {
				n += bytes.Count(hourBytes(t, day.Add(time.Duration(h)*time.Hour), Options{Seed: 1, EventsPerHour: tt.eph}), []byte("\n"))
			}
			if n < tt.min || n > tt.max {
				t.Errorf("%d events in a day, want %d..%d", n, tt.min, tt.max)
			}
		})
	}
}

func TestInvalidInput(t *testing.T) {
	tests := []struct {
		name string
		hour time.Time
		opts Options
	}{
		{"not truncated", day.Add(time.Minute), Options{}},
		{"Timeline era", time.Date(2014, 12, 31, 23, 0, 0, 0, time.UTC), Options{}},
		{"negative volume", day, Options{EventsPerHour: -1}},
		{"too many events", day, Options{EventsPerHour: maxEventsPerHour + 1}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := WriteHour(&bytes.Buffer{}, tt.hour, tt.opts); err == nil {
				t.Error("WriteHour succeeded, want an error")
			}
		})
	}
	if _, err := WriteHours(t.TempDir(), day.Add(time.Hour), day, Options{}); err == nil {
		t.Error("WriteHours with to before from succeeded, want an error")
	}
}

// ghEvent is what a GH Archive consumer decodes.
type ghEvent struct {
	ID    string `json:"id"`
	Type  string `json:"type"`
	Actor struct {
		ID           int64  `json:"id"`
		Login        string `json:"login"`
		DisplayLogin string `json:"display_login"`
		GravatarID   string `json:"gravatar_id"`
		URL          string `json:"url"`
		AvatarURL    string `json:"avatar_url"`
	} `json:"actor"`
	Repo struct {
		ID   int64  `json:"id"`
		Name string `json:"name"`
		URL  string `json:"url"`
	} `json:"repo"`
	Payload   ghPayload `json:"payload"`
	Public    bool      `json:"public"`
	CreatedAt time.Time `json:"created_at"`
	Org       *struct {
		ID    int64  `json:"id"`
		Login string `json:"login"`
	} `json:"org"`
}

type ghUser struct {
	ID    int64  `json:"id"`
	Login string `json:"login"`
	Type  string `json:"type"`
}

type ghPayload struct {
	Action       string `json:"action"`
	Number       int64  `json:"number"`
	PushID       int64  `json:"push_id"`
	Size         int    `json:"size"`
	DistinctSize int    `json:"distinct_size"`
	Ref          any    `json:"ref"`
	RefType      string `json:"ref_type"`
	Commits      []struct {
		SHA    string `json:"sha"`
		Author struct {
			Email string `json:"email"`
			Name  string `json:"name"`
		} `json:"author"`
		Message  string `json:"message"`
		Distinct bool   `json:"distinct"`
		URL      string `json:"url"`
	} `json:"commits"`
	PullRequest *struct {
		ID        int64   `json:"id"`
		Number    int64   `json:"number"`
		User      ghUser  `json:"user"`
		State     string  `json:"state"`
		Merged    *bool   `json:"merged"`
		MergedAt  *string `json:"merged_at"`
		MergedBy  *ghUser `json:"merged_by"`
		CreatedAt string  `json:"created_at"`
		ClosedAt  *string `json:"closed_at"`
		HTMLURL   string  `json:"html_url"`
		Base      struct {
			Ref  string `json:"ref"`
			Repo struct {
				ID            int64  `json:"id"`
				Name          string `json:"name"`
				FullName      string `json:"full_name"`
				DefaultBranch string `json:"default_branch"`
			} `json:"repo"`
		} `json:"base"`
		Head struct {
			Ref  string `json:"ref"`
			Repo struct {
				ID       int64  `json:"id"`
				FullName string `json:"full_name"`
			} `json:"repo"`
		} `json:"head"`
	} `json:"pull_request"`
	Issue *struct {
		ID          int64   `json:"id"`
		Number      int64   `json:"number"`
		User        ghUser  `json:"user"`
		State       string  `json:"state"`
		CreatedAt   string  `json:"created_at"`
		ClosedAt    *string `json:"closed_at"`
		PullRequest any     `json:"pull_request"`
	} `json:"issue"`
	Comment *struct {
		ID        int64  `json:"id"`
		User      ghUser `json:"user"`
		Body      string `json:"body"`
		CommitID  string `json:"commit_id"`
		CreatedAt string `json:"created_at"`
	} `json:"comment"`
	Review *struct {
		ID          int64  `json:"id"`
		User        ghUser `json:"user"`
		State       string `json:"state"`
		SubmittedAt string `json:"submitted_at"`
	} `json:"review"`
	Release *struct {
		ID          int64  `json:"id"`
		TagName     string `json:"tag_name"`
		Name        string `json:"name"`
		Author      ghUser `json:"author"`
		PublishedAt string `json:"published_at"`
	} `json:"release"`
	Forkee *struct {
		ID       int64  `json:"id"`
		FullName string `json:"full_name"`
		Owner    ghUser `json:"owner"`
	} `json:"forkee"`
	Member *ghUser `json:"member"`
}

// decodeHours generates the given hours and decodes every line with encoding/json.
func decodeHours(t *testing.T, from time.Time, hours int, opts Options) []ghEvent {
	t.Helper()
	var events []ghEvent
	for h := range hours {
		hour := from.Add(time.Duration(h) * time.Hour)
		data := hourBytes(t, hour, opts)
		if len(data) == 0 || data[len(data)-1] != '\n' {
			t.Fatalf("%s: output does not end with a newline", hour)
		}
		sc := bufio.NewScanner(bytes.NewReader(data))
		sc.Buffer(nil, 1<<20)
		for sc.Scan() {
			var e ghEvent
			if err := json.Unmarshal(sc.Bytes(), &e); err != nil {
				t.Fatalf("%s: line %d: %v\n%s", hour, len(events)+1, err, sc.Bytes())
			}
			if e.CreatedAt.Before(hour) || !e.CreatedAt.Before(hour.Add(time.Hour)) {
				t.Errorf("event %s created_at %s outside hour %s", e.ID, e.CreatedAt, hour)
			}
			events = append(events, e)
		}
	}
	return events
}

var (
	dayCache  = map[string][]ghEvent{}
	hexSHA    = regexp.MustCompile(`^[0-9a-f]{40}$`)
	hashEmail = regexp.MustCompile(`^[0-9a-f]{40}@[a-z.]+$`)
)

// dayEvents returns the events of a whole day with default options (cached).
func dayEvents(t *testing.T) []ghEvent {
	if ev, ok := dayCache["day"]; ok {
		return ev
	}
	ev := decodeHours(t, day, 24, Options{Seed: 7})
	dayCache["day"] = ev
	return ev
}

func TestEventEnvelope(t *testing.T) {
	events := dayEvents(t)
	p := getPopulation()
	orgs := map[string]int64{}
	for _, r := range p.repos {
		orgs[r.Owner.Login] = r.Owner.ID
	}
	var prevID int64
	var prevAt time.Time
	for _, e := range events {
		id, err := strconv.ParseInt(e.ID, 10, 64)
		if err != nil || id <= prevID {
			t.Fatalf("event id %q after %d: not an increasing decimal (%v)", e.ID, prevID, err)
		}
		if e.CreatedAt.Before(prevAt) {
			t.Errorf("event %s: created_at %s before the previous event's %s", e.ID, e.CreatedAt, prevAt)
		}
		prevID, prevAt = id, e.CreatedAt
		owner, _, ok := strings.Cut(e.Repo.Name, "/")
		switch {
		case !ok || e.Repo.URL != "https://api.github.com/repos/"+e.Repo.Name || e.Repo.ID <= 0:
			t.Errorf("event %s: bad repo %+v", e.ID, e.Repo)
		case e.Actor.ID <= 0 || e.Actor.URL != "https://api.github.com/users/"+e.Actor.Login || e.Actor.GravatarID != "" ||
			e.Actor.DisplayLogin != strings.TrimSuffix(e.Actor.Login, "[bot]"):
			t.Errorf("event %s: bad actor %+v", e.ID, e.Actor)
		case !e.Public:
			t.Errorf("event %s: not public", e.ID)
		}
		if orgID, isOrg := orgs[owner]; isOrg != (e.Org != nil) || (isOrg && (e.Org.Login != owner || e.Org.ID != orgID)) {
			t.Errorf("event %s in %s: org = %+v, want present only for organisations", e.ID, e.Repo.Name, e.Org)
		}
	}
}

func TestEventTypesAndActions(t *testing.T) {
	seen := map[string]bool{}
	for _, e := range dayEvents(t) {
		seen[e.Type] = true
		pl := e.Payload
		switch e.Type {
		case "PullRequestEvent":
			seen[fmt.Sprintf("pr %s merged=%v", pl.Action, *pl.PullRequest.Merged)] = true
		case "IssuesEvent":
			seen["issue "+pl.Action] = true
		case "PullRequestReviewEvent":
			seen["review "+pl.Review.State] = true
		case "CreateEvent", "DeleteEvent":
			seen[e.Type+" "+pl.RefType] = true
		}
	}
	for _, want := range []string{"PushEvent", "PullRequestEvent", "PullRequestReviewEvent", "PullRequestReviewCommentEvent",
		"IssuesEvent", "IssueCommentEvent", "CommitCommentEvent", "ReleaseEvent", "WatchEvent", "ForkEvent", "CreateEvent",
		"DeleteEvent", "GollumEvent", "MemberEvent",
		"pr opened merged=false", "pr closed merged=true", "pr closed merged=false", "pr reopened merged=false",
		"issue opened", "issue closed", "issue reopened", "review approved", "review commented", "review changes_requested",
		"CreateEvent branch", "CreateEvent tag", "CreateEvent repository", "DeleteEvent branch"} {
		if !seen[want] {
			t.Errorf("no %q in a day of events", want)
		}
	}
}

// unique records that key maps to val and reports a conflict with an earlier value.
func unique[K comparable, V comparable](t *testing.T, what string, m map[K]V, key K, val V) {
	t.Helper()
	if old, ok := m[key]; ok && old != val {
		t.Errorf("%s %v: %v and %v", what, key, old, val)
	}
	m[key] = val
}

func TestIDsUnique(t *testing.T) {
	type itemKey struct {
		repo   string
		number int64
	}
	var (
		comments  = map[int64]string{}
		reviews   = map[int64]string{}
		releases  = map[int64]string{}
		tags      = map[string]string{}
		pushes    = map[int64]string{}
		forkees   = map[int64]string{}
		repoNames = map[int64]string{}
		prByNum   = map[itemKey]int64{}
		prByID    = map[int64]itemKey{}
		issByNum  = map[itemKey]int64{}
		issByID   = map[int64]itemKey{}
		isPR      = map[itemKey]bool{}
		opened    = map[itemKey]string{}
	)
	for _, e := range dayEvents(t) {
		pl := e.Payload
		unique(t, "repository id", repoNames, e.Repo.ID, e.Repo.Name)
		if c := pl.Comment; c != nil {
			unique(t, "comment id", comments, c.ID, e.ID)
		}
		if rv := pl.Review; rv != nil {
			unique(t, "review id", reviews, rv.ID, e.ID)
		}
		if rel := pl.Release; rel != nil {
			unique(t, "release id", releases, rel.ID, e.ID)
			unique(t, "release tag", tags, e.Repo.Name+"@"+rel.TagName, e.ID)
		}
		if e.Type == "PushEvent" {
			unique(t, "push_id", pushes, pl.PushID, e.ID)
		}
		if f := pl.Forkee; f != nil {
			unique(t, "forkee id", forkees, f.ID, e.ID)
			unique(t, "repository id", repoNames, f.ID, f.FullName)
		}
		if pr := pl.PullRequest; pr != nil {
			k := itemKey{e.Repo.Name, pr.Number}
			unique(t, "pull request number", prByNum, k, pr.ID)
			unique(t, "pull request id", prByID, pr.ID, k)
			unique(t, "item kind", isPR, k, true)
			unique(t, "repository id", repoNames, pr.Head.Repo.ID, pr.Head.Repo.FullName)
			if pl.Number != 0 && pl.Number != pr.Number {
				t.Errorf("event %s: payload.number %d != pull_request.number %d", e.ID, pl.Number, pr.Number)
			}
		}
		if is := pl.Issue; is != nil {
			k := itemKey{e.Repo.Name, is.Number}
			unique(t, "item kind", isPR, k, is.PullRequest != nil)
			if is.PullRequest == nil {
				unique(t, "issue number", issByNum, k, is.ID)
				unique(t, "issue id", issByID, is.ID, k)
			}
		}
		if pl.Action == "opened" {
			k := itemKey{e.Repo.Name, pl.Number}
			if pl.Issue != nil {
				k.number = pl.Issue.Number
			}
			unique(t, "opened event", opened, k, e.ID)
		}
	}
	if len(comments) == 0 || len(reviews) == 0 || len(releases) == 0 || len(pushes) == 0 || len(forkees) == 0 {
		t.Errorf("missing ids: %d comments, %d reviews, %d releases, %d pushes, %d forks",
			len(comments), len(reviews), len(releases), len(pushes), len(forkees))
	}
}
