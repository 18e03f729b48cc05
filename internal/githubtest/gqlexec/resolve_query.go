package gqlexec

import (
	"fmt"
	"strings"
	"time"

	"contribtrack/internal/githubtest/ghdata"
)

// Query fields, accounts (the Actor interface: User, Bot, Organization)
// and RateLimit.

type rateLimitObj struct {
	rl          RateLimit
	cost, nodes int
}

func (*rateLimitObj) gqlType() string { return "RateLimit" }

func registerQuery(reg map[string]resolver) {
	on(reg, "Query", map[string]func(*run, queryRoot, args) (any, error){
		"repository": func(x *run, _ queryRoot, a args) (any, error) {
			owner, name := a.str("owner"), a.str("name")
			if r := x.e.ds.Repo(owner, name); r != nil {
				return r, nil
			}
			return nil, errorf("NOT_FOUND", "Could not resolve to a Repository with the name '%s/%s'.", owner, name)
		},
		"organization": func(x *run, _ queryRoot, a args) (any, error) {
			login := a.str("login")
			if u := x.e.ds.Account(login); u != nil && u.Type == "Organization" {
				return u, nil
			}
			return nil, errorf("NOT_FOUND", "Could not resolve to an Organization with the login of '%s'.", login)
		},
		"user": func(x *run, _ queryRoot, a args) (any, error) {
			login := a.str("login")
			if u := x.e.ds.Account(login); u != nil && u.Type == "User" {
				return u, nil
			}
			return nil, errorf("NOT_FOUND", "Could not resolve to a User with the login of '%s'.", login)
		},
		"repositoryOwner": func(x *run, _ queryRoot, a args) (any, error) {
			if u := x.e.ds.Account(a.str("login")); u != nil && u.Type != "Bot" {
				return u, nil
			}
			return nil, nil
		},
		"rateLimit": func(x *run, _ queryRoot, _ args) (any, error) {
			cost := x.rl.Cost // what the server charged, when it says
			if cost == 0 {
				cost = x.p.cost
			}
			return &rateLimitObj{rl: x.rl, cost: cost, nodes: x.p.nodeCount}, nil
		},
	})
	on(reg, "RateLimit", map[string]func(*run, *rateLimitObj, args) (any, error){
		"cost":      plain(func(r *rateLimitObj) any { return r.cost }),
		"limit":     plain(func(r *rateLimitObj) any { return r.rl.Limit }),
		"remaining": plain(func(r *rateLimitObj) any { return r.rl.Remaining }),
		"used":      plain(func(r *rateLimitObj) any { return r.rl.Used }),
		"resetAt":   plain(func(r *rateLimitObj) any { return r.rl.ResetAt }),
		"nodeCount": plain(func(r *rateLimitObj) any { return r.nodes }),
	})
	for _, typ := range []string{"User", "Bot", "Organization"} {
		on(reg, typ, actorFields())
	}
	on(reg, "User", map[string]func(*run, *ghdata.User, args) (any, error){
		"name":         plain(func(u *ghdata.User) any { return u.Name }),
		"email":        plain(func(u *ghdata.User) any { return publicEmail(u) }),
		"repositories": ownedRepositories,
	})
	on(reg, "Organization", map[string]func(*run, *ghdata.User, args) (any, error){
		"name":         plain(func(u *ghdata.User) any { return u.Name }),
		"email":        plain(func(u *ghdata.User) any { return nil }),
		"repositories": ownedRepositories,
	})
}

// actorFields are the fields User, Bot and Organization share.
func actorFields() map[string]func(*run, *ghdata.User, args) (any, error) {
	return map[string]func(*run, *ghdata.User, args) (any, error){
		"login":      plain(func(u *ghdata.User) any { return graphqlLogin(u) }),
		"databaseId": plain(func(u *ghdata.User) any { return u.ID }),
		"id":         plain(func(u *ghdata.User) any { return u.NodeID }),
		"createdAt":  plain(func(u *ghdata.User) any { return u.CreatedAt }),
		"url": plain(func(u *ghdata.User) any {
			if u.IsBot() {
				return "https://github.com/apps/" + graphqlLogin(u)
			}
			return "https://github.com/" + u.Login
		}),
		"avatarUrl": func(_ *run, u *ghdata.User, a args) (any, error) {
			kind := "u"
			if u.IsBot() {
				kind = "in"
			}
			url := fmt.Sprintf("https://avatars.githubusercontent.com/%s/%d?v=4", kind, u.ID)
			if n, ok := a.integer("size"); ok {
				url += fmt.Sprintf("&s=%d", n)
			}
			return url, nil
		},
	}
}

// graphqlLogin is an account's login as GraphQL spells it: GitHub's REST
// API calls the Dependabot app "dependabot[bot]", its GraphQL API (Bot.login)
// "dependabot".
func graphqlLogin(u *ghdata.User) string {
	if u.IsBot() {
		return strings.TrimSuffix(u.Login, "[bot]")
	}
	return u.Login
}

// publicEmail is User.email: the public profile email, "" when hidden.
func publicEmail(u *ghdata.User) string {
	if strings.HasSuffix(u.Email, "@users.noreply.github.com") {
		return ""
	}
	return u.Email
}

// actor returns an author-like account, nil (JSON null) when unknown.
func actor(u *ghdata.User) any {
	if u == nil {
		return nil
	}
	return u
}

// userOnly returns u when GitHub would answer it for a field of type User
// (GitActor.user, Release.author): bots and organisations are not Users.
func userOnly(u *ghdata.User) any {
	if u == nil || u.Type != "User" {
		return nil
	}
	return u
}

// timeOrNil is a nullable DateTime: null for the zero time.
func timeOrNil(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return t
}

// ownedRepositories is Organization.repositories and User.repositories.
func ownedRepositories(x *run, u *ghdata.User, a args) (any, error) {
	if err := a.unsupported("repositories", "hasIssuesEnabled", "isLocked"); err != nil {
		return nil, err
	}
	var repos []*ghdata.Repo
	private := a.str("privacy") == "PRIVATE" || a.str("visibility") == "PRIVATE" || a.str("visibility") == "INTERNAL"
	fork, filterFork := a.boolean("isFork")
	archived, filterArchived := a.boolean("isArchived")
	for _, r := range x.e.ds.OrgRepos(u.Login) {
		if private || (filterFork && r.Fork != fork) || (filterArchived && r.Archived != archived) {
			continue
		}
		repos = append(repos, r)
	}
	key := func(r *ghdata.Repo) ckey { return ckey{ID: r.ID} }
	field, desc, _ := a.order()
	switch field {
	case "NAME":
		key = func(r *ghdata.Repo) ckey { return ckey{S: strings.ToLower(r.Name), ID: r.ID} }
	case "CREATED_AT":
		key = func(r *ghdata.Repo) ckey { return tkey(r.CreatedAt, r.ID) }
	case "UPDATED_AT":
		key = func(r *ghdata.Repo) ckey { return tkey(r.UpdatedAt, r.ID) }
	case "PUSHED_AT":
		key = func(r *ghdata.Repo) ckey { return tkey(r.PushedAt, r.ID) }
	case "STARGAZERS":
		key = func(r *ghdata.Repo) ckey { return ckey{N: int64(len(r.Stars)), ID: r.ID} }
	}
	return paginate(a, "repositories", "RepositoryConnection", repos, key, desc, func(r *ghdata.Repo) any { return r })
}
