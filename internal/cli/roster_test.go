package cli

import (
	"bytes"
	"encoding/json"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"contribtrack/internal/contrib"
)

// withID is lbC with an explicit GitHub id (a roster can name ids).
func withID(c contrib.Contribution, id uint64) contrib.Contribution {
	c.ActorID = id
	return c
}

func countsByLogin(es []lbEntry) map[string]uint64 {
	out := map[string]uint64{}
	for _, e := range es {
		for _, n := range e.Counts {
			out[e.Login] += n
		}
	}
	return out
}

func TestRosterDrivesLeaderboards(t *testing.T) {
	dsn := lbMigratedDB(t)
	const repo = "aws-samples/demo"
	kenjiMail := contrib.Contribution{Kind: contrib.Commit, Key: "1@abc", ActorID: emailID("kenji@work.example"),
		RepoID: 9, RepoName: repo, Org: "aws-samples", Via: contrib.ViaGraphQL}
	kenjiMail.CreatedAt = lbC(t, contrib.Commit, "x", repo, "2024-04-02T10:00:00Z").CreatedAt
	lbInsert(t, dsn,
		withID(lbC(t, contrib.PROpened, "ana-ferreira-dev", repo, "2021-06-01T10:00:00Z"), 5830001), // CB Serverless time
		withID(lbC(t, contrib.PROpened, "ana-ferreira-dev", repo, "2023-06-01T10:00:00Z"), 5830001), // Hero time
		lbC(t, contrib.IssueOpened, "ana-ferreira", repo, "2023-07-01T10:00:00Z"),                   // her old account
		lbC(t, contrib.PRReview, "kwatanabe", repo, "2023-06-01T10:00:00Z"),
		kenjiMail,
		lbC(t, contrib.Commit, "dmorales", repo, "2023-05-01T10:00:00Z"),
		lbC(t, contrib.Commit, "abbot", repo, "2023-05-01T10:00:00Z"),
		lbC(t, contrib.Commit, "ci-helper-bot", repo, "2023-05-01T10:00:00Z"),
		lbC(t, contrib.Commit, "release-helper-ci", repo, "2023-05-01T10:00:00Z"),
		lbC(t, contrib.Commit, "outsider", repo, "2023-05-01T10:00:00Z"),
		// amara's roster entry has her GitHub id: her login under another id
		// (its owner before her) is not her.
		withID(lbC(t, contrib.PROpened, "amara-builds", repo, "2024-10-01T10:00:00Z"), 7011001),
		withID(lbC(t, contrib.PROpened, "amara-builds", repo, "2016-10-01T10:00:00Z"), 424242),
	)
	files := []string{"../../examples/roster.yaml", "../../examples/identities.yaml"}
	if code, out, stderr := lbRun(t, append([]string{"roster", "lint"}, files...)...); code != 0 || !strings.Contains(out, "ok: 4 members") {
		t.Fatalf("lint the example: exit %d\n%s%s", code, out, stderr)
	}
	if code, out, stderr := lbRun(t, append([]string{"--clickhouse", dsn, "roster", "import"}, files...)...); code != 0 {
		t.Fatalf("import: exit %d\n%s%s", code, out, stderr)
	}
	// A configured broad pattern catches ci-helper-bot and abbot; the roster
	// says abbot is a person and release-helper-ci is a bot.
	cfg := []string{"--config", lbConfigFile(t, "bots:\n  patterns: [\"*bot\"]\n")}
	all := countsByLogin(lbJSON(t, dsn, cfg, "--from", "2020-01-01", "--to", "2026-01-01"))
	want := map[string]uint64{"ana-ferreira-dev": 3, "kwatanabe": 2, "(hidden)": 1, "abbot": 1, "outsider": 1}
	if got := countsByLogin(lbJSON(t, dsn, cfg, "--from", "2016-01-01", "--to", "2017-01-01", "--region", "EMEA")); len(got) != 0 {
		t.Errorf("2016, the login's earlier owner: %v; want them not taken for amara (EMEA)", got)
	}
	if got := countsByLogin(lbJSON(t, dsn, cfg, "--from", "2024-01-01", "--to", "2025-01-01", "--program", "AWS-Student-Builder-Groups")); got["amara-builds"] != 1 || len(got) != 1 {
		t.Errorf("amara's student group time (program named in another case): %v", got)
	}
	for login, n := range want {
		if all[login] != n {
			t.Errorf("%s: %d contributions, want %d (all: %v)", login, all[login], n, all)
		}
	}
	for _, gone := range []string{"dmorales", "ci-helper-bot", "release-helper-ci", "ana-ferreira"} {
		if _, ok := all[gone]; ok {
			t.Errorf("%s is on the leaderboard: %v", gone, all)
		}
	}

	tests := []struct {
		name string
		args []string
		want map[string]uint64
	}{
		{"heroes count from their start", []string{"--program", "aws-heroes"}, map[string]uint64{"ana-ferreira-dev": 2}},
		{"a category in a period", []string{"--program", "aws-community-builders", "--category", "serverless"}, map[string]uint64{"ana-ferreira-dev": 1}},
		{"builders in any category", []string{"--program", "aws-community-builders"}, map[string]uint64{"ana-ferreira-dev": 1, "kwatanabe": 2}},
		{"a region", []string{"--region", "APJ"}, map[string]uint64{"kwatanabe": 2}},
		{"a group", []string{"--program", "aws-user-group-leaders", "--group", "AWS User Group Lisbon"}, map[string]uint64{"ana-ferreira-dev": 3}},
		{"nobody else", []string{"--program", "aws-student-builder-groups", "--from", "2020-01-01", "--to", "2024-09-01"}, map[string]uint64{}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := countsByLogin(lbJSON(t, dsn, cfg, append([]string{"--from", "2020-01-01", "--to", "2026-01-01"}, tc.args...)...))
			if len(got) != len(tc.want) {
				t.Errorf("got %v, want %v", got, tc.want)
			}
			for l, n := range tc.want {
				if got[l] != n {
					t.Errorf("%s: %d, want %d (got %v)", l, got[l], n, got)
				}
			}
		})
	}

	// A roster with a problem changes nothing.
	bad := lbConfigFile(t, "members:\n  - name: X\n    github: [x]\n    memberships:\n      - program: nope\n        from: 2020-01-01\n")
	code, _, stderr := lbRun(t, "--clickhouse", dsn, "roster", "import", bad)
	if code != 1 || !strings.Contains(stderr, ":5: memberships[0].program: unknown program") || !strings.Contains(stderr, "nothing was changed") {
		t.Errorf("bad import: exit %d, stderr:\n%s", code, stderr)
	}
	if got := countsByLogin(lbJSON(t, dsn, cfg, "--from", "2020-01-01", "--to", "2026-01-01", "--region", "APJ")); got["kwatanabe"] != 2 {
		t.Errorf("after a failed import the previous roster is gone: %v", got)
	}

	// roster who explains an identity, and never prints an email back.
	code, out, stderr := lbRun(t, "--clickhouse", dsn, "roster", "who", "ana-ferreira")
	if code != 0 || !strings.Contains(out, "member ana-ferreira-dev (Ana Ferreira), found by login") ||
		!strings.Contains(out, "aws-heroes Serverless: 2022-03-01 to ongoing") {
		t.Errorf("who ana-ferreira: exit %d\n%s%s", code, out, stderr)
	}
	code, out, _ = lbRun(t, "--clickhouse", dsn, "roster", "who", "Kenji@Work.example")
	if code != 0 || !strings.Contains(out, "member kwatanabe (Kenji Watanabe), found by email") || strings.Contains(strings.ToLower(out), "kenji@work.example") ||
		!strings.Contains(out, "commit 1") {
		t.Errorf("who kenji's email: exit %d\n%s", code, out)
	}
	// An opt-out by a member's other login, or by their GitHub id, hides
	// the member too.
	optOut := lbConfigFile(t, "opt_out: [kenji-w-old, \"7011001\"]\n")
	if code, _, stderr := lbRun(t, "--clickhouse", dsn, "roster", "import", optOut); code != 2 || !strings.Contains(stderr, "--allow-empty") {
		t.Errorf("importing files without members: exit %d, %s; want a refusal", code, stderr)
	}
	if code, out, stderr := lbRun(t, "--clickhouse", dsn, "roster", "import", "../../examples/roster.yaml", optOut); code != 0 {
		t.Fatalf("import with opt-outs: %s%s", out, stderr)
	}
	hidden := countsByLogin(lbJSON(t, dsn, cfg, "--from", "2020-01-01", "--to", "2026-01-01"))
	if _, ok := hidden["kwatanabe"]; ok || hidden["(hidden)"] < 2 {
		t.Errorf("opt-outs by another login and by id: %v; want kwatanabe and amara hidden", hidden)
	}
	if _, ok := hidden["amara-builds"]; ok {
		t.Errorf("amara, opted out by id, is shown: %v", hidden)
	}
	if code, out, stderr := lbRun(t, append([]string{"--clickhouse", dsn, "roster", "import"}, files...)...); code != 0 {
		t.Fatalf("re-import: %s%s", out, stderr)
	}
	if _, out, _ := lbRun(t, "--clickhouse", dsn, "roster", "who", "dmorales"); !strings.Contains(out, "flags: opt_out") {
		t.Errorf("who dmorales: %s", out)
	}

	// Unclaimed commit emails are listed for claiming; claimed ones are not.
	stranger := contrib.Contribution{Kind: contrib.Commit, Key: "1@def", ActorID: emailID("dev@corp.example"),
		RepoID: 9, RepoName: repo, Org: "aws-samples", Via: contrib.ViaGraphQL, EmailDomain: "corp.example", CreatedAt: kenjiMail.CreatedAt}
	lbInsert(t, dsn, stranger)
	code, out, stderr = lbRun(t, "--clickhouse", dsn, "roster", "unclaimed", "--from", "2020-01-01", "--to", "2026-01-01")
	if code != 0 || !strings.Contains(out, contrib.EmailLabel(stranger.ActorID)) || !strings.Contains(out, "corp.example") ||
		strings.Contains(out, contrib.EmailLabel(kenjiMail.ActorID)) {
		t.Errorf("unclaimed: exit %d\n%s%s", code, out, stderr)
	}
}

