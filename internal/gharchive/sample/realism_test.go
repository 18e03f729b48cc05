package sample

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/klauspost/compress/gzip"
)

func TestPullRequestLifecycle(t *testing.T) {
	type prKey struct {
		repo   string
		number int64
	}
	type openedPR struct {
		id, author, created string
	}
	events := decodeHours(t, day, 48, Options{Seed: 3})
	opened := map[prKey]openedPR{}
	crossHour := 0
	for _, e := range events {
		pr := e.Payload.PullRequest
		if pr == nil {
			continue
		}
		k := prKey{e.Repo.Name, pr.Number}
		created, err := time.Parse(time.RFC3339, pr.CreatedAt)
		if err != nil || created.After(e.CreatedAt) {
			t.Errorf("event %s: pull request created_at %q after the event (%v)", e.ID, pr.CreatedAt, err)
		}
		if pr.Base.Repo.FullName != e.Repo.Name || pr.Base.Ref != pr.Base.Repo.DefaultBranch || pr.Head.Ref == "" {
			t.Errorf("event %s: base %+v / head %+v do not match repo %s", e.ID, pr.Base, pr.Head, e.Repo.Name)
		}
		if closed := pr.ClosedAt != nil; closed != (pr.State == "closed") {
			t.Errorf("event %s: state %q with closed_at %v", e.ID, pr.State, pr.ClosedAt)
		}
		if e.Type != "PullRequestEvent" {
			if pr.State != "open" && e.Type == "PullRequestReviewEvent" {
				t.Errorf("event %s: review of a %s pull request", e.ID, pr.State)
			}
			continue
		}
		merged := *pr.Merged
		if merged != (pr.MergedAt != nil) || merged != (pr.MergedBy != nil) || (merged && *pr.MergedAt != *pr.ClosedAt) {
			t.Errorf("event %s: merged=%v merged_at=%v merged_by=%v closed_at=%v", e.ID, merged, pr.MergedAt, pr.MergedBy, pr.ClosedAt)
		}
		switch e.Payload.Action {
		case "opened":
			if pr.State != "open" || pr.User.Login != e.Actor.Login || pr.CreatedAt != e.CreatedAt.Format(time.RFC3339) {
				t.Errorf("event %s: opened PR %+v by %s", e.ID, pr, e.Actor.Login)
			}
			opened[k] = openedPR{pr.HTMLURL, pr.User.Login, pr.CreatedAt}
		case "closed":
			o, ok := opened[k]
			switch {
			case !ok:
				// opened before the first generated hour
			case o != (openedPR{pr.HTMLURL, pr.User.Login, pr.CreatedAt}):
				t.Errorf("event %s: closed PR %v differs from the opened one %v", e.ID, pr, o)
			case o.created[:13] != e.CreatedAt.Format(time.RFC3339)[:13]:
				crossHour++
			}
			if pr.State != "closed" {
				t.Errorf("event %s: closed PR in state %q", e.ID, pr.State)
			}
		}
	}
	if crossHour == 0 {
		t.Error("no pull request opened in one hour and closed in a later one")
	}
}

