package ghclient

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"syscall"
	"time"

	"github.com/google/go-github/v60/github"
)

// do runs send with a token from the budget until it succeeds, fails for
// good, or has been retried MaxRetries times. Rate limits are recognised
// from go-github's typed errors and from the answer's headers (never from
// message text): a spent budget waits for its reset (on this token or
// another), a secondary limit holds the token back for Retry-After.
func (c *Client) do(ctx context.Context, resource string, cost int, send func(*token) error) error {
	retries := 0
	renewed := false
	for {
		t, release, err := c.budget.acquire(ctx, resource, cost, c.onWait)
		if err != nil {
			return err
		}
		err = send(t)
		// What the answer says about the token (a secondary limit, a spent
		// budget, a refusal) is recorded before the token is released, so
		// that no other request can take it in between.
		var (
			wait        time.Duration
			retry       bool
			final       error
			refusedAuth = err != nil && isRefused(err)
		)
		switch {
		case err == nil:
			c.budget.succeeded(t)
			c.mu.Lock()
			c.failStreak = 0
			c.mu.Unlock()
		case refusedAuth:
			// An app's installation token may have been revoked: get a new
			// one, once. A refused personal token is retired; the others
			// carry on.
			if _, ok := t.src.(*appSource); ok && !renewed {
				renewed = true
				t.src.Invalidate()
				retry = true
			} else if c.budget.retire(t) {
				c.log.Warn("GitHub refused a token; continuing with the others", "token", t.index)
				retry = true
			} else {
				final = fmt.Errorf("token #%d: %w", t.index, ErrUnauthorized)
			}
		case ctx.Err() == nil:
			wait, retry, final = c.classify(t, resource, err)
		}
		release()
		switch {
		case err == nil:
			return nil
		case refusedAuth && retry:
			continue
		case ctx.Err() != nil:
			return ctx.Err()
		}
		if final != nil {
			return final
		}
		if !retry {
			return err
		}
		// Rate limits are waited out (acquire holds the token back); only
		// failures count towards MaxRetries.
		// A refused connection or an unknown host gets few retries: it
		// rarely passes within the back-off.
		if wait > 0 || !isThrottle(err) {
			limit := c.opts.MaxRetries
			if unreachable(err) {
				limit = min(limit, unreachableRetries)
				if retries >= limit {
					return fmt.Errorf("GitHub at %s is %w, after %d retries: %w", c.baseURL, ErrUnreachable, retries, err)
				}
			}
			if retries >= limit {
				return fmt.Errorf("after %d retries: %w", retries, err)
			}
			retries++
			if wait > 0 {
				// Said on every retry, as rate-limit waits are: a run that
				// meets failures is never silent while it waits.
				c.onRetry(Retry{URL: c.baseURL, Token: t.index, Cause: cause(err), Wait: wait, Attempt: retries + 1, Of: limit + 1})
			}
		}
		c.count(func(s *Stats) { s.Retries++ })
		if wait == 0 {
			c.log.Debug("github request failed, retrying", "resource", resource, "token", t.index, "retry", retries, "error", err)
		}
		if wait > 0 {
			timer := time.NewTimer(wait)
			select {
			case <-timer.C:
			case <-ctx.Done():
				timer.Stop()
				return ctx.Err()
			}
		}
	}
}

