package githubtest

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"errors"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"github.com/google/go-github/v60/github"
)

const (
	appID          = 4242
	installationID = 777
)

var (
	appKey   = sync.OnceValue(func() *rsa.PrivateKey { return mustKey() })
	otherKey = sync.OnceValue(func() *rsa.PrivateKey { return mustKey() })
)

func mustKey() *rsa.PrivateKey {
	k, err := rsa.GenerateKey(rand.Reader, 1024) // small keys keep the test fast; GitHub's are 2048 bits
	if err != nil {
		panic(err)
	}
	return k
}

// sign makes an app JWT.
func sign(t *testing.T, method jwt.SigningMethod, key any, claims jwt.MapClaims) string {
	t.Helper()
	s, err := jwt.NewWithClaims(method, claims).SignedString(key)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// TestInstallationTokens runs the GitHub App flow with go-github: JWT →
// installation token → API calls until it expires.
func TestInstallationTokens(t *testing.T) {
	t.Parallel()
	s := start(t, Options{Apps: []App{{ID: appID, PublicKey: &appKey().PublicKey, InstallationID: installationID}},
		InstallationTokenTTL: time.Second})
	now := time.Now()
	good := jwt.MapClaims{"iss": "4242", "iat": now.Add(-time.Minute).Unix(), "exp": now.Add(9 * time.Minute).Unix()}
	r := small().Repos[0]
	ctx := context.Background()

	tests := []struct {
		name     string
		jwt      string
		id       int64
		wantCode int // 0: success
	}{
		{"iss as a string, GitHub's recommended back-dated iat", sign(t, jwt.SigningMethodRS256, appKey(), good), installationID, 0},
		{"iss as a number", sign(t, jwt.SigningMethodRS256, appKey(), jwt.MapClaims{"iss": appID, "iat": now.Unix(),
			"exp": now.Add(10 * time.Minute).Unix()}), installationID, 0},
		{"signed with another key", sign(t, jwt.SigningMethodRS256, otherKey(), good), installationID, http.StatusUnauthorized},
		{"unknown app", sign(t, jwt.SigningMethodRS256, appKey(), jwt.MapClaims{"iss": "1", "iat": now.Unix(),
			"exp": now.Add(5 * time.Minute).Unix()}), installationID, http.StatusUnauthorized},
		{"exp more than ten minutes ahead", sign(t, jwt.SigningMethodRS256, appKey(), jwt.MapClaims{"iss": "4242",
			"iat": now.Unix(), "exp": now.Add(30 * time.Minute).Unix()}), installationID, http.StatusUnauthorized},
		{"exp long after iat", sign(t, jwt.SigningMethodRS256, appKey(), jwt.MapClaims{"iss": "4242",
			"iat": now.Add(-20 * time.Minute).Unix(), "exp": now.Add(5 * time.Minute).Unix()}), installationID, http.StatusUnauthorized},
		{"expired", sign(t, jwt.SigningMethodRS256, appKey(), jwt.MapClaims{"iss": "4242",
			"iat": now.Add(-10 * time.Minute).Unix(), "exp": now.Add(-time.Minute).Unix()}), installationID, http.StatusUnauthorized},
		{"no iat", sign(t, jwt.SigningMethodRS256, appKey(), jwt.MapClaims{"iss": "4242", "exp": now.Add(5 * time.Minute).Unix()}),
			installationID, http.StatusUnauthorized},
		{"HS256", sign(t, jwt.SigningMethodHS256, []byte("secret"), good), installationID, http.StatusUnauthorized},
		{"not a JWT", "ghp_notajwt", installationID, http.StatusUnauthorized},
		{"another installation", sign(t, jwt.SigningMethodRS256, appKey(), good), installationID + 1, http.StatusNotFound},
	}
	t.Run("cases", func(t *testing.T) { // returns when every parallel case is done
		for _, tc := range tests {
			t.Run(tc.name, func(t *testing.T) {
				t.Parallel()
				tok, resp, err := client(t, s, tc.jwt).Apps.CreateInstallationToken(ctx, tc.id, nil)
				if tc.wantCode != 0 {
					var er *github.ErrorResponse
					if !errors.As(err, &er) || resp.StatusCode != tc.wantCode {
						t.Fatalf("got %v, want status %d", err, tc.wantCode)
					}
					return
				}
				if err != nil {
					t.Fatal(err)
				}
				if resp.StatusCode != http.StatusCreated || !strings.HasPrefix(tok.GetToken(), "ghs_") ||
					tok.GetPermissions().GetPullRequests() != "read" {
					t.Fatalf("status %d, token %+v", resp.StatusCode, tok)
				}
				exp := tok.GetExpiresAt().Time
				if d := time.Until(exp); d <= 0 || d > 2*time.Second {
					t.Fatalf("expires in %v, want about a second", d)
				}
				c := client(t, s, tok.GetToken())
				if _, _, err := c.Repositories.Get(ctx, r.Owner.Login, r.Name); err != nil {
					t.Fatalf("with the installation token: %v", err)
				}
				time.Sleep(time.Until(exp) + 20*time.Millisecond)
				_, resp, err = c.Repositories.Get(ctx, r.Owner.Login, r.Name)
				var er *github.ErrorResponse
				if !errors.As(err, &er) || resp.StatusCode != http.StatusUnauthorized || er.Message != "Bad credentials" {
					t.Errorf("after expiry: %v", err)
				}
			})
		}
	})
	st := s.Stats()
	if st.InstallationTokens != 2 {
		t.Errorf("%d installation tokens issued, want 2", st.InstallationTokens)
	}
	// Installation tokens follow the configured ones in Stats.
	if st.TokenPoints[2]["core"] != 1 || st.TokenPoints[3]["core"] != 1 || st.TokenPoints[0]["core"] != 0 {
		t.Errorf("points by token: %v", st.TokenPoints)
	}
}
