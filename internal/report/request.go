package report

import (
	"fmt"
	"strings"
	"time"

	"contribtrack/internal/contrib"
	"contribtrack/internal/leaderboard"
	"contribtrack/internal/store"
)

// Scope is what a report is about: at most one of its fields is set; none
// means everything tracked.
type Scope struct {
	Org     string
	Repo    string // owner/name
	Project string // a project of the configuration: a set of orgs and repositories
	Program string // a roster program
	Member  string // a login: the roster member who has it, else its account
}

// Kind says which scope is set, and Name its value.
func (s Scope) Kind() string {
	switch {
	case s.Org != "":
		return ScopeOrg
	case s.Repo != "":
		return ScopeRepo
	case s.Project != "":
		return ScopeProject
	case s.Program != "":
		return ScopeProgram
	case s.Member != "":
		return ScopeMember
	}
	return ScopeAll
}

// Name is the scope's value ("" for everything tracked).
func (s Scope) Name() string {
	return s.Org + s.Repo + s.Project + s.Program + s.Member
}

// project reports whether the scope is a set of repositories (not a set of
// people): project-wide measures such as time to merge apply.
func (s Scope) project() bool { return s.Program == "" && s.Member == "" }

// Request is what a report is asked for.
type Request struct {
	Scope
	// Set is the project's orgs and repositories (see ProjectSet), given
	// with Project.
	Set      store.RepoSet
	From, To time.Time // [From, To), UTC days
}

// ProjectSet turns a project's entries from the configuration (orgs and
// owner/name repositories) into a set of repositories.
func ProjectSet(entries []string) store.RepoSet {
	var s store.RepoSet
	for _, e := range entries {
		if strings.Contains(e, "/") {
			s.Repos = append(s.Repos, e)
		} else {
			s.Orgs = append(s.Orgs, e)
		}
	}
	return s
}

// Validate checks the request: the question's own check
// (leaderboard.Query.Validate) for the period and the names, then what a
// report adds. Errors are leaderboard.FieldErrors naming the flag (or API
// parameter) at fault, except for a scope given twice, which names none.
func (r Request) Validate() error {
	set := 0
	for _, v := range []string{r.Org, r.Repo, r.Project, r.Program, r.Member} {
		if v != "" {
			set++
		}
	}
	if set > 1 {
		return fmt.Errorf("give one of org, repo, project, program and member, not several")
	}
	q := leaderboard.Query{Question: store.Question{From: r.From, To: r.To, Org: r.Org, Repo: r.Repo, Member: r.Member, Limit: 1}}
	if err := q.Validate(); err != nil {
		return err
	}
	switch {
	case (r.Project != "") != !r.Set.Empty():
		return &leaderboard.FieldError{Field: "project", Problem: fmt.Sprintf("%q is not a project of the configuration", r.Project)}
	case r.Project != "" && !contrib.ValidProject(r.Project):
		return &leaderboard.FieldError{Field: "project", Problem: fmt.Sprintf("%q is not a project name", r.Project)}
	case len(r.Program) > 200:
		return &leaderboard.FieldError{Field: "program", Problem: "longer than 200 characters"}
	}
	if !dayAligned(r.From) || !dayAligned(r.To) {
		return &leaderboard.FieldError{Field: "from", Problem: "from and to must be whole UTC days"}
	}
	return nil
}

func dayAligned(t time.Time) bool { return t.Equal(t.UTC().Truncate(24 * time.Hour)) }

// Scope kinds, as the JSON form names them.
const (
	ScopeAll     = "all"
	ScopeOrg     = "org"
	ScopeRepo    = "repo"
	ScopeProject = "project"
	ScopeProgram = "program"
	ScopeMember  = "member"
)
