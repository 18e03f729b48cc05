package ghclient

import (
	"net/http"
	"strconv"
	"time"
)

// Observer is told what the client does, for metrics. Its methods are
// called from many goroutines at once and must return quickly. A token is
// named by its index (1 for the first, as in logs and errors), never by
// its text.
type Observer interface {
	// Request is told about every HTTP request sent to the API with a
	// token, retries included: api is "rest" or "graphql", resource the
	// answer's rate-limit resource (X-RateLimit-Resource; "core" or
	// "graphql" when the answer has none; "rate_limit" for the free
	// GET /rate_limit checks of a token's budgets), status the HTTP
	// status, or 0 with err when no answer came.
	Request(api, resource string, status int, err error)
	// RateLimit is told what an answer's X-RateLimit-* headers say about
	// a token's budget: points remaining and when the window resets
	// (GitHub's clock).
	RateLimit(token int, resource string, remaining int, reset time.Time)
	// Wait is told about every pause for a rate limit that OnWait is told
	// about, with its expected length when it begins (Stats.Waited is the
	// time actually waited).
	Wait(w Wait, expected time.Duration)
}

// API names for Observer.Request.
const (
	APIREST    = "rest"
	APIGraphQL = "graphql"
)

// ResourceRateLimitCheck is the resource Observer.Request is given for
// GET /rate_limit, which no budget pays for.
const ResourceRateLimitCheck = "rate_limit"

// observeRequest tells the observer, if any, about one request.
func (c *Client) observeRequest(graphql, check bool, resp *http.Response, err error) {
	o := c.opts.Observer
	if o == nil {
		return
	}
	api, resource := APIREST, resourceCore
	if graphql {
		api, resource = APIGraphQL, resourceGraphQL
	}
	status := 0
	if resp != nil {
		status = resp.StatusCode
		if r := resp.Header.Get("X-RateLimit-Resource"); r != "" {
			resource = r
		}
	}
	if check {
		resource = ResourceRateLimitCheck
	}
	o.Request(api, resource, status, err)
}

// rateHeaders is what an answer's X-RateLimit-* headers say.
type rateHeaders struct {
	resource         string
	limit, remaining int
	reset            time.Time
}

// parseRateHeaders reads the X-RateLimit-* headers; ok is false when any
// is missing or malformed.
func parseRateHeaders(h http.Header) (rh rateHeaders, ok bool) {
	resource := h.Get("X-RateLimit-Resource")
	limit, err1 := strconv.Atoi(h.Get("X-RateLimit-Limit"))
	remaining, err2 := strconv.Atoi(h.Get("X-RateLimit-Remaining"))
	reset, err3 := strconv.ParseInt(h.Get("X-RateLimit-Reset"), 10, 64)
	if resource == "" || err1 != nil || err2 != nil || err3 != nil {
		return rateHeaders{}, false
	}
	return rateHeaders{resource: resource, limit: limit, remaining: remaining, reset: time.Unix(reset, 0)}, true
}
