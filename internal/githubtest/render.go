package githubtest

import (
	"crypto/sha1"
	"encoding/hex"
	"fmt"
	"hash/fnv"
	"net/http"
	"net/url"
	"strings"
	"time"

	"contribtrack/internal/githubtest/ghdata"
)

// links builds the absolute URLs inside JSON bodies from the request's
// host, the way GitHub Enterprise Server does: API URLs under /api/v3
// when the request used that prefix, web URLs at the host's root.
type links struct {
	origin string // scheme://host
	api    string // origin plus the API prefix
	web    string
}

func newLinks(r *http.Request, prefix string) links {
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	origin := scheme + "://" + r.Host
	return links{origin: origin, api: origin + prefix, web: origin}
}

// ts renders a time as GitHub does (RFC 3339, UTC, seconds), or null.
func ts(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return t.UTC().Format(time.RFC3339)
}

// fakeSHA is a deterministic 40-hex git object name.
func fakeSHA(parts ...any) string {
	sum := sha1.Sum([]byte(fmt.Sprint(parts...)))
	return hex.EncodeToString(sum[:])
}

func reactions(apiURL string) obj {
	return obj{"url": apiURL + "/reactions", "total_count": 0, "+1": 0, "-1": 0, "laugh": 0, "hooray": 0,
		"confused": 0, "heart": 0, "rocket": 0, "eyes": 0}
}

// user renders an account as GitHub's simple-user object, or null.
func (l links) user(u *ghdata.User) any {
	if u == nil {
		return nil
	}
	api := l.api + "/users/" + url.PathEscape(u.Login)
	html := l.web + "/" + u.Login
	if u.IsBot() {
		html = l.web + "/apps/" + strings.TrimSuffix(u.Login, "[bot]")
	}
	return obj{
		"login": u.Login, "id": u.ID, "node_id": u.NodeID,
		"avatar_url":  fmt.Sprintf("%s/avatars/u/%d?v=4", l.web, u.ID),
		"gravatar_id": "", "url": api, "html_url": html,
		"followers_url":       api + "/followers",
		"following_url":       api + "/following{/other_user}",
		"gists_url":           api + "/gists{/gist_id}",
		"starred_url":         api + "/starred{/owner}{/repo}",
		"subscriptions_url":   api + "/subscriptions",
		"organizations_url":   api + "/orgs",
		"repos_url":           api + "/repos",
		"events_url":          api + "/events{/privacy}",
		"received_events_url": api + "/received_events",
		"type":                u.Type, "user_view_type": "public", "site_admin": false,
	}
}

// fullUser is GET /users/{login}.
func (l links) fullUser(u *ghdata.User, publicRepos int) obj {
	o := l.user(u).(obj)
	var email any
	if u.Email != "" && !strings.HasSuffix(u.Email, "@users.noreply.github.com") {
		email = u.Email
	}
	name := any(u.Name)
	if u.Name == "" {
		name = nil
	}
	for k, v := range (obj{"name": name, "company": nil, "blog": "", "location": nil, "email": email,
		"hireable": nil, "bio": nil, "twitter_username": nil, "public_repos": publicRepos, "public_gists": 0,
		"followers": 0, "following": 0, "created_at": ts(u.CreatedAt), "updated_at": ts(u.CreatedAt)}) {
		o[k] = v
	}
	return o
}

// repoParts is what a repository object is rendered from: a dataset
// repository or a fork of one.
type repoParts struct {
	id                        int64
	nodeID, name, description string
	owner                     *ghdata.User
	fork, archived            bool
	defaultBranch             string
	created, updated, pushed  time.Time
	stars, forks, openIssues  int
	size                      int
}

func partsOf(r *ghdata.Repo) repoParts {
	open := 0
	for _, p := range r.Pulls {
		if p.ClosedAt.IsZero() {
			open++
		}
	}
	for _, is := range r.Issues {
		if is.ClosedAt.IsZero() {
			open++
		}
	}
	return repoParts{id: r.ID, nodeID: r.NodeID, name: r.Name, description: r.Description, owner: r.Owner,
		fork: r.Fork, archived: r.Archived, defaultBranch: r.DefaultBranch, created: r.CreatedAt,
		updated: r.UpdatedAt, pushed: r.PushedAt, stars: len(r.Stars), forks: len(r.Forks), openIssues: open,
		size: 10 * len(r.Commits)}
}

func forkParts(r *ghdata.Repo, f *ghdata.Fork) repoParts {
	return repoParts{id: f.ID, nodeID: f.NodeID, name: f.Name, description: r.Description, owner: f.Owner,
		fork: true, defaultBranch: r.DefaultBranch, created: f.CreatedAt, updated: f.CreatedAt,
		pushed: f.CreatedAt, size: 10 * len(r.Commits)}
}