func TestRosterFiltersNeedARoster(t *testing.T) {
	dsn := lbMigratedDB(t)
	code, _, stderr := lbLeaderboard(t, dsn, nil, "--from", "2020-01-01", "--to", "2021-01-01", "--program", "aws-heroes")
	if code == 0 || !strings.Contains(stderr, "roster import") {
		t.Errorf("exit %d, stderr %q: want a hint to import a roster", code, stderr)
	}
}

// Affiliations split contributions into vendor staff, the community and
// others, by dated member affiliation first, then by commit email domain.
func TestAffiliationsAndShare(t *testing.T) {
	dsn := lbMigratedDB(t)
	const repo = "aws-samples/demo"
	awsCommit := contrib.Contribution{Kind: contrib.Commit, Key: "9@aaa", ActorID: emailID("someone@amazon.com"),
		RepoID: 9, RepoName: repo, Org: "aws-samples", Via: contrib.ViaGraphQL, EmailDomain: "amazon.com"}
	awsCommit.CreatedAt = lbC(t, contrib.Commit, "x", repo, "2024-09-01T10:00:00Z").CreatedAt
	lbInsert(t, dsn,
		withID(lbC(t, contrib.PROpened, "ana-ferreira-dev", repo, "2023-06-01T10:00:00Z"), 5830001), // community
		withID(lbC(t, contrib.PROpened, "ana-ferreira-dev", repo, "2024-08-01T10:00:00Z"), 5830001), // AWS staff from 2024-07-01
		lbC(t, contrib.PRReview, "kwatanabe", repo, "2024-06-01T10:00:00Z"),                         // independent: community
		awsCommit, // nobody's, but an amazon.com email: vendor
		lbC(t, contrib.Commit, "outsider", repo, "2024-05-01T10:00:00Z"),
		lbC(t, contrib.Commit, "outsider", repo, "2024-05-02T10:00:00Z"),
	)
	if code, out, stderr := lbRun(t, "--clickhouse", dsn, "roster", "import", "../../examples/roster.yaml", "../../examples/identities.yaml"); code != 0 {
		t.Fatalf("import: %s%s", out, stderr)
	}
	period := []string{"--from", "2023-01-01", "--to", "2025-01-01"}
	code, out, stderr := lbRun(t, append([]string{"--clickhouse", dsn, "share", "--format", "json"}, period...)...)
	if code != 0 {
		t.Fatalf("share: exit %d: %s", code, stderr)
	}
	var classes []struct {
		Class         string  `json:"group"`
		Contributions uint64  `json:"contributions"`
		Share         float64 `json:"share"`
		People        uint64  `json:"people"`
	}
	if err := json.Unmarshal([]byte(out), &classes); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	want := map[string][2]uint64{"community": {2, 2}, "vendor": {2, 2}, "other": {2, 1}}
	var total uint64
	for _, c := range classes {
		if w := want[c.Class]; c.Contributions != w[0] || c.People != w[1] {
			t.Errorf("%s: %d contributions by %d people, want %d by %d", c.Class, c.Contributions, c.People, w[0], w[1])
		}
		total += c.Contributions
	}
	if len(classes) != 3 || classes[0].Class != "community" || classes[0].Share != 0.3333 {
		t.Errorf("classes %+v: want community first with a third", classes)
	}
	// The same split as the leaderboard's.
	var lbTotal uint64
	for _, n := range countsByLogin(lbJSON(t, dsn, nil, period...)) {
		lbTotal += n
	}
	if lbTotal != total {
		t.Errorf("share counts %d contributions, the leaderboard %d", total, lbTotal)
	}
	vendor := countsByLogin(lbJSON(t, dsn, nil, append(period, "--affiliation", "vendor")...))
	if vendor["ana-ferreira-dev"] != 1 || len(vendor) != 2 {
		t.Errorf("vendor staff: %v, want ana's 2024-08 contribution and the amazon.com commit", vendor)
	}
	if code, _, _ := lbLeaderboard(t, dsn, nil, append(period, "--affiliation", "staff")...); code != 2 {
		t.Errorf("--affiliation staff: exit %d, want 2", code)
	}
}