func TestPushes(t *testing.T) {
	var capped, nonDistinct, byBot, feature int
	for _, e := range dayEvents(t) {
		if e.Type != "PushEvent" {
			continue
		}
		pl := e.Payload
		ref, _ := pl.Ref.(string)
		if !strings.HasPrefix(ref, "refs/heads/") {
			t.Errorf("event %s: ref %q", e.ID, ref)
		}
		if len(pl.Commits) != min(pl.Size, 20) || pl.DistinctSize > pl.Size || pl.Size < 1 {
			t.Errorf("event %s: size %d, distinct_size %d, %d commits", e.ID, pl.Size, pl.DistinctSize, len(pl.Commits))
		}
		distinct := 0
		for _, c := range pl.Commits {
			if !hexSHA.MatchString(c.SHA) || !hashEmail.MatchString(c.Author.Email) || c.Author.Name == "" || c.Message == "" ||
				c.URL != "https://api.github.com/repos/"+e.Repo.Name+"/commits/"+c.SHA {
				t.Errorf("event %s: bad commit %+v", e.ID, c)
			}
			if c.Distinct {
				distinct++
			}
		}
		if pl.Size <= 20 && distinct != pl.DistinctSize {
			t.Errorf("event %s: %d distinct commits listed, distinct_size %d", e.ID, distinct, pl.DistinctSize)
		}
		if pl.Size > 20 {
			capped++
		}
		if distinct < len(pl.Commits) {
			nonDistinct++
		}
		if strings.HasSuffix(e.Actor.Login, "[bot]") || e.Actor.Login == "aws-cdk-automation" {
			byBot++
		}
		if !strings.HasSuffix(ref, "/main") {
			feature++
		}
	}
	if capped == 0 || nonDistinct == 0 || byBot == 0 || feature == 0 {
		t.Errorf("pushes: %d capped at 20 commits, %d with non-distinct commits, %d by bots, %d to other branches",
			capped, nonDistinct, byBot, feature)
	}
}

func TestPopulationAndActivity(t *testing.T) {
	awsOrgs := []string{"aws", "awslabs", "aws-samples", "aws-powertools", "cdklabs", "aws-amplify", "aws-cloudformation"}
	events := dayEvents(t)
	awsEvents, perOrg, perActor := 0, map[string]int{}, map[string]int{}
	userTypes := map[string]string{}
	for _, e := range events {
		owner, _, _ := strings.Cut(e.Repo.Name, "/")
		if slices.Contains(awsOrgs, owner) {
			awsEvents++
			perOrg[owner]++
			perActor[e.Actor.Login]++
		}
		for _, u := range []*ghUser{e.Payload.Member, userOf(e)} {
			if u != nil {
				userTypes[u.Login] = u.Type
			}
		}
	}
	if share := awsEvents * 100 / len(events); share < 55 || share > 80 {
		t.Errorf("%d%% of events in AWS organisations, want about 70%%", share)
	}
	for _, org := range awsOrgs {
		if perOrg[org] == 0 {
			t.Errorf("no events in %s", org)
		}
	}
	for login, want := range map[string]string{"dependabot[bot]": "Bot", "github-actions[bot]": "Bot",
		"renovate[bot]": "Bot", "aws-cdk-automation": "User"} {
		if got := userTypes[login]; got != want {
			t.Errorf("user %s has type %q, want %q", login, got, want)
		}
	}
	// Zipf: the most active human stands out from the crowd.
	var humans []int
	for login, n := range perActor {
		if !strings.HasSuffix(login, "[bot]") && login != "aws-cdk-automation" {
			humans = append(humans, n)
		}
	}
	slices.Sort(humans)
	slices.Reverse(humans)
	if len(humans) < 100 || humans[0] < 3*humans[9] || humans[len(humans)/2] > 10 {
		t.Errorf("human activity not skewed: %d actors, top %d, 10th %d, median %d",
			len(humans), humans[0], humans[9], humans[len(humans)/2])
	}
}

func userOf(e ghEvent) *ghUser {
	switch pl := e.Payload; {
	case pl.PullRequest != nil:
		return &pl.PullRequest.User
	case pl.Issue != nil:
		return &pl.Issue.User
	case pl.Release != nil:
		return &pl.Release.Author
	}
	return nil
}

