package collector

import (
	"strconv"
	"strings"
	"time"

	"github.com/google/go-github/v60/github"
	"github.com/shurcooL/githubv4"

	"contribtrack/internal/contrib"
)

// who is a contribution's actor: GitHub's user id and login.
type who struct {
	id    uint64
	login string
}

// fromActor reads a GraphQL Actor. GitHub's GraphQL API gives a bot's
// login without the "[bot]" suffix that REST and GH Archive show; it is
// added so that one bot has one login everywhere.
func fromActor(a *actor) (who, bool) {
	if a == nil || a.Login == "" {
		return who{}, false // a deleted account ("ghost")
	}
	switch a.Typename {
	case "User":
		return who{uint64(a.User.DatabaseID), a.Login}, a.User.DatabaseID > 0
	case "Bot":
		login := a.Login
		if !strings.HasSuffix(login, "[bot]") {
			login += "[bot]"
		}
		return who{uint64(a.Bot.DatabaseID), login}, a.Bot.DatabaseID > 0
	}
	// Organizations, mannequins: no id asked for; derive one from the login.
	return who{contrib.LoginActorID(a.Login), a.Login}, true
}

// fromUser reads a REST user.
func fromUser(u *github.User) (who, bool) {
	if u == nil || u.GetID() == 0 {
		return who{}, false
	}
	return who{uint64(u.GetID()), u.GetLogin()}, true
}

// commitAuthor credits a commit: the account GitHub links to it; else the
// account named by a GitHub noreply address ("<id>+<login>@users.noreply.
// github.com", which bots and people hiding their email commit with);
// else an identity derived from the email, never stored in clear.
func commitAuthor(userID int64, login, email string, key contrib.EmailKey) (who, bool) {
	if userID > 0 {
		return who{uint64(userID), login}, true
	}
	if id, l, ok := parseNoreply(email); ok {
		return who{uint64(id), l}, true
	}
	if strings.TrimSpace(email) == "" {
		return who{}, false
	}
	return who{id: key.ActorID(email)}, true
}

// parseNoreply reads GitHub's "<id>+<login>@users.noreply.github.com".
func parseNoreply(email string) (int64, string, bool) {
	local, ok := strings.CutSuffix(strings.ToLower(strings.TrimSpace(email)), "@users.noreply.github.com")
	if !ok {
		return 0, "", false
	}
	idText, login, ok := strings.Cut(local, "+")
	if !ok || login == "" {
		return 0, "", false
	}
	id, err := strconv.ParseInt(idText, 10, 64)
	if err != nil || id <= 0 {
		return 0, "", false
	}
	return id, login, true
}

// make builds a contribution of repository r. number is the issue or pull
// request it belongs to (contrib.Contribution.Number), 0 for none.
func (r *repoSync) make(k contrib.Kind, key string, number int64, w who, at time.Time, src contrib.Via) contrib.Contribution {
	return contrib.Contribution{Kind: k, Key: key, CreatedAt: at.UTC().Truncate(time.Second), ActorID: w.id,
		ActorLogin: w.login, RepoID: uint64(r.probe.DatabaseID), RepoName: r.probe.NameWithOwner,
		Org: contrib.OrgOf(r.probe.NameWithOwner), Via: src, Number: number}
}

// numberFromURL reads the number at the end of a REST URL ".../<collection>/<n>"
// (an issue comment's issue_url, a review comment's pull_request_url); 0 when
// the URL does not end that way.
func numberFromURL(u, collection string) int64 {
	if i := strings.IndexAny(u, "?#"); i >= 0 {
		u = u[:i]
	}
	u = strings.TrimSuffix(u, "/")
	i := strings.LastIndexByte(u, '/')
	if i < 0 || !strings.HasSuffix(u[:i], "/"+collection) {
		return 0
	}
	digits := u[i+1:]
	if digits == "" || digits[0] < '0' || digits[0] > '9' {
		return 0 // ParseInt would accept a sign
	}
	n, err := strconv.ParseInt(digits, 10, 64)
	if err != nil || n <= 0 {
		return 0
	}
	return n
}

func str(s string) githubv4.String { return githubv4.String(s) }

func strPtr(s *string) *githubv4.String {
	if s == nil {
		return nil
	}
	v := githubv4.String(*s)
	return &v
}

func ts(t *githubv4.DateTime) time.Time {
	if t == nil {
		return time.Time{}
	}
	return t.Time
}