// classify decides what an error means: wait this long and retry, or stop
// with final (a clearer error).
func (c *Client) classify(t *token, resource string, err error) (wait time.Duration, retry bool, final error) {
	var (
		rl    *github.RateLimitError
		abuse *github.AbuseRateLimitError
		er    *github.ErrorResponse
		th    *throttled
		tr    *transient
		ce    *credentialError
	)
	switch {
	case errors.As(err, &ce):
		// Getting an installation token failed: retry what may pass.
		var inner *github.ErrorResponse
		if errors.As(ce.err, &inner) && inner.Response != nil && inner.Response.StatusCode >= 500 ||
			errors.As(ce.err, &tr) || errors.Is(ce.err, io.ErrUnexpectedEOF) {
			return c.backoff(t), true, nil
		}
		return 0, false, ce
	case errors.As(err, &rl):
		c.budget.exhaust(t, resource, rl.Rate.Reset.Time)
		return 0, true, nil // acquire waits for the reset or picks another token
	case errors.As(err, &abuse):
		var ra time.Duration
		if abuse.RetryAfter != nil {
			ra = *abuse.RetryAfter
		}
		c.secondary(t, resource, ra)
		return 0, true, nil
	case errors.As(err, &th):
		if th.Primary {
			c.budget.exhaust(t, resource, th.Reset)
		} else {
			c.secondary(t, resource, th.RetryAfter)
		}
		return 0, true, nil
	case errors.As(err, &er) && er.Response != nil:
		status := er.Response.StatusCode
		if th := throttledFrom(er.Response); th != nil { // 429, which go-github leaves untyped
			if th.Primary {
				c.budget.exhaust(t, resource, th.Reset)
			} else {
				c.secondary(t, resource, th.RetryAfter)
			}
			return 0, true, nil
		}
		switch {
		case status >= 500:
			return c.backoff(t), true, nil
		case status == http.StatusUnauthorized:
			return 0, false, fmt.Errorf("token #%d: %w (HTTP 401 %s)", t.index, ErrUnauthorized, er.Message)
		case status == http.StatusNotFound:
			return 0, false, fmt.Errorf("%s %s: %w", er.Response.Request.Method, er.Response.Request.URL.Path, ErrNotFound)
		}
		return 0, false, nil
	case errors.As(err, &tr),
		errors.Is(err, io.ErrUnexpectedEOF),
		errors.Is(err, syscall.ECONNRESET),
		isSyntaxError(err):
		return c.backoff(t), true, nil
	case errors.Is(err, ErrUnauthorized), errors.Is(err, ErrNotFound):
		return 0, false, err
	}
	return 0, false, nil
}

func (c *Client) secondary(t *token, resource string, retryAfter time.Duration) {
	d := c.budget.block(t, retryAfter, c.opts.SecondaryWait)
	c.onWait(Wait{Token: t.index, Resource: resource, Until: time.Now().Add(d), Reason: "secondary limit"})
}

// backoff is the wait before retrying a failure that may pass: RetryBase
// doubling per failure in a row, capped at 30 s, with jitter.
func (c *Client) backoff(t *token) time.Duration {
	_ = t
	c.mu.Lock()
	n := c.failStreak
	c.failStreak++
	c.mu.Unlock()
	d := c.opts.RetryBase << min(n, 10)
	d = min(d, 30*time.Second)
	return d/2 + time.Duration(rand.Int64N(int64(d/2)+1))
}

func (c *Client) onWait(w Wait) {
	// Several requests waiting for the same reset report it once.
	c.mu.Lock()
	same := c.lastWait == w
	c.lastWait = w
	c.mu.Unlock()
	if same {
		return
	}
	expected := max(time.Until(w.Until), 0)
	c.count(func(s *Stats) { s.Waits++ })
	if c.opts.Observer != nil {
		c.opts.Observer.Wait(w, expected)
	}
	c.log.Info("waiting for GitHub rate limit", "token", w.Token, "resource", w.Resource, "reason", w.Reason, "until", w.Until.UTC().Format(time.RFC3339))
	if c.opts.OnWait != nil {
		// Requests wait in many goroutines; OnWait is called by one at a time.
		c.waitMu.Lock()
		c.opts.OnWait(w)
		c.waitMu.Unlock()
	}
}

// isRefused reports whether GitHub refused the credentials (HTTP 401).
func isRefused(err error) bool {
	var rf *refused
	var er *github.ErrorResponse
	var ce *credentialError
	if errors.As(err, &ce) {
		return false // the app's own credentials: reported as they are
	}
	return errors.As(err, &rf) || errors.As(err, &er) && er.Response != nil && er.Response.StatusCode == http.StatusUnauthorized
}

// isThrottle reports whether err is a rate-limit answer (primary or
// secondary), from go-github's types or the answer's status and headers.
func isThrottle(err error) bool {
	var (
		rl    *github.RateLimitError
		abuse *github.AbuseRateLimitError
		th    *throttled
		er    *github.ErrorResponse
	)
	switch {
	case errors.As(err, &rl), errors.As(err, &abuse), errors.As(err, &th):
		return true
	case errors.As(err, &er) && er.Response != nil:
		return throttledFrom(er.Response) != nil
	}
	return false
}

func isSyntaxError(err error) bool {
	var se *json.SyntaxError
	return errors.As(err, &se)
}
