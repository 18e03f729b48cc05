package ingest_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"contribtrack/internal/config"
	"contribtrack/internal/gharchive"
	"contribtrack/internal/leaderboard"
	"contribtrack/internal/store"
)

// behaviourHour writes a GH Archive hour in which svn-replicator (in no
// list, matching no pattern) pushes commits replicated from SVN, and
// ana pushes her own; both to aws/x, the default branch.
func behaviourHour(t *testing.T) string {
	t.Helper()
	var lines []string
	push := func(id int, login string, actor int, msg string, at time.Time) {
		lines = append(lines, fmt.Sprintf(`{"id":"%d","type":"PushEvent","actor":{"id":%d,"login":"%s"},"repo":{"id":7,"name":"aws/x"},`+
			`"payload":{"push_id":%d,"size":1,"ref":"refs/heads/main","commits":[{"sha":"%040x","author":{"email":"a@example.com","name":"Someone"},"message":%q,"distinct":true}]},`+
			`"public":true,"created_at":"%s","org":{"id":1,"login":"aws"}}`, id, actor, login, id, id, msg, at.Format(time.RFC3339)))
	}
	at := time.Date(2024, 3, 4, 12, 0, 0, 0, time.UTC)
	lines = append(lines, `{"id":"1","type":"CreateEvent","actor":{"id":5,"login":"ana"},"repo":{"id":7,"name":"aws/x"},"payload":{"ref":null,"ref_type":"repository","master_branch":"main","description":"x"},"public":true,"created_at":"2024-03-04T11:00:00Z","org":{"id":1,"login":"aws"}}`)
	for i := 0; i < 3; i++ {
		push(10+i, "svn-replicator", 9, fmt.Sprintf("Fix the parser\n\ngit-svn-id: https://svn.example.org/repos/x/trunk@%d 13f79535-47bb-0310-9956-ffa450edef68", 100+i), at.Add(time.Duration(i)*7*time.Minute))
		push(20+i, "ana", 5, fmt.Sprintf("Refactor step %d", i), at.Add(time.Duration(i)*11*time.Minute))
	}
	for i, who := range []string{"svn-replicator", "ana"} {
		lines = append(lines, fmt.Sprintf(`{"id":"%d","type":"IssueCommentEvent","actor":{"id":%d,"login":"%s"},"repo":{"id":7,"name":"aws/x"},`+
			`"payload":{"action":"created","issue":{"number":3,"title":"t"},"comment":{"id":%d,"body":"Synced, see the log.","user":{"login":"%s","id":%d,"type":"User"}}},`+
			`"public":true,"created_at":"2024-03-04T12:40:00Z","org":{"id":1,"login":"aws"}}`, 30+i, 9-4*i, who, 300+i, who, 9-4*i))
	}
	path := filepath.Join(t.TempDir(), "2024-03-04-12.json")
	if err := os.WriteFile(path, []byte(strings.Join(lines, "\n")+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// An import stores what accounts did; an account whose behaviour says
// automation is found, said why, and left out of leaderboards like a
// listed bot, unless it is configured as a human. Importing the hour again
// changes no count.
func TestImportFindsBotsByBehaviour(t *testing.T) {
	ctx := context.Background()
	cfg := config.Default()
	cfg.Orgs = []string{"aws"}
	e := env(t, cfg)
	path := behaviourHour(t)
	for i := 0; i < 2; i++ {
		files, err := e.Files(ctx, []gharchive.Input{gharchive.FileInput(path)}, false, nil)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := e.Sync(ctx, files); err != nil {
			t.Fatal(err)
		}
	}
	found, err := e.Store.DetectedBots(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(found) != 1 || found[0].Login != "svn-replicator" || !slices.Contains(found[0].Because, "mirror") {
		t.Fatalf("bots found by behaviour: %+v, want svn-replicator because of mirror", found)
	}
	ev, err := e.Store.Behaviour(ctx, []string{"SVN-Replicator", "ana"})
	if err != nil {
		t.Fatal(err)
	}
	if len(ev) != 1 || ev[0].Login != "svn-replicator" || ev[0].Signals["mirror"] != 3 {
		t.Errorf("stored behaviour after importing the hour twice: %+v; want svn-replicator's 3 mirrored pushes once, nothing of ana", ev)
	}

	board := func(rules leaderboard.Rules) []string {
		t.Helper()
		s, err := leaderboard.LoadSettings(ctx, e.Store, rules)
		if err != nil {
			t.Fatal(err)
		}
		entries, err := leaderboard.Compute(ctx, e.Store, leaderboard.Query{Question: store.Question{
			From: time.Date(2024, 3, 1, 0, 0, 0, 0, time.UTC), To: time.Date(2024, 4, 1, 0, 0, 0, 0, time.UTC), Limit: 10}}, s)
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, en := range entries {
			out = append(out, en.Login)
		}
		return out
	}
	// (The mirrored commits count for their authors' email identities.)
	if got := board(leaderboard.Configured(cfg)); slices.Contains(got, "svn-replicator") || !slices.Contains(got, "ana") {
		t.Errorf("leaderboard %v, want ana and not svn-replicator, a bot by behaviour", got)
	}
	human := config.Default()
	human.Bots.Humans = []string{"svn-replicator"}
	if got := board(leaderboard.Configured(human)); !slices.Contains(got, "svn-replicator") {
		t.Errorf("leaderboard %v: a configured human stays a person whatever the behaviour", got)
	}
	// The same hour, gzipped elsewhere, is the same unit; imported without
	// the mirrored pushes, it takes back what it said: svn-replicator is
	// judged again and cleared.
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var kept []string
	for _, line := range strings.Split(strings.TrimSpace(string(data)), "\n") {
		if !strings.Contains(line, "git-svn-id") {
			kept = append(kept, line)
		}
	}
	again := filepath.Join(t.TempDir(), "2024-03-04-12.json.gz")
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	zw.Write([]byte(strings.Join(kept, "\n") + "\n"))
	zw.Close()
	if err := os.WriteFile(again, gz.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	files, err := e.Files(ctx, []gharchive.Input{gharchive.FileInput(again)}, false, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.Sync(ctx, files); err != nil {
		t.Fatal(err)
	}
	if found, err := e.Store.DetectedBots(ctx); err != nil || len(found) != 0 {
		t.Errorf("after the hour was imported again without the mirrored pushes: bots %+v (%v), want none", found, err)
	}
}
