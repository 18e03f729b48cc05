package ghclient

import (
	"context"
	"errors"
	"net/http"
	"time"

	"github.com/google/go-github/v60/github"
)

// checkBudget asks GitHub for token t's budgets with GET /rate_limit,
// which costs no point, and records them. The budget calls it before a
// token's first request and before its next one whenever an answer has
// made its budget doubtful, so that no request goes out against a budget
// that is already spent.
//
// stillDoubtful is true when the check itself met a secondary limit (the
// token is held back, and checked again after); unsupported when GitHub
// does not serve the check (a GitHub Enterprise Server with rate limiting
// disabled answers 404). Any other failure leaves the budget as it was:
// the token goes on, one request at a time until an answer tells its
// budget.
func (c *Client) checkBudget(ctx context.Context, t *token) (stillDoubtful, unsupported bool) {
	// go-github's own call: it skips go-github's memory of spent budgets,
	// and updates it from the answer.
	rl, resp, err := t.rest.RateLimit.Get(ctx)
	switch {
	case err == nil:
		c.recordRates(t, rl)
		return false, false
	case ctx.Err() != nil:
		return true, false
	case resp != nil && resp.StatusCode == http.StatusNotFound:
		c.log.Debug("GitHub does not serve /rate_limit; budgets are learnt from answers only", "token", t.index)
		return false, true
	}
	if ra, ok := secondaryFrom(err); ok {
		c.secondary(t, resourceCore, ra)
		return true, false
	}
	c.log.Debug("checking a token's budget failed; going on without", "token", t.index, "error", err)
	return false, false
}

// recordRates records the budgets a /rate_limit answer reports.
func (c *Client) recordRates(t *token, rl *github.RateLimits) {
	if rl == nil {
		return
	}
	for _, r := range []struct {
		resource string
		rate     *github.Rate
	}{{resourceCore, rl.Core}, {resourceGraphQL, rl.GraphQL}} {
		if r.rate == nil || r.rate.Reset.Time.IsZero() {
			continue
		}
		c.budget.set(t, r.resource, r.rate.Limit, r.rate.Remaining, r.rate.Reset.Time)
		if c.opts.Observer != nil {
			c.opts.Observer.RateLimit(t.index, r.resource, r.rate.Remaining, r.rate.Reset.Time)
		}
		c.log.Debug("checked a token's budget", "token", t.index, "resource", r.resource,
			"remaining", r.rate.Remaining, "reset", r.rate.Reset.Time.UTC().Format(time.RFC3339))
	}
}

// secondaryFrom recognises a secondary rate limit (go-github's type, or a
// 403/429 with Retry-After and no spent budget) and its Retry-After.
func secondaryFrom(err error) (time.Duration, bool) {
	var (
		abuse *github.AbuseRateLimitError
		er    *github.ErrorResponse
	)
	switch {
	case errors.As(err, &abuse):
		if abuse.RetryAfter != nil {
			return *abuse.RetryAfter, true
		}
		return 0, true
	case errors.As(err, &er) && er.Response != nil:
		if th := throttledFrom(er.Response); th != nil && !th.Primary {
			return th.RetryAfter, true
		}
	}
	return 0, false
}
