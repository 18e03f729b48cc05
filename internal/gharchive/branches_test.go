package gharchive

import (
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"contribtrack/internal/contrib"
	"contribtrack/internal/testing/fixtures"
)

// Synthetic events of repository 100 (acme/tool), whose default branch is
// develop.
func pushLine(id int, branch string, commits ...string) string {
	var cs []string
	for _, c := range commits {
		sha, distinct, _ := strings.Cut(c, ":")
		cs = append(cs, fmt.Sprintf(`{"sha":%q,"author":{"email":"dev@example.com","name":"Dev"},"message":"m","distinct":%t,"url":"u"}`, sha, distinct != "old"))
	}
	return fmt.Sprintf(`{"id":"%d","type":"PushEvent","actor":{"id":7,"login":"ana"},"repo":{"id":100,"name":"acme/tool"},"payload":{"push_id":%d,"size":%d,"distinct_size":%d,"ref":"refs/heads/%s","head":"h","before":"b","commits":[%s]},"public":true,"created_at":"2015-01-01T12:%02d:00Z"}`,
		id, id, len(commits), len(commits), branch, strings.Join(cs, ","), id)
}

func pullLine(id int, defaultBranch string) string {
	return fmt.Sprintf(`{"id":"%d","type":"PullRequestEvent","actor":{"id":8,"login":"bo"},"repo":{"id":100,"name":"acme/tool"},"payload":{"action":"labeled","number":5,"pull_request":{"number":5,"user":{"id":8,"login":"bo"},"base":{"ref":%q,"repo":{"id":100,"name":"tool","full_name":"acme/tool","default_branch":%q}}}},"public":true,"created_at":"2015-01-01T12:%02d:00Z"}`,
		id, defaultBranch, defaultBranch, id)
}

func createLine(id int, defaultBranch string) string {
	return fmt.Sprintf(`{"id":"%d","type":"CreateEvent","actor":{"id":8,"login":"bo"},"repo":{"id":100,"name":"acme/tool"},"payload":{"ref":"feature/y","ref_type":"branch","master_branch":%q,"description":null,"pusher_type":"user"},"public":true,"created_at":"2015-01-01T12:%02d:00Z"}`,
		id, defaultBranch, id)
}

// A push to a repository's default branch counts its distinct commits
// whatever the branch is called, whether the event naming that branch
// comes before or after the push; pushes to other branches do not count,
// and the summary says why.
func TestPushesToANamedDefaultBranchCount(t *testing.T) {
	develop := pushLine(10, "develop", "d1", "d2", "d0:old")
	feature := pushLine(11, "feature/x", "f1")
	master := pushLine(12, "master", "m1")
	tests := []struct {
		name    string
		lines   []string
		known   map[uint64]string
		commits []string // shas counted
		skips   map[string]int64
	}{
		{
			name:    "named by a pull request before the pushes",
			lines:   []string{pullLine(1, "develop"), develop, feature, master},
			commits: []string{"d1", "d2"},
			skips:   map[string]int64{SkipAction: 1, SkipCommitNotNew: 1, SkipBranch: 2},
		},
		{
			// A push to main or master is not held: it counts unless an
			// earlier event named another default branch.
			name:    "named by a pull request after the pushes",
			lines:   []string{develop, feature, master, pullLine(40, "develop")},
			commits: []string{"d1", "d2", "m1"},
			skips:   map[string]int64{SkipAction: 1, SkipCommitNotNew: 1, SkipBranch: 1},
		},
		{
			name:    "named by a CreateEvent's master_branch",
			lines:   []string{develop, createLine(20, "develop"), feature},
			commits: []string{"d1", "d2"},
			skips:   map[string]int64{SkipUntrackedType: 1, SkipCommitNotNew: 1, SkipBranch: 1},
		},
		{
			name:    "the latest name wins",
			lines:   []string{pullLine(1, "master"), develop, pullLine(30, "develop"), pushLine(31, "develop", "d3")},
			commits: []string{"d3"},
			skips:   map[string]int64{SkipAction: 2, SkipBranch: 1},
		},
		{
			name:    "named by nothing",
			lines:   []string{develop, feature, master},
			commits: []string{"m1"},
			skips:   map[string]int64{SkipBranchUnknown: 2},
		},
		{
			name:    "known from the API",
			lines:   []string{develop, feature},
			known:   map[uint64]string{100: "develop"},
			commits: []string{"d1", "d2"},
			skips:   map[string]int64{SkipCommitNotNew: 1, SkipBranchUnknown: 1},
		},
		{
			name:    "the archive's name wins over the API's",
			lines:   []string{pullLine(1, "trunk"), develop, pushLine(20, "trunk", "t1")},
			known:   map[uint64]string{100: "develop"},
			commits: []string{"t1"},
			skips:   map[string]int64{SkipAction: 1, SkipBranch: 1},
		},
	}
	for _, tt := range tests {
		// One block and one worker; then a block per line decoded by four
		// workers, finishing in any order.
		for _, o := range []Options{{Workers: 1}, {Workers: 4, BlockSize: 64}} {
			t.Run(fmt.Sprintf("%s/workers=%d", tt.name, o.Workers), func(t *testing.T) {
				o.Selector = NewSelector(false, []string{"acme"}, nil)
				o.KnownDefaultBranches = tt.known
				st, got := collect(t, []Input{bytesInput("hour.json", []byte(strings.Join(tt.lines, "\n")))}, o)
				var shas []string
				for _, c := range got {
					if c.Kind != contrib.Commit {
						t.Errorf("unexpected %s %s", c.Kind, c.Key)
						continue
					}
					shas = append(shas, strings.TrimPrefix(c.Key, "100@"))
				}
				if diff := cmp.Diff(sortStrings(tt.commits), sortStrings(shas)); diff != "" {
					t.Errorf("commits counted (-want +got):\n%s", diff)
				}
				if st.Kinds[contrib.Commit] != int64(len(tt.commits)) {
					t.Errorf("summary counts %d commits, want %d", st.Kinds[contrib.Commit], len(tt.commits))
				}
				if diff := cmp.Diff(tt.skips, st.Skipped); diff != "" {
					t.Errorf("skips (-want +got):\n%s", diff)
				}
			})
		}
	}
}