func TestWriteHours(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "gharchive")
	opts := Options{Seed: 11, EventsPerHour: 120}
	from := day.Add(-time.Hour) // 2023-12-31-23 .. 2024-01-01-1
	paths, err := WriteHours(dir, from, day.Add(time.Hour), opts)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, p := range paths {
		names = append(names, filepath.Base(p))
	}
	want := []string{"2023-12-31-23.json.gz", "2024-01-01-0.json.gz", "2024-01-01-1.json.gz"}
	if diff := cmp.Diff(want, names); diff != "" {
		t.Fatalf("file names (-want +got):\n%s", diff)
	}
	for i, p := range paths {
		f, err := os.Open(p)
		if err != nil {
			t.Fatal(err)
		}
		zr, err := gzip.NewReader(f)
		if err != nil {
			t.Fatal(err)
		}
		if zr.Name != "" || !zr.ModTime.IsZero() {
			t.Errorf("%s: gzip header name %q, mtime %v; want neither", p, zr.Name, zr.ModTime)
		}
		got, err := io.ReadAll(zr)
		f.Close()
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, hourBytes(t, from.Add(time.Duration(i)*time.Hour), opts)) {
			t.Errorf("%s does not decompress to the output of WriteHour", p)
		}
	}
	// Writing again gives byte-identical files.
	again, err := WriteHours(t.TempDir(), from, day.Add(time.Hour), opts)
	if err != nil {
		t.Fatal(err)
	}
	for i := range paths {
		a, _ := os.ReadFile(paths[i])
		b, _ := os.ReadFile(again[i])
		if !bytes.Equal(a, b) {
			t.Errorf("%s: second run differs", filepath.Base(paths[i]))
		}
	}
}

// TestPopulationInvariants checks the limits the id formulas rely on.
func TestPopulationInvariants(t *testing.T) {
	p := getPopulation()
	if len(p.repos) >= 128 || len(p.users) >= 1000 {
		t.Fatalf("%d repositories (release ids need < 128), %d users (fork ids need < 1000)", len(p.repos), len(p.users))
	}
	ids, logins := map[int64]string{}, map[string]bool{}
	for _, a := range append(slices.Clone(p.users), p.dependabot, p.actions, p.renovate, p.mergify, p.cdkAutomation) {
		unique(t, "account id", ids, a.ID, a.Login)
		if logins[a.Login] {
			t.Errorf("login %s used twice", a.Login)
		}
		logins[a.Login] = true
		if !hashEmail.MatchString(a.Email) {
			t.Errorf("%s: email %q is not SHA-1 hashed", a.Login, a.Email)
		}
	}
	repoIDs := map[int64]string{}
	for _, r := range p.repos {
		unique(t, "repository id", repoIDs, r.ID, r.fullName())
		if r.ID >= 950_000_000 || len(r.maint) < 3 || r.slots < 1 {
			t.Errorf("%s: id %d, %d maintainers, %d slots", r.fullName(), r.ID, len(r.maint), r.slots)
		}
	}
	for _, own := range p.personal {
		for _, r := range own {
			unique(t, "repository id", repoIDs, r.ID, r.fullName())
		}
	}
}

// TestGolden pins the output of one hour, so that a change of behaviour, of a
// dependency or of platform (the generator uses integer arithmetic only) is
// noticed. Update the hash when the generator is changed on purpose.
func TestGolden(t *testing.T) {
	const want = "e15c628f25a64936120bce3cbf93bb0cb30869dde34ed48677d3838fd2128c00"
	sum := sha256.Sum256(hourBytes(t, day.Add(12*time.Hour), Options{Seed: 1}))
	if got := hex.EncodeToString(sum[:]); got != want {
		t.Errorf("sha256 of 2024-01-01-12 with seed 1 = %s, want %s", got, want)
	}
}

func BenchmarkWriteHour(b *testing.B) {
	events := 0
	for i := 0; b.Loop(); i++ {
		var buf bytes.Buffer
		if err := WriteHour(&buf, day.Add(time.Duration(i%24)*time.Hour), Options{Seed: 1}); err != nil {
			b.Fatal(err)
		}
		events += bytes.Count(buf.Bytes(), []byte("\n"))
	}
	b.ReportMetric(float64(events)/b.Elapsed().Seconds(), "events/s")
}
