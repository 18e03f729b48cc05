package githubtest

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

// maxJWTLifetime is how far exp may lie after iat: GitHub's ten minutes
// plus the minute of back-dated iat its documentation recommends.
const maxJWTLifetime = 11 * time.Minute

// installationPath matches /app/installations/{id}/access_tokens.
func installationPath(path string) (int64, bool) {
	rest, ok := strings.CutPrefix(path, "/app/installations/")
	if !ok {
		return 0, false
	}
	idText, ok := strings.CutSuffix(rest, "/access_tokens")
	if !ok {
		return 0, false
	}
	id, err := strconv.ParseInt(idText, 10, 64)
	return id, err == nil
}

// serveInstallationToken answers POST /app/installations/{id}/access_tokens
// for a request authenticated by an app's JWT. It costs no points and is
// never faulted.
func (s *Server) serveInstallationToken(w *recorder, r *http.Request, id int64) {
	now := time.Now()
	if r.Method != http.MethodPost {
		writeJSON(w, http.StatusNotFound, obj{"message": "Not Found", "documentation_url": docsREST})
		return
	}
	app, msg := s.verifyJWT(bearer(r), now)
	if app == nil {
		writeJSON(w, http.StatusUnauthorized, obj{"message": msg, "documentation_url": docsREST})
		return
	}
	if app.InstallationID != id {
		writeJSON(w, http.StatusNotFound, obj{"message": "Not Found", "documentation_url": docsREST})
		return
	}
	s.mu.Lock()
	s.issued++
	sum := sha256.Sum256([]byte(fmt.Sprint("installation-token", app.ID, id, s.issued)))
	tok := "ghs_" + hex.EncodeToString(sum[:])[:36]
	expires := ceilSecond(now.Add(s.opts.InstallationTokenTTL))
	s.tokens[tok] = s.newTokenLocked(expires)
	s.stats.InstallationTokens++
	s.mu.Unlock()
	writeJSON(w, http.StatusCreated, obj{
		"token": tok, "expires_at": ts(expires), "repository_selection": "all",
		"permissions": obj{"contents": "read", "issues": "read", "metadata": "read", "pull_requests": "read"},
	})
}

// verifyJWT checks an app's JWT: RS256, signed by the key of the app its
// iss names (a string or a number), with iat and exp, exp in the future,
// at most ten minutes from now and at most maxJWTLifetime after iat. When
// it fails, msg is the message of GitHub's 401.
func (s *Server) verifyJWT(raw string, now time.Time) (app *App, msg string) {
	const undecodable = "A JSON web token could not be decoded"
	if raw == "" {
		return nil, undecodable
	}
	claims := jwt.MapClaims{}
	_, err := jwt.ParseWithClaims(raw, claims, func(t *jwt.Token) (any, error) {
		id, err := issuer(claims["iss"])
		if err != nil {
			return nil, err
		}
		for i := range s.opts.Apps {
			if s.opts.Apps[i].ID == id {
				app = &s.opts.Apps[i]
				return app.PublicKey, nil
			}
		}
		return nil, fmt.Errorf("no app with id %d", id)
	}, jwt.WithValidMethods([]string{"RS256"}), jwt.WithExpirationRequired(), jwt.WithIssuedAt(),
		jwt.WithTimeFunc(func() time.Time { return now }))
	if err != nil {
		return nil, undecodable + ": " + err.Error()
	}
	exp, _ := claims.GetExpirationTime()
	iat, _ := claims.GetIssuedAt()
	switch {
	case iat == nil:
		return nil, "'Issued at' claim ('iat') must be an Integer representing the time that the assertion was issued"
	case exp.Time.After(now.Add(10*time.Minute + time.Second)):
		return nil, "'Expiration time' claim ('exp') is too far in the future"
	case exp.Time.Sub(iat.Time) > maxJWTLifetime:
		return nil, "'Expiration time' claim ('exp') must be at most ten minutes after 'Issued at' ('iat')"
	}
	return app, ""
}

// issuer reads iss, which GitHub accepts as a string or a number.
func issuer(v any) (int64, error) {
	switch x := v.(type) {
	case string:
		return strconv.ParseInt(x, 10, 64)
	case float64:
		return int64(x), nil
	case json.Number:
		return x.Int64()
	}
	return 0, errors.New("iss is not an app id")
}