// Without a configured key, a random one is created in the data directory
// once and reused; email identities depend on it.
func TestEmailKeyFile(t *testing.T) {
	dir := t.TempDir()
	cfg := lbConfigFile(t, "data_dir: "+dir+"\n")
	f1 := &factory{stdout: io.Discard, stderr: io.Discard, getenv: func(string) string { return "" }, configPath: cfg, log: slog.New(slog.DiscardHandler)}
	k1, err := f1.emailKey()
	if err != nil {
		t.Fatal(err)
	}
	f2 := &factory{stdout: io.Discard, stderr: io.Discard, getenv: func(string) string { return "" }, configPath: cfg, log: slog.New(slog.DiscardHandler)}
	k2, err := f2.emailKey()
	if err != nil {
		t.Fatal(err)
	}
	if len(k1) < 32 || string(k1) != string(k2) {
		t.Errorf("keys %q and %q: want one random key, reused", k1, k2)
	}
	st, err := os.Stat(filepath.Join(dir, "email.key"))
	if err != nil || st.Mode().Perm() != 0o600 {
		t.Errorf("key file: %v, %v; want mode 0600", st, err)
	}
	f3 := &factory{stdout: io.Discard, stderr: io.Discard, configPath: cfg, log: slog.New(slog.DiscardHandler),
		getenv: func(n string) string {
			if n == "CONTRIBTRACK_EMAIL_KEY" {
				return "a-configured-secret-key"
			}
			return ""
		}}
	if k3, err := f3.emailKey(); err != nil || string(k3) != "a-configured-secret-key" {
		t.Errorf("configured key: %q, %v", k3, err)
	}
}