// Pushes held until their repository's default branch is named are
// bounded: past the limit the oldest is given up, and said so.
func TestHeldPushesAreBounded(t *testing.T) {
	var emitted []string
	skipped := map[string]int64{}
	book := newBranchBook(nil, 4,
		func(c contrib.Contribution) { emitted = append(emitted, c.Key) },
		func(r string, n int64) { skipped[r] += n })
	commits := []contrib.Contribution{{Key: "a1"}, {Key: "a2"}, {Key: "b1"}, {Key: "b2"}, {Key: "c1"}}
	book.note(&branchNote{repoID: 1, branch: "dev", push: true, lo: 0, hi: 2}, commits)
	book.note(&branchNote{repoID: 2, branch: "dev", push: true, lo: 2, hi: 4}, commits)
	if book.heldCount != 4 || len(skipped) != 0 {
		t.Fatalf("held %d, skipped %v; want 4 commits held, nothing skipped", book.heldCount, skipped)
	}
	book.note(&branchNote{repoID: 3, branch: "dev", push: true, lo: 4, hi: 5}, commits) // repository 1's push goes
	if book.heldCount != 3 || skipped[SkipBranchHeld] != 1 {
		t.Fatalf("held %d, skipped %v; want 3 held and the oldest push given up", book.heldCount, skipped)
	}
	book.note(&branchNote{repoID: 1, branch: "dev"}, nil)
	book.note(&branchNote{repoID: 2, branch: "dev"}, nil)
	book.finish()
	if diff := cmp.Diff([]string{"b1", "b2"}, emitted); diff != "" {
		t.Errorf("commits counted (-want +got):\n%s", diff)
	}
	want := map[string]int64{SkipBranchHeld: 1, SkipBranchUnknown: 1}
	if diff := cmp.Diff(want, skipped); diff != "" {
		t.Errorf("skips (-want +got):\n%s", diff)
	}
	if book.heldCount != 0 || len(book.heldBy) != 0 {
		t.Errorf("still held after finish: %d commits, %d repositories", book.heldCount, len(book.heldBy))
	}
	if limit := fmt.Sprintf("%d,%03d held commits", maxHeldCommits/1000, maxHeldCommits%1000); !strings.Contains(SkipBranchHeld, limit) {
		t.Errorf("the summary's reason %q does not say the limit (%s)", SkipBranchHeld, limit)
	}
}

// In the real hour, repositories whose default branch is neither main nor
// master (named by pull requests and CreateEvents) get their pushes
// counted, including pushes made before the naming event; a push to master
// of a repository whose default branch is another does not count.
func TestFixtureHourDefaultBranches(t *testing.T) {
	path := fixtures.Path(t, "gharchive/2015-01-01-12.json.gz")
	for _, sel := range []Selector{NewSelector(true, nil, nil), NewSelector(false, []string{"pear", "great-h", "crdroidandroid"}, nil)} {
		st, got := collect(t, []Input{FileInput(path)}, Options{Selector: sel})
		commits := map[string]bool{}
		for _, c := range got {
			if c.Kind == contrib.Commit {
				commits[c.RepoName+"@"+strings.TrimPrefix(c.Key, fmt.Sprint(c.RepoID, "@"))] = true
			}
		}
		for _, want := range []string{
			// trunk, named by a pull request at 12:27:15, after these pushes
			"pear/Services_W3C_HTMLValidator@4b076d171c802d52a8b59afa108fe3290bd3fbf0",
			"pear/Services_W3C_HTMLValidator@4210476b232eca24ea2454c2591c32b45f549e1f",
			"pear/Services_W3C_HTMLValidator@9fa1f5408703b981a49efe9aa6f8b548b71f831a",
			// cm-12.0, named by a CreateEvent at 12:55:16, after this push
			"crdroidandroid/android_packages_apps_Settings@fd3b6f0521d1cfd3e6416e72dc20ced950c264e2",
		} {
			if !commits[want] {
				t.Errorf("all=%t: commit %s on its repository's default branch not counted", sel.All, want)
			}
		}
		// great-h.github.io's default branch is source (named at 12:51:15):
		// its pushes to master (the site GitHub Pages serves) are not on it.
		for sha, want := range map[string]bool{
			"9bd570db30a1c2fa82ee6d3e2e073394b0cebc01": true, "77cc369be67803720daf00944a4c61f7840bb96a": true,
			"5c9a1d4e4de6403c3b5b4557c33db267ffc7f866": false, "46757914ac2287ef07ffd580021ab54101553e10": false,
		} {
			if c := "great-h/great-h.github.io@" + sha; commits[c] != want {
				t.Errorf("all=%t: commit %s counted %t, want %t", sel.All, c, commits[c], want)
			}
		}
		if st.Skipped[SkipBranch] == 0 || st.Skipped[SkipBranchUnknown] == 0 {
			t.Errorf("all=%t: skips %v: want pushes to known and unknown non-default branches counted", sel.All, st.Skipped)
		}
	}
}
