package githubtest

import (
	"maps"
	"net/http"
)

// Stats counts what reached the server since it started or since the last
// ResetStats. Tokens appear by index only (their position in
// Options.Tokens; installation tokens follow in the order they were
// issued), never by their text.
type Stats struct {
	Requests    int         // every request, faults and errors included
	ByStatus    map[int]int // by HTTP status; 0 counts connections reset without a response
	REST        int         // requests to REST paths (including /app/... and unknown paths)
	GraphQL     int         // requests to /api/graphql or /graphql
	NotModified int         // 304 answers to conditional requests (free)
	// RateLimitChecks counts GET /rate_limit requests (free; also in REST).
	RateLimitChecks int

	// Points are the rate-limit points spent, by resource ("core",
	// "graphql"); TokenPoints the same by token index.
	Points      map[string]int
	TokenPoints map[int]map[string]int

	// RateLimited counts requests refused for an exhausted primary budget
	// (REST 403s and GraphQL RATE_LIMITED answers).
	RateLimited int
	// SentWhileExhausted counts requests that arrived for a token whose
	// budget in the resource was already 0 before its reset: the client
	// had been told (X-RateLimit-Remaining: 0) and sent anyway.
	SentWhileExhausted int
	// SentDuringRetryAfter counts requests that arrived for a token during
	// a Retry-After period the server had imposed on it (a secondary
	// limit).
	SentDuringRetryAfter int

	// Faults counts the faults served, by kind.
	Faults map[FaultKind]int
	// InvalidQueries counts GraphQL requests whose query did not parse or
	// validate.
	InvalidQueries int
	// InstallationTokens counts installation tokens issued.
	InstallationTokens int
}

func newStats() Stats {
	return Stats{ByStatus: map[int]int{}, Points: map[string]int{}, TokenPoints: map[int]map[string]int{},
		Faults: map[FaultKind]int{}}
}

// Stats returns a copy of the counters.
func (s *Server) Stats() Stats {
	s.mu.Lock()
	defer s.mu.Unlock()
	c := s.stats
	c.ByStatus = maps.Clone(s.stats.ByStatus)
	c.Points = maps.Clone(s.stats.Points)
	c.Faults = maps.Clone(s.stats.Faults)
	c.TokenPoints = make(map[int]map[string]int, len(s.stats.TokenPoints))
	for i, m := range s.stats.TokenPoints {
		c.TokenPoints[i] = maps.Clone(m)
	}
	return c
}

// ResetStats zeroes the counters. Budgets are not touched.
func (s *Server) ResetStats() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.stats = newStats()
}

const (
	kindREST = iota
	kindGraphQL
)

// arrive counts a request as it arrives and wraps its writer.
func (s *Server) arrive(w http.ResponseWriter, kind int) *recorder {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.stats.Requests++
	switch kind {
	case kindREST:
		s.stats.REST++
	case kindGraphQL:
		s.stats.GraphQL++
	}
	return &recorder{ResponseWriter: w, s: s}
}

// recordStatus counts the status of an answer (0: no answer).
func (s *Server) recordStatus(status int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.stats.ByStatus[status]++
	if status == http.StatusNotModified {
		s.stats.NotModified++
	}
}
