package contrib

import (
	"strings"
	"testing"
	"time"
)

func TestNames(t *testing.T) {
	for _, tt := range []struct {
		name                        string
		s                           string
		owner, login, repo, project bool
	}{
		{"an org", "aws-samples", true, true, false, true},
		{"39 characters", strings.Repeat("a", 39), true, true, false, true},
		{"40 characters", strings.Repeat("a", 40), false, false, false, true},
		{"a leading hyphen", "-aws", false, false, false, false},
		{"an app", "dependabot[bot]", false, true, false, false},
		{"only [bot]", "[bot]", false, false, false, false},
		{"an underscore", "a_b", false, false, false, true},
		{"a repository", "aws/aws-cdk", false, false, true, false},
		{"a repository with dots", "aws/aws-cdk.github.io", false, false, true, false},
		{"two slashes", "aws/x/y", false, false, false, false},
		{"a dot in the owner", "a.b/c", false, false, false, false},
		{"empty", "", false, false, false, false},
		{"a space", "a b", false, false, false, false},
	} {
		if got := ValidOwner(tt.s); got != tt.owner {
			t.Errorf("%s: ValidOwner(%q) = %v", tt.name, tt.s, got)
		}
		if got := ValidLogin(tt.s); got != tt.login {
			t.Errorf("%s: ValidLogin(%q) = %v", tt.name, tt.s, got)
		}
		if got := ValidRepo(tt.s); got != tt.repo {
			t.Errorf("%s: ValidRepo(%q) = %v", tt.name, tt.s, got)
		}
		if got := ValidProject(tt.s); got != tt.project {
			t.Errorf("%s: ValidProject(%q) = %v", tt.name, tt.s, got)
		}
	}
}

func TestDays(t *testing.T) {
	day := func(s string) time.Time {
		d, err := time.Parse(time.DateOnly, s)
		if err != nil {
			t.Fatal(err)
		}
		return d
	}
	for s, want := range map[string]bool{"1969-12-31": false, "1970-01-01": true, "2024-02-29": true, "2105-12-31": true, "2106-01-01": false} {
		if got := ValidDay(day(s)); got != want {
			t.Errorf("ValidDay(%s) = %v", s, got)
		}
	}
	if !ValidDay(day("2105-12-31").Add(23 * time.Hour)) {
		t.Error("a time within the last day is not valid")
	}
	if !ValidPeriod(day("1970-01-01"), day("2106-01-01")) || ValidPeriod(day("1969-12-31"), day("2024-01-01")) || ValidPeriod(day("2024-01-01"), day("2106-01-02")) {
		t.Error("ValidPeriod bounds")
	}
	if got := DayRange(); got != "1970-01-01 and 2105-12-31" {
		t.Errorf("DayRange = %q", got)
	}
}
