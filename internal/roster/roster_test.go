package roster

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func write(t *testing.T, name, text string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func day(s string) time.Time {
	d, err := time.Parse("2006-01-02", s)
	if err != nil {
		panic(err)
	}
	return d
}

func TestLoadExampleRoster(t *testing.T) {
	r, err := Load("../../examples/roster.yaml", "../../examples/identities.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Members) != 4 {
		t.Fatalf("%d members, want 4", len(r.Members))
	}
	ana := r.Member("ana-ferreira-dev")
	if ana == nil || ana.Name != "Ana Ferreira" || ana.Login() != "ana-ferreira-dev" || ana.Region != "EMEA" || len(r.Member("amara-builds").GitHubIDs) != 1 {
		t.Fatalf("ana = %+v", ana)
	}
	want := []Membership{
		{Program: "aws-heroes", Category: "Serverless", From: day("2022-03-01")},
		{Program: "aws-community-builders", Category: "Serverless", From: day("2019-05-01"), To: day("2022-02-28")},
		{Program: "aws-user-group-leaders", Group: "AWS User Group Lisbon", From: day("2020-01-01")},
	}
	if d := cmp.Diff(want, ana.Memberships); d != "" {
		t.Errorf("memberships (-want +got):\n%s", d)
	}
	if got := ana.Memberships[1].End(); !got.Equal(day("2022-03-01")) {
		t.Errorf("end of a membership to 2022-02-28 = %v, want the next day", got)
	}
	if !ana.Memberships[0].End().Equal(Forever) {
		t.Errorf("an ongoing membership ends %v", ana.Memberships[0].End())
	}
	if d := cmp.Diff([]Correction{{Email: "kenji@work.example", Member: "kwatanabe"}, {Login: "ana-ferreira", Member: "ana-ferreira-dev"}}, r.Corrections); d != "" {
		t.Errorf("corrections (-want +got):\n%s", d)
	}
	if d := cmp.Diff([]string{"dmorales"}, r.OptOut); d != "" {
		t.Errorf("opt_out: %s", d)
	}
	if MemberID("kwatanabe") == MemberID("ana-ferreira-dev") || MemberID("KWatanabe") != MemberID("kwatanabe") || MemberID("x")>>61 != 1 {
		t.Errorf("member ids are not stable, distinct and bit-61 only")
	}
}

// Every problem is reported with file, line and field, all at once.
func TestLintReportsEveryProblemWithLineAndField(t *testing.T) {
	p := write(t, "roster.yaml", `members:
  - name: Ana
    github: [ana]
    memberships:
      - program: aws-heroez
        from: 2022-01-01
  - name: Bo
    github: [bo]
    memberships:
      - program: aws-heroes
        category: Serverless
        from: 2023-13-01
      - program: aws-community-builders
        category: Containers
        from: 2024-05-01
        to: 2024-01-01
      - program: aws-community-builders
        category: Basket Weaving
        from: 2024-05-01
  - name: Cy
    github: [ANA]
  - name: Bo again
    github: [bo]
  - github: [not a login]
`)
	_, err := Load(p)
	ps, ok := err.(Problems)
	if !ok {
		t.Fatalf("err = %v, want Problems", err)
	}
	got := map[string]bool{}
	for _, x := range ps {
		if x.File != p || x.Line == 0 {
			t.Errorf("problem without file and line: %+v", x)
		}
		got[strings.TrimPrefix(x.String(), p+":")] = true
	}
	for _, want := range []string{
		`5: memberships[0].program: unknown program "aws-heroez"`,
		`12: memberships[0].from: want a day`,
		`16: memberships[1].to: ends (2024-01-01) before it starts (2024-05-01)`,
		`18: memberships[2].category: unknown category "Basket Weaving"`,
		`20: id: member "ana" is already defined`,
		`22: id: member "bo" is already defined`,
		`24: github[0]: "not a login" is not a GitHub login`,
		`24: name: missing`,
	} {
		found := false
		for g := range got {
			if strings.HasPrefix(g, want) {
				found = true
			}
		}
		if !found {
			t.Errorf("missing problem %q; got:\n%s", want, err)
		}
	}
}

func TestLintUnknownFieldAndBadYAML(t *testing.T) {
	for _, tc := range []struct{ name, text, want string }{
		{"unknown field", "members:\n  - name: Ana\n    gihub: [ana]\n", ":3:"},
		{"bad yaml", "members:\n  - name: [Ana\n", ":2"},
		{"identity for an unknown member", "identities:\n  - login: x\n    member: nobody\n", `:3: member: unknown member "nobody"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Load(write(t, "r.yaml", tc.text))
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("err = %v, want one with %q", err, tc.want)
			}
		})
	}
}

func TestCSVRoster(t *testing.T) {
	p := write(t, "roster.csv", "name,github,github_ids,emails,country,region,program,category,group,from,to\n"+
		"Ana Ferreira,ana-ferreira-dev;ana-ferreira,5830001,ana@ferreira.example,PT,EMEA,aws-heroes,Serverless,,2022-03-01,\n"+
		"Ana Ferreira,ana-ferreira-dev,,,,,aws-user-group-leaders,,AWS User Group Lisbon,2020-01-01,\n"+
		"Diego Morales,dmorales,,,CL,LATAM,,,,,\n")
	r, err := Load(p)
	if err != nil {
		t.Fatal(err)
	}
	ana := r.Member("ana-ferreira-dev")
	if ana == nil || len(ana.Memberships) != 2 || len(ana.Logins) != 2 || ana.GitHubIDs[0] != 5830001 {
		t.Fatalf("ana = %+v", ana)
	}
	if d := r.Member("dmorales"); d == nil || len(d.Memberships) != 0 || d.Region != "LATAM" {
		t.Errorf("dmorales = %+v", d)
	}
	bad := write(t, "bad.csv", "name,github,program,from,to\nAna,ana,aws-heroes,2022-03-01,2021-01-01\nBo,bo,nope,2022-01-01,\n")
	_, err = Load(bad)
	for _, want := range []string{":2: column to: ends", `:3: column program: unknown program "nope"`} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("err = %v, want %q", err, want)
		}
	}
	if _, err := Load(write(t, "x.csv", "name,gh\n")); err == nil || !strings.Contains(err.Error(), "unknown column") {
		t.Errorf("unknown column: %v", err)
	}
}

func TestAffiliations(t *testing.T) {
	r, err := Load("../../examples/roster.yaml", "../../examples/identities.yaml")
	if err != nil {
		t.Fatal(err)
	}
	want := []Affiliation{
		{Member: "ana-ferreira-dev", Employer: "Amazon Web Services", From: day("2024-07-01")},
		{Member: "kwatanabe", Employer: "independent"},
		{Domain: "amazon.com", Employer: "Amazon Web Services"},
	}
	if d := cmp.Diff(want, r.Affiliations); d != "" {
		t.Errorf("affiliations (-want +got):\n%s", d)
	}
	if !r.IsVendor("amazon web services") || r.IsVendor("independent") {
		t.Errorf("IsVendor is wrong")
	}
	bad := write(t, "a.yaml", `members:
  - name: Ana
    github: [ana]
affiliations:
  - member: ana
    employer: Acme
    from: 2020-01-01
  - member: ana
    employer: Globex
    from: 2021-01-01
  - domain: not a domain
    employer: X
  - member: nobody
    employer: Y
  - domain: acme.example
`)
	_, err = Load(bad)
	for _, want := range []string{
		":10: from: member ana has two affiliations at once (Acme and Globex)",
		`:11: domain: "not a domain" is not an email domain`,
		`:13: member: unknown member "nobody"`,
		":15: employer: missing",
	} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("err = %v\nwant %q", err, want)
		}
	}
}

func TestLintReviewCases(t *testing.T) {
	tests := []struct{ name, file, text, want string }{
		{"date before 1970", "r.yaml", "members:\n  - name: A\n    github: [a]\n    memberships:\n      - program: aws-heroes\n        from: 1960-01-01\n", ":6: memberships[0].from: want a day between 1970-01-01"},
		{"date after 2105", "r.yaml", "members:\n  - name: A\n    github: [a]\n    memberships:\n      - program: aws-heroes\n        from: 2020-01-01\n        to: 2150-01-01\n", ":7: memberships[0].to: want a day between"},
		{"bot and human", "r.yaml", "bots: [ci-x]\nhumans: [CI-X]\n", "listed both as a bot and as a human"},
		{"dated domain", "r.yaml", "affiliations:\n  - domain: acme.example\n    employer: Acme\n    from: 2024-01-01\n", "domain affiliations hold for all time"},
		{"login twice in a member", "r.yaml", "members:\n  - name: A\n    github: [a, A]\n", `login "A" is listed twice`},
		{"email in github", "r.yaml", "members:\n  - name: A\n    github: [a@secret.example]\n", "an email address is not a GitHub login"},
		{"named email in identities", "r.yaml", "members:\n  - name: A\n    github: [a]\nidentities:\n  - email: A <a@x.example>\n    member: a\n", "no name"},
		{"csv column twice", "r.csv", "name,github,github\nA,a,b\n", "column listed twice"},
		{"csv country differs", "r.csv", "name,github,country,program,from\nA,a,PT,aws-heroes,2020-01-01\nA,a,ES,aws-heroes,2021-01-01\n", ":3: column country: differs"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Load(write(t, tc.file, tc.text))
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("err = %v, want %q", err, tc.want)
			}
			if err != nil && strings.Contains(err.Error(), "secret.example") {
				t.Errorf("the email is repeated: %v", err)
			}
		})
	}
	r, err := Load(write(t, "ok.csv", "name,github,github_ids,emails,program,from\nA,a,,,aws-heroes,2020-01-01\nA,a,42,a@x.example,aws-heroes,2022-01-01\n"))
	if err != nil {
		t.Fatal(err)
	}
	if m := r.Member("a"); len(m.GitHubIDs) != 1 || len(m.Emails) != 1 || len(m.Memberships) != 2 {
		t.Errorf("a later row's id and email were dropped: %+v", m)
	}
}
