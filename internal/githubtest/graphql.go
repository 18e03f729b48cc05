package githubtest

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"time"

	"contribtrack/internal/githubtest/gqlexec"
)

const docsGraphQL = "https://docs.github.com/graphql"

// serveGraphQL answers POST /api/graphql: authentication, the graphql
// budget (charged the query's cost before it runs), faults, validation.
func (s *Server) serveGraphQL(w *recorder, r *http.Request) {
	now := time.Now()
	h := w.Header()
	ts := s.authenticate(r, now)
	if ts == nil {
		setRateHeaders(h, s.unauthRate(now))
		writeJSON(w, http.StatusUnauthorized, obj{"message": "Bad credentials", "documentation_url": docsGraphQL})
		return
	}
	if r.Method != http.MethodPost {
		writeJSON(w, http.StatusNotFound, obj{"message": "Not Found", "documentation_url": docsGraphQL})
		return
	}
	var req gqlexec.Request
	if err := json.NewDecoder(io.LimitReader(r.Body, 8<<20)).Decode(&req); err != nil {
		writeJSON(w, http.StatusBadRequest, obj{"message": "Problems parsing JSON", "documentation_url": docsGraphQL})
		return
	}
	s.mu.Lock()
	exhausted := s.admitLocked(ts, graphql, now, false)
	var fault FaultKind
	if !exhausted {
		fault = s.nextFaultLocked(FaultOnGraphQL)
	}
	rt := snapshot(&ts.buckets[graphql], graphql)
	s.mu.Unlock()
	if exhausted {
		s.writeGraphQLRateLimited(w, ts, rt)
		return
	}
	if fault != 0 && fault != FaultTruncated {
		s.serveFault(w, fault, ts, rt, now)
		return
	}

	p, errBody := s.exec.Prepare(req)
	if errBody != nil {
		s.mu.Lock()
		s.stats.InvalidQueries++
		s.mu.Unlock()
		s.writeGraphQL(w, rt, errBody, fault)
		return
	}
	cost := p.Cost()
	if fault != FaultTruncated { // a fault costs nothing
		var charged bool
		s.mu.Lock()
		rt, charged = s.chargeLocked(ts, graphql, cost, now)
		s.mu.Unlock()
		if !charged {
			s.writeGraphQLRateLimited(w, ts, rt)
			return
		}
	}
	body := s.exec.Run(r.Context(), p, gqlexec.RateLimit{Limit: rt.Limit, Remaining: rt.Remaining, Used: rt.Used,
		Cost: cost, ResetAt: rt.Reset})
	s.writeGraphQL(w, rt, body, fault)
}

func (s *Server) writeGraphQL(w *recorder, rt rate, body []byte, fault FaultKind) {
	setRateHeaders(w.Header(), rt)
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	if fault == FaultTruncated {
		s.writeTruncated(w, body)
		return
	}
	w.Header().Set("Content-Length", fmt.Sprint(len(body)))
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(body)
}

// writeGraphQLRateLimited answers a query over the graphql budget as
// GitHub does: 200 with a RATE_LIMITED error.
func (s *Server) writeGraphQLRateLimited(w *recorder, ts *tokenState, rt rate) {
	s.mu.Lock()
	s.stats.RateLimited++
	s.mu.Unlock()
	setRateHeaders(w.Header(), rt)
	writeJSON(w, http.StatusOK, obj{"errors": []obj{{"type": "RATE_LIMITED",
		"message": fmt.Sprintf("API rate limit already exceeded for user ID %d.", ts.userID)}}})
}
