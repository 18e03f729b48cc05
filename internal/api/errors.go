package api

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"

	"contribtrack/internal/leaderboard"
)

// fail answers an error: 400 for a bad parameter, 404 for a name nothing
// knows, 429 when too many questions wait already, 504 for a timeout, 503
// when the database cannot answer.
func (s *Server) fail(w http.ResponseWriter, r *http.Request, err error) {
	var bp *badParameter
	var unknownName *leaderboard.UnknownNameError
	switch {
	case errors.Is(err, errInternal):
		writeError(w, http.StatusInternalServerError, "internal", "internal error", "")
	case errors.Is(err, errNotFound):
		writeError(w, http.StatusNotFound, "not_found", "no contributor with that login in the period", "")
	case errors.As(err, &unknownName):
		writeError(w, http.StatusNotFound, "unknown_name", unknownName.Error(), unknownName.Parameter)
	case errors.As(err, &bp):
		writeError(w, http.StatusBadRequest, "bad_parameter", bp.Message, bp.Parameter)
	case errors.Is(err, errOverloaded):
		w.Header().Set("Retry-After", strconv.Itoa(retryAfterSeconds))
		writeError(w, http.StatusTooManyRequests, "overloaded",
			fmt.Sprintf("too many questions at once; try again in %d s", retryAfterSeconds), "")
	case errors.Is(err, context.DeadlineExceeded):
		writeError(w, http.StatusGatewayTimeout, "timeout", fmt.Sprintf("the answer took longer than %s", s.opts.Timeout), "")
	case errors.Is(err, context.Canceled):
		// The client went away: nobody to answer.
	default:
		s.log.Error("api: request failed", "path", r.URL.Path, "err", err)
		writeError(w, http.StatusServiceUnavailable, "unavailable", "the database could not answer; try again later", "")
	}
}

// errNotFound is a 404 answer.
var errNotFound = errors.New("not found")

// errInternal is a 500 answer (a panic, logged where it happened).
var errInternal = errors.New("internal error")

type errorBody struct {
	Error     string `json:"error"`
	Message   string `json:"message"`
	Parameter string `json:"parameter,omitempty"`
}

func writeError(w http.ResponseWriter, status int, code, message, parameter string) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(errorBody{Error: code, Message: message, Parameter: parameter})
}
