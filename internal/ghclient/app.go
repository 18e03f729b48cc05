package ghclient

import (
	"context"
	"crypto/rsa"
	"fmt"
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"github.com/google/go-github/v60/github"
)

// App is a GitHub App installation: the way organisations usually grant
// access. The client signs a JWT with the app's private key and exchanges
// it for installation tokens, renewing them before they expire.
type App struct {
	ID             int64
	InstallationID int64
	PrivateKey     *rsa.PrivateKey
}

// ParsePrivateKey reads a GitHub App private key (PEM, as GitHub issues it).
func ParsePrivateKey(pem []byte) (*rsa.PrivateKey, error) {
	k, err := jwt.ParseRSAPrivateKeyFromPEM(pem)
	if err != nil {
		return nil, fmt.Errorf("github app private key: %w", err)
	}
	return k, nil
}

// tokenSource yields the token to send; Invalidate drops a cached token
// that GitHub refused.
type tokenSource interface {
	Token(ctx context.Context) (string, error)
	Invalidate()
}

type staticToken string

func (s staticToken) Token(context.Context) (string, error) { return string(s), nil }
func (staticToken) Invalidate()                             {}

// appSource exchanges app JWTs for installation tokens.
type appSource struct {
	app App
	gh  *github.Client

	mu      sync.Mutex
	token   string
	expires time.Time
}

func newAppSource(app App, restURL string, hc *http.Client) (*appSource, error) {
	if app.ID <= 0 || app.InstallationID <= 0 || app.PrivateKey == nil {
		return nil, fmt.Errorf("github app: app id, installation id and private key are all required")
	}
	base := hc.Transport
	if base == nil {
		base = http.DefaultTransport
	}
	s := &appSource{app: app}
	jc := &http.Client{Timeout: hc.Timeout, Transport: &jwtTransport{base: base, src: s}}
	gh, err := github.NewClient(jc).WithEnterpriseURLs(restURL, restURL)
	if err != nil {
		return nil, err
	}
	s.gh = gh
	return s, nil
}

// renewBefore is how long before expiry an installation token is replaced.
const renewBefore = 5 * time.Minute

func (s *appSource) Token(ctx context.Context) (string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.token != "" && time.Until(s.expires) > renewBefore {
		return s.token, nil
	}
	it, _, err := s.gh.Apps.CreateInstallationToken(ctx, s.app.InstallationID, nil)
	if err != nil {
		return "", fmt.Errorf("github app %d: getting an installation token for installation %d: %w", s.app.ID, s.app.InstallationID, err)
	}
	s.token, s.expires = it.GetToken(), it.GetExpiresAt().Time
	return s.token, nil
}

func (s *appSource) Invalidate() {
	s.mu.Lock()
	s.token = ""
	s.mu.Unlock()
}

// jwt signs the app's JSON Web Token: valid from a minute ago (clock
// drift) for nine minutes (GitHub accepts at most ten).
func (s *appSource) jwt() (string, error) {
	now := time.Now()
	claims := jwt.RegisteredClaims{
		Issuer:    strconv.FormatInt(s.app.ID, 10),
		IssuedAt:  jwt.NewNumericDate(now.Add(-time.Minute)),
		ExpiresAt: jwt.NewNumericDate(now.Add(9 * time.Minute)),
	}
	return jwt.NewWithClaims(jwt.SigningMethodRS256, claims).SignedString(s.app.PrivateKey)
}

type jwtTransport struct {
	base http.RoundTripper
	src  *appSource
}

func (t *jwtTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	tok, err := t.src.jwt()
	if err != nil {
		return nil, fmt.Errorf("github app: signing the JWT: %w", err)
	}
	r := req.Clone(req.Context())
	r.Header.Set("Authorization", "Bearer "+tok)
	return t.base.RoundTrip(r)
}
