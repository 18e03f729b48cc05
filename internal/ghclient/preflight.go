package ghclient

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"syscall"
	"time"

	"github.com/google/go-github/v60/github"
)

// Retry describes a request about to be sent again after a failure that
// may pass: a server error, a connection that failed or timed out, an
// answer cut short.
type Retry struct {
	URL     string        // the API, as configured (never with credentials)
	Token   int           // index of the token (never the token itself)
	Cause   string        // what went wrong: "HTTP 503", "dial tcp ...: i/o timeout"
	Wait    time.Duration // before the next attempt
	Attempt int           // the attempt about to be made: 2 for the first retry
	Of      int           // attempts allowed in all
}

// String is the line contribtrack prints for a retry.
func (r Retry) String() string {
	return fmt.Sprintf("GitHub at %s did not answer (%s); retrying in %s (attempt %d of %d)",
		r.URL, r.Cause, r.Wait.Round(time.Millisecond), r.Attempt, r.Of)
}

// Check attempts and per-attempt timeout: a failure that may pass is
// tried again after RetryBase, then twice, four and eight times as long
// (15 s with the default RetryBase), so that a check never takes much
// more than a minute, and says so on every retry.
const (
	checkAttempts = 5
	checkTimeout  = 10 * time.Second
)

// unreachableRetries bounds the retries of a request whose connection was
// refused or whose host is unknown: that rarely passes within the
// back-off, and a run should not sit silent for a minute and a half
// before saying so.
const unreachableRetries = 2

// Check makes sure, before any work, that GitHub can be reached and
// accepts every token: it asks each token's budgets once with
// GET /rate_limit (free; the budget then needs no check of its own before
// the token's first request). A refused token fails at once, named by its
// position (token #2); a host that refuses connections or does not exist
// fails at once with the URL and the cause; a server error or a timeout is
// retried a few times, each retry told to OnRetry.
func (c *Client) Check(ctx context.Context) error {
	for _, t := range c.tokens {
		if err := c.checkToken(ctx, t); err != nil {
			return err
		}
	}
	return nil
}

func (c *Client) checkToken(ctx context.Context, t *token) error {
	for attempt := 1; ; attempt++ {
		actx, cancel := context.WithTimeout(ctx, checkTimeout)
		rl, resp, err := t.rest.RateLimit.Get(actx)
		cancel()
		var rle *github.RateLimitError
		switch {
		case err == nil:
			c.recordRates(t, rl)
			c.budget.checkedBefore(t, false)
			return nil
		case ctx.Err() != nil:
			return ctx.Err()
		case resp != nil && resp.StatusCode == http.StatusNotFound:
			// A GitHub Enterprise Server with rate limiting off: reachable,
			// and the token is judged by its first request.
			c.budget.checkedBefore(t, true)
			return nil
		case isRefused(err):
			msg := ""
			var er *github.ErrorResponse
			if errors.As(err, &er) && er.Message != "" {
				msg = " " + oneLine(er.Message)
			}
			return fmt.Errorf("token #%d: %w (HTTP 401%s from %s)", t.index, ErrUnauthorized, msg, c.baseURL)
		case unreachable(err):
			return fmt.Errorf("GitHub at %s is %w: %s", c.baseURL, ErrUnreachable, cause(err))
		case errors.As(err, &rle):
			// Accepted, with its budget spent: the work waits for the reset.
			c.budget.exhaust(t, resourceCore, rle.Rate.Reset.Time)
			return nil
		}
		if ra, ok := secondaryFrom(err); ok {
			c.secondary(t, resourceCore, ra) // accepted, and held back a while
			return nil
		}
		if !mayPass(err) {
			return fmt.Errorf("checking token #%d with GitHub at %s: %w", t.index, c.baseURL, err)
		}
		if attempt == checkAttempts {
			return fmt.Errorf("GitHub at %s did not answer after %d attempts (%s)", c.baseURL, attempt, cause(err))
		}
		wait := c.opts.RetryBase << (attempt - 1)
		c.count(func(s *Stats) { s.Retries++ })
		c.onRetry(Retry{URL: c.baseURL, Token: t.index, Cause: cause(err), Wait: wait, Attempt: attempt + 1, Of: checkAttempts})
		timer := time.NewTimer(wait)
		select {
		case <-timer.C:
		case <-ctx.Done():
			timer.Stop()
			return ctx.Err()
		}
	}
}

// checkedBefore records that t's budget was asked for outside a request
// (Client.Check), or that GitHub does not serve the check (unsupported).
func (b *budget) checkedBefore(t *token, unsupported bool) {
	b.mu.Lock()
	t.doubtful = false
	t.noCheck = t.noCheck || unsupported
	b.mu.Unlock()
}

func (c *Client) onRetry(r Retry) {
	c.log.Debug("github request failed, retrying", "token", r.Token, "cause", r.Cause, "wait", r.Wait, "attempt", r.Attempt, "of", r.Of)
	if c.opts.OnRetry != nil {
		c.waitMu.Lock()
		c.opts.OnRetry(r)
		c.waitMu.Unlock()
	}
}

// unreachable reports whether err says that the API's host cannot be
// reached at all: the connection was refused, the host is unknown, no
// route leads to it.
func unreachable(err error) bool {
	var dns *net.DNSError
	if errors.As(err, &dns) {
		return !dns.IsTimeout
	}
	return errors.Is(err, syscall.ECONNREFUSED) || errors.Is(err, syscall.EHOSTUNREACH) ||
		errors.Is(err, syscall.ENETUNREACH)
}

// mayPass reports whether a failure of a check may pass when tried again:
// a server error, a timeout, a connection reset or an answer cut short.
func mayPass(err error) bool {
	var (
		er *github.ErrorResponse
		tr *transient
	)
	switch {
	case errors.As(err, &er) && er.Response != nil:
		return er.Response.StatusCode >= 500
	case errors.As(err, &tr), errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, context.DeadlineExceeded), isSyntaxError(err):
		return true
	}
	return false
}

// cause says briefly what went wrong with a request: the HTTP status, or
// the network's error (which never holds a token).
func cause(err error) string {
	var (
		er *github.ErrorResponse
		tr *transient
		ne net.Error
	)
	switch {
	case errors.As(err, &er) && er.Response != nil:
		return fmt.Sprintf("HTTP %d", er.Response.StatusCode)
	case errors.As(err, &tr) && tr.Status != 0:
		return fmt.Sprintf("HTTP %d", tr.Status)
	case errors.Is(err, context.DeadlineExceeded), errors.As(err, &ne) && ne.Timeout():
		return "timed out"
	case errors.Is(err, io.ErrUnexpectedEOF):
		return "the answer was cut short"
	case errors.As(err, &tr) && tr.Err != nil:
		return tr.Err.Error()
	}
	return err.Error()
}