// repo renders a repository object; full adds what GET /repos/{o}/{r}
// adds to the listing shape.
func (l links) repo(p repoParts, full bool) obj {
	fullName := p.owner.Login + "/" + p.name
	api := l.api + "/repos/" + fullName
	o := obj{
		"id": p.id, "node_id": p.nodeID, "name": p.name, "full_name": fullName, "private": false,
		"owner": l.user(p.owner), "html_url": l.web + "/" + fullName, "description": p.description,
		"fork": p.fork, "url": api,
		"forks_url": api + "/forks", "keys_url": api + "/keys{/key_id}",
		"collaborators_url": api + "/collaborators{/collaborator}", "teams_url": api + "/teams",
		"hooks_url": api + "/hooks", "issue_events_url": api + "/issues/events{/number}",
		"events_url": api + "/events", "assignees_url": api + "/assignees{/user}",
		"branches_url": api + "/branches{/branch}", "tags_url": api + "/tags",
		"blobs_url": api + "/git/blobs{/sha}", "git_tags_url": api + "/git/tags{/sha}",
		"git_refs_url": api + "/git/refs{/sha}", "trees_url": api + "/git/trees{/sha}",
		"statuses_url": api + "/statuses/{sha}", "languages_url": api + "/languages",
		"stargazers_url": api + "/stargazers", "contributors_url": api + "/contributors",
		"subscribers_url": api + "/subscribers", "subscription_url": api + "/subscription",
		"commits_url": api + "/commits{/sha}", "git_commits_url": api + "/git/commits{/sha}",
		"comments_url": api + "/comments{/number}", "issue_comment_url": api + "/issues/comments{/number}",
		"contents_url": api + "/contents/{+path}", "compare_url": api + "/compare/{base}...{head}",
		"merges_url": api + "/merges", "archive_url": api + "/{archive_format}{/ref}",
		"downloads_url": api + "/downloads", "issues_url": api + "/issues{/number}",
		"pulls_url": api + "/pulls{/number}", "milestones_url": api + "/milestones{/number}",
		"notifications_url": api + "/notifications{?since,all,participating}",
		"labels_url":        api + "/labels{/name}", "releases_url": api + "/releases{/id}",
		"deployments_url": api + "/deployments",
		"created_at":      ts(p.created), "updated_at": ts(p.updated), "pushed_at": ts(p.pushed),
		"git_url": "git://" + hostOf(l.web) + "/" + fullName + ".git", "ssh_url": "git@" + hostOf(l.web) + ":" + fullName + ".git",
		"clone_url": l.web + "/" + fullName + ".git", "svn_url": l.web + "/" + fullName,
		"homepage": nil, "size": p.size, "stargazers_count": p.stars, "watchers_count": p.stars,
		"language": "TypeScript", "has_issues": true, "has_projects": true, "has_downloads": true,
		"has_wiki": true, "has_pages": false, "has_discussions": false, "forks_count": p.forks,
		"mirror_url": nil, "archived": p.archived, "disabled": false, "open_issues_count": p.openIssues,
		"license": nil, "allow_forking": true, "is_template": false, "web_commit_signoff_required": false,
		"topics": []string{}, "visibility": "public", "forks": p.forks, "open_issues": p.openIssues,
		"watchers": p.stars, "default_branch": p.defaultBranch,
		"permissions": obj{"admin": false, "maintain": false, "push": false, "triage": false, "pull": true},
	}
	if full {
		o["network_count"] = p.forks
		o["subscribers_count"] = p.stars / 3
		o["temp_clone_token"] = nil
		if p.owner.Type == "Organization" {
			o["organization"] = l.user(p.owner)
		}
	}
	return o
}

func hostOf(origin string) string {
	_, h, _ := strings.Cut(origin, "://")
	return h
}

// labels renders label names as GitHub's label objects (always a list).
func (l links) labels(r *ghdata.Repo, names []string) []obj {
	out := []obj{}
	for _, n := range names {
		out = append(out, obj{
			"id": int64(fnv32(r.FullName() + "/" + n)), "node_id": "LA_" + n, "name": n, "color": "ededed",
			"url":     l.api + "/repos/" + r.FullName() + "/labels/" + url.PathEscape(n),
			"default": false, "description": nil,
		})
	}
	return out
}

func fnv32(s string) uint32 {
	h := fnv.New32a()
	h.Write([]byte(s))
	return h.Sum32()
}
