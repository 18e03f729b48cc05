package contrib

import (
	"regexp"
	"strings"
	"time"
)

// The names and days every layer checks the same way: configuration,
// rosters, the CLI's flags, the API's parameters, reports.
var (
	ownerName   = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9-]{0,38}$`)
	repoName    = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9-]{0,38}/[A-Za-z0-9._-]{1,100}$`)
	projectName = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$`)

	// FirstDay and LastDay bound every day contribtrack stores or is
	// asked about: ClickHouse's DateTime counts seconds from 1970 in 32
	// bits, up to 2106-02-07, so a period may end at 2106-01-01 at most.
	FirstDay = time.Date(1970, 1, 1, 0, 0, 0, 0, time.UTC)
	LastDay  = time.Date(2105, 12, 31, 0, 0, 0, 0, time.UTC)
)

// ValidOwner reports whether s can be a GitHub account's or organisation's
// name: 1 to 39 letters, digits and hyphens, not starting with a hyphen.
func ValidOwner(s string) bool { return ownerName.MatchString(s) }

// ValidLogin reports whether s can be an account's login: an owner's name,
// or an app's (name[bot]).
func ValidLogin(s string) bool {
	name, _ := strings.CutSuffix(s, "[bot]")
	return ValidOwner(name)
}

// ValidRepo reports whether s can name a repository: owner/name, the name
// 1 to 100 letters, digits, '.', '_' and '-'.
func ValidRepo(s string) bool { return repoName.MatchString(s) }

// ValidProject reports whether s can name a project of the configuration:
// 1 to 100 letters, digits, '.', '_' and '-', starting with a letter or
// digit.
func ValidProject(s string) bool { return projectName.MatchString(s) }

// ValidDay reports whether day (a UTC midnight or any time in that day)
// lies within FirstDay..LastDay.
func ValidDay(day time.Time) bool {
	return !day.Before(FirstDay) && day.Before(LastDay.AddDate(0, 0, 1))
}

// ValidPeriod reports whether [from, to) lies within FirstDay and the day
// after LastDay.
func ValidPeriod(from, to time.Time) bool {
	return !from.Before(FirstDay) && !to.After(LastDay.AddDate(0, 0, 1))
}

// DayRange says what ValidDay accepts, for messages.
func DayRange() string {
	return FirstDay.Format(time.DateOnly) + " and " + LastDay.Format(time.DateOnly)
}
