package leaderboard

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"contribtrack/internal/store"
)

// names is a Names with fixed answers.
type names struct {
	orgs, repos, logins []string
	roster              map[string][]string
	members             map[string]uint64
}

func (n names) StoredNames(_ context.Context, what string) ([]string, error) {
	if what == "org" {
		return n.orgs, nil
	}
	return n.repos, nil
}

func (n names) NameStored(_ context.Context, what, name string) (bool, error) {
	list := map[string][]string{"org": n.orgs, "repo": n.repos, "login": n.logins}[what]
	for _, x := range list {
		if strings.EqualFold(x, name) {
			return true, nil
		}
	}
	return false, nil
}

func (n names) RosterNames(context.Context, uint64) (map[string][]string, error) {
	return n.roster, nil
}

func (n names) Identify(_ context.Context, _ uint64, login string) (store.Who, error) {
	return store.Who{MemberID: n.members[strings.ToLower(login)]}, nil
}

func TestCheckNames(t *testing.T) {
	var many []string
	for i := 0; i < 30; i++ {
		many = append(many, fmt.Sprintf("org%02d", i))
	}
	src := names{
		orgs: append([]string{"aws-samples", "awslabs"}, many...), repos: []string{"aws-samples/demo"}, logins: []string{"outsider"},
		roster:  map[string][]string{"program": {"aws-community-builders", "aws-heroes"}, "country": {"Japan"}},
		members: map[string]uint64{"kwatanabe": 7},
	}
	withRoster := Settings{Roster: 1, People: store.RosterPeople{Logins: map[uint64]string{7: "kwatanabe"}}}
	for _, tc := range []struct {
		q    Query
		s    Settings
		want string // "" for no error
	}{
		{Query{Question: store.Question{Org: "AWSLabs"}}, Settings{}, ""},
		{Query{Question: store.Question{Org: "awslab"}}, Settings{}, `unknown org "awslab": did you mean "awslabs"? (32 orgs known, such as aws-samples, awslabs, org00,`},
		{Query{Question: store.Question{Org: "zzz-totally-else"}}, Settings{}, `unknown org "zzz-totally-else" (32 orgs known`},
		{Query{Question: store.Question{Repo: "aws-samples/demo"}}, Settings{}, ""},
		{Query{Question: store.Question{Repo: "nope/nope"}}, Settings{}, `unknown repo "nope/nope" (known repositories: aws-samples/demo)`},
		{Query{Question: store.Question{Program: "AWS-Heroes"}}, withRoster, ""},
		{Query{Question: store.Question{Program: "aws-hero"}}, withRoster, `did you mean "aws-heroes"?`},
		{Query{Question: store.Question{Country: "Japn"}}, withRoster, `unknown country "Japn": did you mean "Japan"? (known countries: Japan)`},
		{Query{Question: store.Question{Region: "EMEA"}}, withRoster, `unknown region "EMEA" (no regions known)`},
		{Query{Question: store.Question{Member: "KWatanabe"}}, withRoster, ""},
		{Query{Question: store.Question{Member: "outsider"}}, withRoster, ""},
		{Query{Question: store.Question{Member: "kwatanab"}}, withRoster, `unknown member "kwatanab": did you mean "kwatanabe"?`},
	} {
		err := CheckNames(context.Background(), src, tc.q, tc.s)
		var un *UnknownNameError
		switch {
		case tc.want == "" && err != nil:
			t.Errorf("%+v: %v, want none", tc.q, err)
		case tc.want != "" && (!errors.As(err, &un) || !strings.Contains(err.Error(), tc.want)):
			t.Errorf("%+v: %v, want an UnknownNameError with %q", tc.q, err, tc.want)
		}
	}
}
