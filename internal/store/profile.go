package store

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/ClickHouse/clickhouse-go/v2"

	"contribtrack/internal/contrib"
	"contribtrack/queries"
)

// Profile is one person's contributions in a period.
type Profile struct {
	Person       uint64
	Login        string // the latest login seen ("" for an email identity)
	Member       Who    // what the roster says (MemberID 0: not a member)
	Score        float64
	Counts       map[contrib.Kind]uint64
	ByRepository []PeriodCounts // by repository name
	ByMonth      []PeriodCounts // by month, "2006-01"
	First, Last  time.Time      // days of the first and latest contribution
	Affiliations []Affiliation
}

// PeriodCounts are the counts of one repository or month.
type PeriodCounts struct {
	Name   string
	Score  float64
	Counts map[contrib.Kind]uint64
}

// Affiliation is a dated employer of a roster member.
type Affiliation struct {
	Employer     string
	Vendor       bool
	Starts, Ends time.Time
}

var profileSQL = queries.MustRead("profile.sql")

// Profile returns the contributions that f selects of the person login
// names: the roster member with that login, else the account that used it
// last. ok is false when nobody with that login contributed in the period.
func (s *Store) Profile(ctx context.Context, f LeaderboardFilter, login string) (p Profile, ok bool, err error) {
	login = strings.ToLower(login)
	who, err := s.resolve(ctx, f.Roster, login, 0)
	if err != nil {
		return p, false, err
	}
	only := who.identities()
	f.only, f.byRepo = only, true
	st := f.stages()
	st.counts = true
	rows, err := s.run(ctx, "profile", f, true, profileSQL, st)
	if err != nil {
		return p, false, err
	}
	defer rows.Close()
	type row struct {
		person        uint64
		repo          string
		month         time.Time
		counts        []uint64
		score         float64
		first, last   time.Time
		latestLogin   string
		contributions uint64
	}
	var all []row
	for rows.Next() {
		var (
			r      row
			actor  uint64
			domain string
		)
		if err := rows.Scan(&r.person, &r.repo, &r.month, &r.counts, &r.score, &r.contributions, &r.first, &r.last, &r.latestLogin, &actor, &domain); err != nil {
			return p, false, fmt.Errorf("profile row: %w", err)
		}
		all = append(all, r)
	}
	if err := rows.Err(); err != nil {
		return p, false, err
	}
	// The person asked for: the member, else whoever used the login last.
	p.Person = who.MemberID
	if p.Person == 0 {
		var latest time.Time
		for _, r := range all {
			if strings.EqualFold(r.latestLogin, login) && !r.last.Before(latest) {
				p.Person, latest = r.person, r.last
			}
		}
	}
	selected := f.selected()
	p.Member, p.Counts = who, map[contrib.Kind]uint64{}
	repos, months := map[string]*PeriodCounts{}, map[string]*PeriodCounts{}
	var latest time.Time
	for _, r := range all {
		if r.person != p.Person || p.Person == 0 {
			continue
		}
		ok = true
		if p.First.IsZero() || r.first.Before(p.First) {
			p.First = r.first
		}
		if !r.last.Before(latest) {
			latest, p.Last, p.Login = r.last, r.last, r.latestLogin
		}
		p.Score += r.score
		for _, pc := range []*PeriodCounts{bucket(repos, r.repo), bucket(months, r.month.Format("2006-01"))} {
			pc.Score += r.score
			for i, k := range contrib.Kinds {
				if i < len(r.counts) && selected[i] == 1 && r.counts[i] > 0 {
					pc.Counts[k] += r.counts[i]
				}
			}
		}
		for i, k := range contrib.Kinds {
			if i < len(r.counts) && selected[i] == 1 && r.counts[i] > 0 {
				p.Counts[k] += r.counts[i]
			}
		}
	}
	p.Score = roundScore(p.Score)
	p.ByRepository, p.ByMonth = sorted(repos), sorted(months)
	if who.MemberID != 0 {
		if p.Affiliations, err = s.affiliations(ctx, f.Roster, who.MemberID); err != nil {
			return p, false, err
		}
	}
	return p, ok, nil
}

func bucket(m map[string]*PeriodCounts, name string) *PeriodCounts {
	pc := m[name]
	if pc == nil {
		pc = &PeriodCounts{Name: name, Counts: map[contrib.Kind]uint64{}}
		m[name] = pc
	}
	return pc
}

func sorted(m map[string]*PeriodCounts) []PeriodCounts {
	out := make([]PeriodCounts, 0, len(m))
	for _, pc := range m {
		pc.Score = roundScore(pc.Score)
		out = append(out, *pc)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// roundScore rounds a sum of rounded scores as the statements round them.
func roundScore(f float64) float64 {
	const unit = 1e6
	if f < 0 {
		return -roundScore(-f)
	}
	return float64(int64(f*unit+0.5)) / unit
}

// affiliations returns a member's dated employers.
func (s *Store) affiliations(ctx context.Context, importID, member uint64) ([]Affiliation, error) {
	conn, err := s.db()
	if err != nil {
		return nil, err
	}
	rows, err := conn.Query(ctx, queries.MustRead("roster_member_affiliations.sql"), clickhouse.Named("imp", importID), clickhouse.Named("m", member))
	if err != nil {
		return nil, fmt.Errorf("reading affiliations: %w", err)
	}
	defer rows.Close()
	var out []Affiliation
	for rows.Next() {
		var a Affiliation
		var vendor uint8
		if err := rows.Scan(&a.Employer, &vendor, &a.Starts, &a.Ends); err != nil {
			return nil, fmt.Errorf("reading affiliations: %w", err)
		}
		a.Vendor = vendor == 1
		out = append(out, a)
	}
	return out, rows.Err()
}
