package leaderboard

import (
	"context"
	"fmt"
	"regexp"
	"sort"
	"strings"
	"time"

	"contribtrack/internal/contrib"
	"contribtrack/internal/store"
)

// Flagger lists the items the accepted profile marks as spam and says who
// an account is; *store.Store is one.
type Flagger interface {
	Flagged(ctx context.Context, f store.LeaderboardFilter, a store.Acceptance) ([]store.Credit, error)
	IdentifyAccount(ctx context.Context, importID uint64, login string, actorID uint64) (store.Who, error)
}

// FlaggedPerson is one person's items marked as spam in a period, for a
// program manager to check.
type FlaggedPerson struct {
	Login string // as shown: a member's roster login, else the account's
	// Person is who it is in the store: a roster member's id, else the
	// account's (as Entry.Person).
	Person uint64
	Items  []CreditEntry
}

// Flags lists, per person, the items of q's period and place that the
// accepted profile marks as spam (rules spam_label and spam_closed_fast),
// most items first. It lists nothing under the activity profile, which
// judges nothing. Like a leaderboard it leaves out bots and people who
// opted out of being shown; a roster program keeps its members.
func Flags(ctx context.Context, src Flagger, q Query, s Settings, now time.Time) ([]FlaggedPerson, error) {
	if s.Profile != contrib.ProfileAccepted {
		return nil, nil
	}
	program := q.Program
	q.Program = "" // kept below, by membership: credits.sql reads no roster
	if field := RosterFilter(q.Question); field != "" {
		return nil, &FieldError{Field: field, Problem: "flagged items are listed by place, member or program"}
	}
	f, err := Filter(q, s)
	if err != nil {
		return nil, err
	}
	items, err := src.Flagged(ctx, f, s.acceptance(now))
	if err != nil {
		return nil, err
	}
	isBot, err := botMatcher(s)
	if err != nil {
		return nil, err
	}
	type account struct {
		id    uint64
		login string
	}
	type known struct {
		p           *FlaggedPerson // nil: left out
		memberships []store.WhoMembership
	}
	byPerson := map[uint64]*FlaggedPerson{}
	seen := map[account]known{}
	type pull struct {
		repo   string
		number int64
	}
	listed := map[pull]bool{} // a pull request once, though its opening and its merge are both marked
	for _, c := range items {
		a := account{c.ActorID, strings.ToLower(c.Login)}
		k, ok := seen[a]
		if !ok {
			who, err := src.IdentifyAccount(ctx, s.Roster, a.login, a.id)
			if err != nil {
				return nil, fmt.Errorf("flagged items: %w", err)
			}
			k = known{flaggedPerson(s, who, a.login, a.id, isBot, byPerson), who.Memberships}
			seen[a] = k
		}
		// A program keeps its members' items of the days they held it, as
		// its leaderboard does.
		if k.p == nil || program != "" && !heldAt(k.memberships, program, c.At) {
			continue
		}
		if pr := (pull{strings.ToLower(c.RepoName), c.Number}); c.Number > 0 {
			if listed[pr] {
				continue
			}
			listed[pr] = true
		}
		p := k.p
		e := CreditEntry{At: c.At, Kind: string(c.Kind), Repository: c.RepoName, Number: c.Number, Title: c.Title,
			Weight: s.Weights[c.Kind], Factor: c.Factor, Rule: c.Rule, Why: Why(c.Rule)}
		e.Points = e.Weight * e.Factor
		p.Items = append(p.Items, e)
	}
	out := make([]FlaggedPerson, 0, len(byPerson))
	for _, p := range byPerson {
		if len(p.Items) > 0 {
			out = append(out, *p)
		}
	}
	sort.Slice(out, func(i, j int) bool {
		if len(out[i].Items) != len(out[j].Items) {
			return len(out[i].Items) > len(out[j].Items)
		}
		return out[i].Login < out[j].Login
	})
	return out, nil
}

// flaggedPerson is the person an account's items are listed under, nil
// when they are left out (a bot, an opt-out).
func flaggedPerson(s Settings, who store.Who, login string, id uint64, isBot func(string) bool, byPerson map[uint64]*FlaggedPerson) *FlaggedPerson {
	if isBot(login) {
		return nil
	}
	if s.OptedOut(who.MemberID, append([]string{login}, who.Logins...), append([]uint64{id}, who.ActorIDs...)) || s.People.Hidden[id] {
		return nil
	}
	person, shown := id, login
	if who.MemberID != 0 {
		person = who.MemberID
		if l, ok := s.People.Logins[who.MemberID]; ok {
			shown = l
		}
	}
	p := byPerson[person]
	if p == nil {
		p = &FlaggedPerson{Login: shown, Person: person}
		byPerson[person] = p
	}
	return p
}

// heldAt reports whether a membership of program was held at t (starts
// inclusive, ends exclusive, as memberships.sql reads them).
func heldAt(ms []store.WhoMembership, program string, t time.Time) bool {
	for _, m := range ms {
		if strings.EqualFold(m.Program, program) && !t.Before(m.Starts) && t.Before(m.Ends) {
			return true
		}
	}
	return false
}

// botMatcher tells bots' logins by the settings' rules, as the store's
// leaderboards do.
func botMatcher(s Settings) (func(string) bool, error) {
	if s.BotRegex == "" {
		return func(string) bool { return false }, nil
	}
	bot, err := regexp.Compile(s.BotRegex)
	if err != nil {
		return nil, fmt.Errorf("bot rules: %w", err)
	}
	var human *regexp.Regexp
	if s.HumanRegex != "" {
		if human, err = regexp.Compile(s.HumanRegex); err != nil {
			return nil, fmt.Errorf("bot rules: %w", err)
		}
	}
	return func(login string) bool {
		return bot.MatchString(login) && (human == nil || !human.MatchString(login))
	}, nil
}