// GH Archive import keeps roster members' events in any repository, and
// no one else's outside the configured orgs.
func TestImportKeepsMembersEverywhere(t *testing.T) {
	dsn := lbMigratedDB(t)
	if code, out, stderr := lbRun(t, "--clickhouse", dsn, "roster", "import", "../../examples/roster.yaml", "../../examples/identities.yaml"); code != 0 {
		t.Fatalf("import roster: %s%s", out, stderr)
	}
	hour := filepath.Join(t.TempDir(), "2024-05-01-10.json")
	events := `{"id":"1","type":"IssuesEvent","actor":{"id":101,"login":"ana-ferreira-dev"},"repo":{"id":7,"name":"someone/elsewhere"},"payload":{"action":"opened","issue":{"number":3}},"public":true,"created_at":"2024-05-01T10:00:00Z"}
{"id":"2","type":"IssuesEvent","actor":{"id":102,"login":"outsider"},"repo":{"id":8,"name":"someone/else"},"payload":{"action":"opened","issue":{"number":4}},"public":true,"created_at":"2024-05-01T10:05:00Z"}
`
	if err := os.WriteFile(hour, []byte(events), 0o600); err != nil {
		t.Fatal(err)
	}
	cfg := []string{"--config", lbConfigFile(t, "orgs: [aws-samples]\n")}
	if code, out, stderr := lbRun(t, append([]string{"--clickhouse", dsn}, append(cfg, "import", "gharchive", hour)...)...); code != 0 {
		t.Fatalf("import: exit %d\n%s%s", code, out, stderr)
	}
	got := countsByLogin(lbJSON(t, dsn, cfg, "--from", "2024-05-01", "--to", "2024-05-02"))
	if got["ana-ferreira-dev"] != 1 || len(got) != 1 {
		t.Errorf("imported %v, want ana's issue only", got)
	}
}

