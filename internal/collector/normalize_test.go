package collector

import (
	"testing"
	"time"

	"contribtrack/internal/contrib"
)

func TestCommitAuthor(t *testing.T) {
	tests := []struct {
		name      string
		uid       int64
		login     string
		email     string
		wantID    uint64
		wantLogin string
		ok        bool
	}{
		{"linked account", 42, "maria", "maria@example.com", 42, "maria", true},
		{"bot noreply", 0, "", "49699333+dependabot[bot]@users.noreply.github.com", 49699333, "dependabot[bot]", true},
		{"person noreply", 0, "", "1234+Aiko@users.noreply.github.com", 1234, "aiko", true},
		{"old noreply without id", 0, "", "aiko@users.noreply.github.com", contrib.EmailActorID("aiko@users.noreply.github.com"), "", true},
		{"unlinked email", 0, "", "dev@corp.example", contrib.EmailActorID("dev@corp.example"), "", true},
		{"no email", 0, "", " ", 0, "", false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			w, ok := commitAuthor(tc.uid, tc.login, tc.email, nil)
			if ok != tc.ok || w.id != tc.wantID || w.login != tc.wantLogin {
				t.Errorf("commitAuthor = %+v, %v; want id %d login %q ok %v", w, ok, tc.wantID, tc.wantLogin, tc.ok)
			}
		})
	}
}

func TestFromActor(t *testing.T) {
	bot := &actor{Typename: "Bot", Login: "dependabot"}
	bot.Bot.DatabaseID = 49699333
	user := &actor{Typename: "User", Login: "maria"}
	user.User.DatabaseID = 7
	org := &actor{Typename: "Organization", Login: "aws"}
	tests := []struct {
		name  string
		a     *actor
		id    uint64
		login string
		ok    bool
	}{
		{"user", user, 7, "maria", true},
		{"bot gets the [bot] suffix REST shows", bot, 49699333, "dependabot[bot]", true},
		{"organization", org, contrib.LoginActorID("aws"), "aws", true},
		{"deleted account", nil, 0, "", false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			w, ok := fromActor(tc.a)
			if ok != tc.ok || w.id != tc.id || w.login != tc.login {
				t.Errorf("fromActor = %+v, %v; want %d %q %v", w, ok, tc.id, tc.login, tc.ok)
			}
		})
	}
}

func TestAdvanceKeepsAWatermarkBehindTheSync(t *testing.T) {
	t0 := time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC)
	r := &repoSync{t0: t0}
	old := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	tests := []struct {
		name      string
		old, seen time.Time
		want      string
	}{
		{"latest update seen", old, time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC), "2026-06-01T00:00:00Z"},
		{"updates during the sync are fetched again", old, t0.Add(-time.Minute), "2026-11-26T11:50:00Z"},
		{"never goes back", old, time.Time{}, "2026-01-01T00:00:00Z"},
		{"nothing yet", time.Time{}, time.Time{}, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := r.advance(tc.old, tc.seen); got != tc.want {
				t.Errorf("advance = %q, want %q", got, tc.want)
			}
		})
	}
	if _, err := watermark("yesterday"); err == nil {
		t.Errorf("a bad cursor was accepted")
	}
}

func TestNumberFromURL(t *testing.T) {
	tests := []struct {
		url, collection string
		want            int64
	}{
		{"https://api.github.com/repos/octocat/Hello-World/issues/1347", "issues", 1347},
		{"https://ghe.example.com/api/v3/repos/o/r/pulls/12", "pulls", 12},
		{"https://api.github.com/repos/o/r/pulls/12/", "pulls", 12},
		{"https://api.github.com/repos/o/r/issues/7?x=1", "issues", 7},
		{"https://api.github.com/repos/o/r/issues/7#frag", "issues", 7},
		{"https://api.github.com/repos/o/r/pulls/12", "issues", 0}, // another collection
		{"https://api.github.com/repos/o/r/issues/comments/5", "issues", 0},
		{"https://api.github.com/repos/o/r/issues/+5", "issues", 0},
		{"https://api.github.com/repos/o/r/issues/-5", "issues", 0},
		{"https://api.github.com/repos/o/r/issues/0", "issues", 0},
		{"https://api.github.com/repos/o/r/issues/12x", "issues", 0},
		{"https://api.github.com/repos/o/r/issues/99999999999999999999", "issues", 0},
		{"https://api.github.com/repos/o/r/issues/", "issues", 0},
		{"/issues/3", "issues", 3},
		{"issues/3", "issues", 0},
		{"", "issues", 0},
	}
	for _, tc := range tests {
		if got := numberFromURL(tc.url, tc.collection); got != tc.want {
			t.Errorf("numberFromURL(%q, %q) = %d, want %d", tc.url, tc.collection, got, tc.want)
		}
	}
}