// A process with another email key is refused: its identities would never
// match the stored ones.
func TestAnotherEmailKeyIsRefused(t *testing.T) {
	dsn := lbMigratedDB(t)
	if code, out, stderr := lbRun(t, "--clickhouse", dsn, "roster", "import", "../../examples/roster.yaml"); code != 0 {
		t.Fatalf("import: %s%s", out, stderr)
	}
	other := func(n string) string {
		if n == "CONTRIBTRACK_EMAIL_KEY" {
			return "a-different-secret-key"
		}
		return ""
	}
	var out, errOut bytes.Buffer
	code := Main([]string{"--clickhouse", dsn, "roster", "who", "ana@ferreira.example"}, &out, &errOut, other)
	if code == 0 || !strings.Contains(errOut.String(), "derived with another key") || strings.Contains(errOut.String(), "a-different-secret-key") {
		t.Errorf("exit %d, stderr %q: want a refusal that does not show the key", code, errOut.String())
	}
	if code, out, _ := lbRun(t, "--clickhouse", dsn, "roster", "who", "ana@ferreira.example"); code != 0 || !strings.Contains(out, "found by email") {
		t.Errorf("the right key: exit %d\n%s", code, out)
	}
}

// share --by groups contributions by what their authors held at the time.
func TestShareByProgramRegionAndGroup(t *testing.T) {
	dsn := lbMigratedDB(t)
	const repo = "aws-samples/demo"
	lbInsert(t, dsn,
		lbC(t, contrib.PROpened, "ana-ferreira-dev", repo, "2021-06-01T10:00:00Z"), // Builder + UG leader
		lbC(t, contrib.PROpened, "ana-ferreira-dev", repo, "2023-06-01T10:00:00Z"), // Hero + UG leader
		lbC(t, contrib.PRReview, "kwatanabe", repo, "2023-06-01T10:00:00Z"),        // Builder (Containers)
		lbC(t, contrib.Commit, "outsider", repo, "2023-05-01T10:00:00Z"),
	)
	if code, out, stderr := lbRun(t, "--clickhouse", dsn, "roster", "import", "../../examples/roster.yaml", "../../examples/identities.yaml"); code != 0 {
		t.Fatalf("import: %s%s", out, stderr)
	}
	get := func(by string) map[string][2]float64 {
		t.Helper()
		code, out, stderr := lbRun(t, "--clickhouse", dsn, "share", "--by", by, "--format", "json", "--from", "2020-01-01", "--to", "2025-01-01")
		if code != 0 {
			t.Fatalf("share --by %s: exit %d: %s", by, code, stderr)
		}
		var rows []struct {
			Group         string  `json:"group"`
			Contributions uint64  `json:"contributions"`
			Share         float64 `json:"share"`
		}
		if err := json.Unmarshal([]byte(out), &rows); err != nil {
			t.Fatalf("%v\n%s", err, out)
		}
		m := map[string][2]float64{}
		for _, r := range rows {
			m[r.Group] = [2]float64{float64(r.Contributions), r.Share}
		}
		return m
	}
	programs := get("program")
	want := map[string][2]float64{"aws-community-builders": {2, 0.5}, "aws-heroes": {1, 0.25}, "aws-user-group-leaders": {2, 0.5}, "(none)": {1, 0.25}}
	for g, w := range want {
		if programs[g] != w {
			t.Errorf("by program %s: %v, want %v (all: %v)", g, programs[g], w, programs)
		}
	}
	regions := get("region")
	if regions["EMEA"][0] != 2 || regions["APJ"][0] != 1 || regions["(none)"][0] != 1 {
		t.Errorf("by region: %v", regions)
	}
	if cats := get("category"); cats["Serverless"][0] != 2 || cats["Containers"][0] != 1 {
		t.Errorf("by category: %v", cats)
	}
	if groups := get("group"); groups["AWS User Group Lisbon"][0] != 2 {
		t.Errorf("by group: %v", groups)
	}
	if code, _, _ := lbRun(t, "--clickhouse", dsn, "share", "--by", "shoe-size", "--from", "2020-01-01", "--to", "2025-01-01"); code != 2 {
		t.Errorf("--by shoe-size: exit %d, want 2", code)
	}
}

// Ties at the --limit cut are decided by the login shown (a member's
// roster login), not by the login the store knows.
func TestTiesAtTheLimitUseTheShownLogin(t *testing.T) {
	dsn := lbMigratedDB(t)
	lbInsert(t, dsn,
		lbC(t, contrib.PROpened, "zzz-old", "o/r", "2024-01-02T10:00:00Z"),
		lbC(t, contrib.PROpened, "bbb", "o/r", "2024-01-02T10:00:00Z"),
	)
	roster := lbConfigFile(t, "members:\n  - name: A\n    github: [aaa-first, zzz-old]\n")
	if code, out, stderr := lbRun(t, "--clickhouse", dsn, "roster", "import", roster); code != 0 {
		t.Fatalf("import: %s%s", out, stderr)
	}
	es := lbJSON(t, dsn, nil, "--from", "2024-01-01", "--to", "2024-02-01", "--limit", "1")
	if len(es) != 1 || es[0].Login != "aaa-first" {
		t.Errorf("top 1 = %+v, want aaa-first (tied with bbb, first by the login shown)", es)
	}
}
